/**
 * `display: {type: hd44780}`: a character LCD behind a PCF8574 "backpack" (docs/board-config.md).
 * Driver: Hd44780Display over the backpack; emulator: EmulatedPcf8574 + EmulatedHd44780 at the
 * address; claims: the I2C address on its bus. Driver and emulator modules are imported when a
 * board first uses them (a board without this display loads neither, a real one no emulator).
 */
import type { z } from 'zod';
import { busNumber, i2cAddress, type Zod } from './common.js';
import type { DisplayComponent } from './types.js';

/**
 * HD44780 behind a PCF8574 "backpack": which expander bit drives which LCD signal. Default is the
 * common YwRobot/LCM1602 backpack wiring (RS=P0, RW=P1, E=P2, backlight=P3, D4..D7=P4..P7).
 */
const backpack = (z: Zod) => {
  const backpackPin = z.enum(['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
  return z.strictObject({
    rs: backpackPin.default('P0'), rw: backpackPin.default('P1'), e: backpackPin.default('P2'),
    backlight: backpackPin.default('P3'),
    d4: backpackPin.default('P4'), d5: backpackPin.default('P5'), d6: backpackPin.default('P6'), d7: backpackPin.default('P7'),
  });
};
export type BackpackPins = z.output<ReturnType<typeof backpack>>;

const schema = (z: Zod) => z.strictObject({
  type: z.literal('hd44780'),
  bus: busNumber(z),
  /** 0x27 = PCF8574 with A2..A0 high, the usual backpack default. */
  address: i2cAddress(z).default(0x27),
  /** HD44780U datasheet: DDRAM holds 80 characters; common modules are 8x1..40x2, 16x2, 20x4. */
  cols: z.number().int().min(8).max(40).default(20),
  rows: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(4),
  pins: backpack(z).prefault({}),
});
export type Hd44780Config = z.output<ReturnType<typeof schema>>;

/** "P3" → PCF8574 bit 3 (TI SCPS068: P0..P7 are bits 0..7 of the port byte). */
export function backpackBits(pins: BackpackPins): { rs: number; rw: number; e: number; backlight: number; d4: number; d5: number; d6: number; d7: number } {
  const bit = (p: string): number => Number(p.slice(1));
  return { rs: bit(pins.rs), rw: bit(pins.rw), e: bit(pins.e), backlight: bit(pins.backlight), d4: bit(pins.d4), d5: bit(pins.d5), d6: bit(pins.d6), d7: bit(pins.d7) };
}

export const displayHd44780 = {
  type: 'hd44780',
  schema,
  label: 'HD44780 (PCF8574 backpack)',
  claims: (d) => ({ i2c: [{ bus: d.bus, address: d.address, busPath: ['display', 'bus'], addressPath: ['display', 'address'], who: 'display (hd44780)' }] }),
  check(d, bad) {
    // HD44780U datasheet, "Display Data RAM": 80 characters of DDRAM.
    if (d.cols * d.rows > 80) bad(['display', 'cols'], `${d.cols}x${d.rows} exceeds the HD44780's 80 characters of DDRAM`);
    const seen = new Map<string, string>();
    for (const sig of ['rs', 'rw', 'e', 'backlight', 'd4', 'd5', 'd6', 'd7'] as const) {
      const other = seen.get(d.pins[sig]);
      if (other) bad(['display', 'pins', sig], `backpack ${d.pins[sig]} is already wired to ${other}`);
      else seen.set(d.pins[sig], sig);
    }
  },
  async driver(d, ctx) {
    const bus = await ctx.i2cBus(d.bus, 'display.bus');
    const { Hd44780Display } = await import('../../drivers/hd44780.js');
    return new Hd44780Display({ bus, address: d.address, clock: ctx.clock, cols: d.cols, rows: d.rows, pinMap: backpackBits(d.pins), name: 'lcd', ...ctx.logger });
  },
  async emulate(d, bus, clock) {
    const { attachEmulatedLcdBackpack } = await import('../../emul/lcd-backpack.js');
    const { lcd, pcf } = attachEmulatedLcdBackpack({ bus, clock, address: d.address, cols: d.cols, rows: d.rows, pinMap: backpackBits(d.pins) });
    return { lcd, backpack: pcf, screen: () => lcd.screen() };
  },
} satisfies DisplayComponent<Hd44780Config>;
