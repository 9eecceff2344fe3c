/**
 * `lamps:`: named indicator LEDs on a pin or a HID LED usage (docs/board-config.md). Driver:
 * GpioLamp on an output line, or the HidHandset's LED; emulator: the lamp's mode read back from
 * the emulated line / LED reports (observe.ts). Claims: each lamp's pin or HID reference; checks:
 * the lamp names are ones the phone application drives.
 */
import type { z } from 'zod';
import type { Lamp } from '../../api/index.js';
import { suggest } from '../../../lib/config/schema-words.js';
import { GpioLamp } from '../../drivers/lamp.js';
import type { EmulatedHidLed } from '../../emul/hid-telephony.js';
import type { OutputObserver } from '../observe.js';
import { pinSchema } from '../pins.js';
import { id, type Zod } from './common.js';
import type { Claims, DriverContext, EmulatorContext, Report } from './types.js';

/** HID LED usages a lamp may map to (HUT 1.12 LED page 0x08). */
export const HID_LEDS = ['mute', 'off-hook', 'ring', 'message', 'speaker', 'headset', 'hold', 'microphone'] as const;
/**
 * Lamp names the phone application drives (SCCP SetLamp stimuli, docs/sccp.md §4): line keys,
 * speed-dial keys (their busy lamp, docs/features.md §3) and the feature lamps.
 */
const KEYS = [1, 2, 3, 4, 5, 6, 7, 8];
export const LAMP_NAMES: readonly string[] = [
  ...KEYS.map((i) => `line${i}`), ...KEYS.map((i) => `speeddial${i}`), 'message', 'speaker', 'mute', 'headset', 'hold',
];

const lampSchema = (z: Zod) => z.strictObject({
  pin: pinSchema(z).optional(),
  hid: id(z).optional(),
  led: z.enum(HID_LEDS).optional(),
  activeLow: z.boolean().default(false),
}).refine((v) => (v.pin === undefined) !== (v.hid === undefined), { message: 'give exactly one of "pin" or "hid"' })
  .refine((v) => v.hid === undefined || v.led !== undefined, { message: 'a HID lamp needs "led" (one of the LED usages)', path: ['led'] });
export type LampConfig = z.output<ReturnType<typeof lampSchema>>;
type LampsConfig = Record<string, LampConfig>;

export const lamps = {
  schema: (z: Zod) => z.record(z.string(), lampSchema(z)).default({}),
  claims: (ls: LampsConfig): Claims => ({
    pins: Object.entries(ls).flatMap(([name, l]) => (l.pin ? [{ pin: l.pin, path: ['lamps', name, 'pin'] }] : [])),
    hid: Object.entries(ls).flatMap(([name, l]) => (l.hid !== undefined ? [{ ref: l.hid, path: ['lamps', name, 'hid'] }] : [])),
  }),
  check(ls: LampsConfig, bad: Report): void {
    for (const name of Object.keys(ls)) {
      if (LAMP_NAMES.includes(name)) continue;
      const hint = suggest(name, LAMP_NAMES);
      bad(['lamps', name], `unknown lamp "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  },
  driver(name: string, lc: LampConfig, ctx: DriverContext): Promise<Lamp> {
    const key = `lamps.${name}`;
    return ctx.at(key, async () => {
      if (lc.hid !== undefined) return (await ctx.handset(lc.hid, `${key}.hid`)).lamp(lc.led!, name);
      const p = await ctx.resolve(lc.pin!, `${key}.pin`);
      const line = await p.gpio.openLine(p.offset, { direction: 'out', activeLow: lc.activeLow, initial: 0, consumer: `lamp ${name}` });
      return new GpioLamp({ clock: ctx.clock, line, name, ...ctx.logger });
    });
  },
  emulate(name: string, lc: LampConfig, ctx: EmulatorContext): OutputObserver {
    return lc.hid !== undefined ? ctx.observeLed(lc.hid, lc.led as EmulatedHidLed) : ctx.observe(lc.pin!, lc.activeLow, `lamps.${name}.pin`);
  },
};
