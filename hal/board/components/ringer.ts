/**
 * `ringer:` in its three types (docs/board-config.md): `gpio-buzzer` (GpioRinger on an output
 * line; emulated: the ring cadence read back from the line), `audio` (ring tones through a PCM
 * device: a tone-only GpioRinger, nothing on a wire) and `hid` (the handset's Ring LED / Ringer
 * usage). Claims: the buzzer pin or the HID reference.
 */
import type { z } from 'zod';
import { GpioRinger } from '../../drivers/ringer.js';
import { pinSchema } from '../pins.js';
import { id, type Zod } from './common.js';
import type { RingerComponent } from './types.js';

const gpioBuzzerSchema = (z: Zod) => z.strictObject({ type: z.literal('gpio-buzzer'), pin: pinSchema(z), activeLow: z.boolean().default(false) });
const audioSchema = (z: Zod) => z.strictObject({ type: z.literal('audio'), device: z.string().optional() });
const hidSchema = (z: Zod) => z.strictObject({ type: z.literal('hid'), device: id(z) });

export const ringerGpioBuzzer = {
  type: 'gpio-buzzer',
  schema: gpioBuzzerSchema,
  claims: (r) => ({ pins: [{ pin: r.pin, path: ['ringer', 'pin'] }] }),
  wire: (r) => ({ pin: r.pin, activeLow: r.activeLow }),
  async driver(r, ctx) {
    const p = await ctx.resolve(r.pin, 'ringer.pin');
    const line = await p.gpio.openLine(p.offset, { direction: 'out', activeLow: r.activeLow, initial: 0, consumer: 'ringer' });
    return new GpioRinger({ clock: ctx.clock, line, name: 'ringer', ...ctx.logger });
  },
  emulate: (r, ctx) => ctx.observe(r.pin, r.activeLow, 'ringer.pin'),
} satisfies RingerComponent<z.output<ReturnType<typeof gpioBuzzerSchema>>>;

export const ringerAudio = {
  type: 'audio',
  schema: audioSchema,
  claims: () => ({}),
  wire: () => undefined,
  driver: async (_r, ctx) => new GpioRinger({ clock: ctx.clock, name: 'ringer', ...ctx.logger }), // tone-only: nothing on a wire
  emulate: () => undefined,
} satisfies RingerComponent<z.output<ReturnType<typeof audioSchema>>>;

export const ringerHid = {
  type: 'hid',
  schema: hidSchema,
  claims: (r) => ({ hid: [{ ref: r.device, path: ['ringer', 'device'] }] }),
  wire: () => undefined,
  driver: async (r, ctx) => (await ctx.handset(r.device, 'ringer.device')).ringer('ringer'),
  emulate: (r, ctx) => ctx.observeLed(r.device, 'ring'),
} satisfies RingerComponent<z.output<ReturnType<typeof hidSchema>>>;
