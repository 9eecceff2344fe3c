/**
 * `display: {type: ssd1306}`: a 128x64 / 128x32 OLED (docs/board-config.md). Driver:
 * Ssd1306Display (21x8 or 21x4 text); emulator: EmulatedSsd1306 (GDDRAM) at the address, its text
 * read back from the pixels (screen-text.ts); claims: the I2C address on its bus. Driver and
 * emulator modules are imported when a board first uses them.
 */
import type { z } from 'zod';
import { busNumber, type Zod } from './common.js';
import type { DisplayComponent } from './types.js';

const schema = (z: Zod) => z.strictObject({
  type: z.literal('ssd1306'),
  bus: busNumber(z),
  /** SSD1306 datasheet §8.1.5: slave address 0b011110 SA0 → 0x3C or 0x3D. */
  address: z.union([z.literal(0x3c), z.literal(0x3d)]).default(0x3c),
  /** SSD1306 §7.7: GDDRAM is 128 x 64 bits; 128x32 modules use half of it. */
  width: z.literal(128).default(128),
  height: z.union([z.literal(64), z.literal(32)]).default(64),
});
export type Ssd1306Config = z.output<ReturnType<typeof schema>>;

export const displaySsd1306 = {
  type: 'ssd1306',
  schema,
  label: 'SSD1306 OLED',
  claims: (d) => ({ i2c: [{ bus: d.bus, address: d.address, busPath: ['display', 'bus'], addressPath: ['display', 'address'], who: 'display (ssd1306)' }] }),
  async driver(d, ctx) {
    const bus = await ctx.i2cBus(d.bus, 'display.bus');
    const { Ssd1306Display } = await import('../../drivers/ssd1306.js');
    return new Ssd1306Display({ bus, address: d.address, clock: ctx.clock, height: d.height, name: 'oled', ...ctx.logger });
  },
  async emulate(d, bus, _clock, name = `ssd1306@0x${d.address.toString(16)}`) {
    const { EmulatedSsd1306 } = await import('../../emul/ssd1306.js');
    const { ssd1306Text } = await import('../screen-text.js');
    const oled = new EmulatedSsd1306({ height: d.height, name });
    bus.attach(d.address, oled);
    return { oled, screen: (grid) => ssd1306Text(oled, grid.cols, grid.rows) };
  },
} satisfies DisplayComponent<Ssd1306Config>;
