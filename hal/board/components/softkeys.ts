/**
 * `softkeys:`: how many softkeys the display labels, and optionally one direct button each
 * (otherwise softkey1..N are keypad keys). Driver: one debounced contact per button, merged into
 * the keypad; emulator: a contact per button. Claims: the button pins.
 */
import type { z } from 'zod';
import type { GpioHookSwitch } from '../../drivers/hook-switch.js';
import { pinSchema } from '../pins.js';
import { ms, type Zod } from './common.js';
import { openContact } from './hook.js';
import type { Claims, DriverContext, EmulatorContext, KeyAction, Report } from './types.js';

const schema = (z: Zod) => z.strictObject({
  count: z.number().int().min(0).max(8).default(4),
  /** Optional direct buttons, one pin each; otherwise softkey1..N must be keypad keys. */
  buttons: z.array(pinSchema(z)).optional(),
  activeLow: z.boolean().default(true),
  debounceMs: ms(z, 20, 500),
});
export type SoftkeysConfig = z.output<ReturnType<typeof schema>>;

export const softkeys = {
  schema,
  claims: (sk: SoftkeysConfig): Claims => ({ pins: (sk.buttons ?? []).map((pin, i) => ({ pin, path: ['softkeys', 'buttons', i] })) }),
  /** `keypadKeys`: the keys the keypad config names (undefined: the keypad device decides). */
  check(sk: SoftkeysConfig, bad: Report, keypadKeys: readonly string[] | undefined): void {
    if (sk.buttons) {
      if (sk.buttons.length !== sk.count) bad(['softkeys', 'buttons'], `${sk.buttons.length} buttons for count: ${sk.count}`);
      return;
    }
    if (!keypadKeys) return;
    for (let i = 1; i <= sk.count; i++) {
      if (!keypadKeys.includes(`softkey${i}`)) {
        bad(['softkeys', 'count'], `softkey${i} is neither a keypad key nor in softkeys.buttons`);
        break;
      }
    }
  },
  async driver(sk: SoftkeysConfig, ctx: DriverContext): Promise<GpioHookSwitch[]> {
    const buttons: GpioHookSwitch[] = [];
    for (const [i, pin] of (sk.buttons ?? []).entries()) {
      const key = `softkeys.buttons[${i}]`;
      buttons.push(await ctx.at(key, () => openContact(pin, key, { name: `softkey${i + 1}`, activeLow: sk.activeLow, debounceMs: sk.debounceMs }, ctx)));
    }
    return buttons;
  },
  emulate(sk: SoftkeysConfig, ctx: EmulatorContext): Map<string, KeyAction> {
    const keys = new Map<string, KeyAction>();
    for (const [i, pin] of (sk.buttons ?? []).entries()) {
      const c = ctx.contact(pin, sk.activeLow, `softkeys.buttons[${i}]`);
      keys.set(`softkey${i + 1}`, { press: () => c.set(true), release: () => c.set(false) });
    }
    return keys;
  },
};
