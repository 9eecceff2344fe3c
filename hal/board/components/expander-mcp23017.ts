/**
 * `expanders: [{type: mcp23017}]`: a 16-line I2C GPIO expander (docs/board-config.md "Pins").
 * Driver: Mcp23017 as a GpioController (its pins resolve as kp:GPB3); emulator: an
 * ObservedMcp23017 register file at the address. Both imported when a board first uses one.
 */
import { atKey } from '../platform.js';
import type { ExpanderComponent } from './types.js';

export const expanderMcp23017 = {
  type: 'mcp23017' as const,
  /** DS20001952C §1.0 pin table: GPA0..GPA7 then GPB0..GPB7 (16 lines). */
  pins: [...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `GPA${i}`), ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `GPB${i}`)],
  /** DS20001952C §3.3.1: 0b0100 A2 A1 A0 → 0x20..0x27. */
  addresses: [0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27],
  async driver(e, ctx, ekey) {
    const bus = await ctx.i2cBus(e.bus, `${ekey}.bus`);
    const { Mcp23017 } = await import('../../drivers/mcp23017.js');
    const chip = new Mcp23017({ bus, address: e.address, clock: ctx.clock, ...ctx.logger });
    try { await chip.init(); } catch (err) { throw atKey(err, `${ekey} (${e.id})`, ctx.mode); }
    return chip;
  },
  async emulate(e, bus) {
    const { ObservedMcp23017 } = await import('./observed.js');
    const chip = new ObservedMcp23017({ name: `${e.id} (mcp23017@0x${e.address.toString(16)})` });
    bus.attach(e.address, chip);
    return chip;
  },
} satisfies ExpanderComponent;
