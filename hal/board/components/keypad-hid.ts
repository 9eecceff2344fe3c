/**
 * `keypad: {type: hid}`: keys from a USB telephony handset declared under `hid:`. Driver: the
 * HidHandset of that id; emulator: the handset's buttons. Claims: the HID reference.
 */
import type { z } from 'zod';
import type { EmulatedHidButton } from '../../emul/hid-telephony.js';
import { id, type Zod } from './common.js';
import type { KeyAction, KeypadComponent } from './types.js';

const schema = (z: Zod) => z.strictObject({
  type: z.literal('hid'),
  /** Id of an entry under `hid:`. */
  device: id(z),
});
export type HidKeypadConfig = z.output<ReturnType<typeof schema>>;

/** Buttons of the emulated handset (HUT 1.12 Telephony page: keypad 0-9 * #, mute, flash, redial). */
const BUTTONS = [...'0123456789*#', 'mute', 'flash', 'redial'] as EmulatedHidButton[];

export const keypadHid = {
  type: 'hid',
  schema,
  claims: (k) => ({ hid: [{ ref: k.device, path: ['keypad', 'device'] }] }),
  keyNames: () => undefined,
  debounceMs: () => 0,
  driver: (k, ctx) => ctx.at('keypad.device', () => ctx.handset(k.device, 'keypad.device')),
  async emulate(k, ctx) {
    const h = ctx.hid(k.device);
    const keys = new Map<string, KeyAction>();
    for (const b of BUTTONS) keys.set(b, { press: () => h.press(b), release: () => h.release(b) });
    return keys;
  },
} satisfies KeypadComponent<HidKeypadConfig>;
