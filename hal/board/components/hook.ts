/**
 * `hook:` and `headsetDetect:`: a debounced two-state input on a pin or a HID Hook Switch usage
 * (docs/board-config.md). Driver: GpioHookSwitch on the resolved line (bias from the contact's
 * direction) or the HidHandset; emulator: a contact on the header line / MCP23017 pin, or the
 * handset's Hook Switch report. Also the softkey buttons' contacts (softkeys.ts).
 */
import type { z } from 'zod';
import type { HookSwitch } from '../../api/index.js';
import { openGpioHookSwitch, type GpioHookSwitch } from '../../drivers/hook-switch.js';
import { pinSchema, type PinRef } from '../pins.js';
import { id, ms, type Zod } from './common.js';
import type { Claims, DriverContext, EmulatorContext, ResolvedPin } from './types.js';

export const switchSchema = (z: Zod) => z.strictObject({
  pin: pinSchema(z).optional(),
  hid: id(z).optional(),
  /** Hook switches usually close to ground: off-hook reads low. */
  activeLow: z.boolean().default(true),
  debounceMs: ms(z, 30, 1000),
}).refine((v) => (v.pin === undefined) !== (v.hid === undefined), { message: 'give exactly one of "pin" or "hid"' });
export type SwitchConfig = z.output<ReturnType<typeof switchSchema>>;

export interface SwitchControls { lift(): void; replace(): void; readonly offHook: boolean }

/** Input bias for a switch: pull-up for contacts to GND; to 3V3 a pull-down (the MCP23017 has none: external). */
export const switchBias = (p: ResolvedPin, activeLow: boolean): 'pull-up' | 'pull-down' | 'disable' =>
  activeLow ? 'pull-up' : p.onExpander ? 'disable' : 'pull-down';

/** A debounced contact on a pin (hook, headset detect, softkey buttons). */
export async function openContact(pin: PinRef, key: string, o: { name: string; activeLow: boolean; debounceMs: number; offHookLevel?: 0 | 1 }, ctx: DriverContext): Promise<GpioHookSwitch> {
  const p = await ctx.resolve(pin, key);
  return openGpioHookSwitch({
    gpio: p.gpio, offset: p.offset, clock: ctx.clock, name: o.name, activeLow: o.activeLow, bias: switchBias(p, o.activeLow), debounceMs: o.debounceMs,
    ...(o.offHookLevel !== undefined ? { offHookLevel: o.offHookLevel } : {}),
  });
}

/** `section` is 'hook' or 'headsetDetect'. */
export const hookSwitch = {
  schema: switchSchema,
  claims: (sw: SwitchConfig, section: string): Claims => ({
    ...(sw.pin ? { pins: [{ pin: sw.pin, path: [section, 'pin'] }] } : {}),
    ...(sw.hid !== undefined ? { hid: [{ ref: sw.hid, path: [section, 'hid'] }] } : {}),
  }),
  driver(sw: SwitchConfig, section: string, name: string, ctx: DriverContext): Promise<HookSwitch> {
    if (sw.hid !== undefined) return ctx.at(`${section}.hid`, () => ctx.handset(sw.hid!, `${section}.hid`));
    // activeLow: the contact closes to GND off hook; the line is opened active-low so logical 1 = off hook.
    return ctx.at(`${section}.pin`, () => openContact(sw.pin!, `${section}.pin`, { name, activeLow: sw.activeLow, debounceMs: sw.debounceMs, offHookLevel: 1 }, ctx));
  },
  emulate(sw: SwitchConfig, section: string, ctx: EmulatorContext): SwitchControls {
    if (sw.hid !== undefined) {
      const h = ctx.hid(sw.hid);
      let off = false;
      return { lift: () => { off = true; h.setHook(true); }, replace: () => { off = false; h.setHook(false); }, get offHook() { return off; } };
    }
    const c = ctx.contact(sw.pin!, sw.activeLow, `${section}.pin`);
    return { lift: () => c.set(true), replace: () => c.set(false), get offHook() { return c.closed; } };
  },
};
