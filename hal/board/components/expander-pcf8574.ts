/**
 * `expanders: [{type: pcf8574}]`: an 8-line quasi-bidirectional I2C expander. Its pins are
 * accepted by the schema and checks, but not yet usable as GPIO (a HalError UNAVAILABLE naming
 * the key; docs/board-config.md "Composing a board").
 */
import { HalError } from '../../api/index.js';
import type { ExpanderComponent } from './types.js';

export const expanderPcf8574 = {
  type: 'pcf8574' as const,
  /** TI SCPS068 pin functions table: P0..P7 (8 quasi-bidirectional lines). */
  pins: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `P${i}`),
  /**
   * TI SCPS068 address reference table: 0b0100 A2 A1 A0 → 0x20..0x27; the PCF8574A variant is
   * 0b0111 A2 A1 A0 → 0x38..0x3F.
   */
  addresses: [0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f],
  async driver(e, _ctx, _ekey, key) {
    throw new HalError('UNAVAILABLE', `${e.type} expander pins are not supported as GPIO yet`, {
      device: key, operation: 'resolve pin', hint: 'use an MCP23017 or header GPIOs for keys, hook and lamps',
    });
  },
  emulate: async () => undefined,
} satisfies ExpanderComponent;
