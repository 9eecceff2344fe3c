/**
 * `hid: [{id, ...}]`: USB HID telephony devices, referenced by id from the keypad, hook, lamps and
 * ringer. Driver: one HidHandset per id on the platform's HID host; emulator: one
 * ObservedHidTelephony handset per id. Each is imported when a board first has a hid: entry.
 */
import type { z } from 'zod';
import type { HidHost } from '../../api/index.js';
import type { HidHandset, HidMatch } from '../../drivers/hid-telephony.js';
import { id, type Zod } from './common.js';
import type { ObservedHidTelephony } from './observed.js';

export const hidDeviceSchema = (z: Zod) => z.strictObject({
  id: id(z),
  vendorId: z.number().int().min(0).max(0xffff).optional(),
  productId: z.number().int().min(0).max(0xffff).optional(),
  /** Telephony usage page 0x0B (HUT 1.12 §14) finds handsets without knowing the ids. */
  usagePage: z.number().int().min(0).max(0xffff).optional(),
  product: z.string().optional(),
}).refine((v) => v.vendorId !== undefined || v.usagePage !== undefined || v.product !== undefined,
  { message: 'a HID device needs something to match on: vendorId/productId, usagePage or product' });
export type HidDeviceConfig = z.output<ReturnType<typeof hidDeviceSchema>>;

/** What a configured device is matched on (the fields it gives). */
export function hidMatch(hc: HidDeviceConfig): HidMatch {
  return {
    ...(hc.vendorId !== undefined ? { vendorId: hc.vendorId } : {}), ...(hc.productId !== undefined ? { productId: hc.productId } : {}),
    ...(hc.usagePage !== undefined ? { usagePage: hc.usagePage } : {}), ...(hc.product !== undefined ? { product: hc.product } : {}),
  };
}

export async function hidDriver(hc: HidDeviceConfig, host: HidHost, opts: { clock: HidHandset['clock']; logger: { logger?: (m: string) => void } }): Promise<HidHandset> {
  const { HidHandset } = await import('../../drivers/hid-telephony.js');
  return new HidHandset({ host, clock: opts.clock, match: hidMatch(hc), name: hc.id, ...opts.logger });
}

/** The emulated handset for the `index`-th hid: entry (hidraw numbers follow the entry order). */
export async function hidEmulator(hc: HidDeviceConfig, index: number): Promise<ObservedHidTelephony> {
  const { ObservedHidTelephony } = await import('./observed.js');
  return new ObservedHidTelephony({
    model: 'handset', path: `/dev/hidraw${3 + index}`,
    ...(hc.vendorId !== undefined ? { vendorId: hc.vendorId } : {}), ...(hc.productId !== undefined ? { productId: hc.productId } : {}),
    ...(hc.product !== undefined ? { product: hc.product } : {}),
  });
}
