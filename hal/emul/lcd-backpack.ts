/**
 * Convenience: an HD44780 module with a PCF8574 backpack plugged into an emulated I2C bus.
 */
import type { Clock } from '../api/index.js';
import { EmulatedHd44780, type LcdPinMap } from './hd44780.js';
import type { EmulatedI2cBus } from './i2c-bus.js';
import { EmulatedPcf8574 } from './pcf8574.js';

export interface EmulatedLcdBackpackOptions {
  bus: EmulatedI2cBus;
  clock: Clock;
  /** Default 0x27, the usual PCF8574 backpack address (A0-A2 pulled high, SCPS068 Table 8.3.2). */
  address?: number;
  cols?: number;
  rows?: number;
  pinMap?: Partial<LcdPinMap>;
  rowStarts?: readonly number[];
  /** Bound of the HD44780's strobe/instruction/violation logs (default 10000). */
  logLimit?: number;
}

export interface EmulatedLcdBackpack { pcf: EmulatedPcf8574; lcd: EmulatedHd44780; address: number }

export function attachEmulatedLcdBackpack(opts: EmulatedLcdBackpackOptions): EmulatedLcdBackpack {
  const address = opts.address ?? 0x27;
  const pcf = new EmulatedPcf8574({ name: `pcf8574@0x${address.toString(16)}` });
  const lcd = new EmulatedHd44780({
    clock: opts.clock, cols: opts.cols ?? 16, rows: opts.rows ?? 2,
    ...(opts.pinMap ? { pinMap: opts.pinMap } : {}), ...(opts.rowStarts ? { rowStarts: opts.rowStarts } : {}),
    ...(opts.logLimit !== undefined ? { logLimit: opts.logLimit } : {}),
  });
  lcd.connectTo(pcf);
  opts.bus.attach(address, pcf);
  return { pcf, lcd, address };
}
