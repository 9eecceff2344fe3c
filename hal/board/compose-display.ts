/**
 * The I2C half of an emulated board: one EmulatedI2cBus per `i2c:` entry, the display's emulated
 * module plugged into it at the configured address and pin map, and the REAL display driver
 * talking to it over the emulated bus.
 */
import { HalError, type Clock, type TextDisplay } from '../api/index.js';
import { Hd44780Display, type LcdPinMap } from '../drivers/hd44780.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import { EmulatedI2cBus } from '../emul/i2c-bus.js';
import { attachEmulatedLcdBackpack } from '../emul/lcd-backpack.js';
import type { EmulatedPcf8574 } from '../emul/pcf8574.js';
import type { BackpackPins, BoardConfig, DisplayConfig } from './schema.js';

export interface ComposeOptions {
  clock: Clock;
  /** Driver status messages (display offline/online ...); default console.warn. */
  log?: (message: string) => void;
}

/** One emulated bus per declared `i2c:` entry, keyed by bus number. */
export function createEmulatedI2cBuses(config: BoardConfig, clock: Clock): Map<number, EmulatedI2cBus> {
  const buses = new Map<number, EmulatedI2cBus>();
  for (const b of config.i2c) buses.set(b.bus, new EmulatedI2cBus({ clock, busNumber: b.bus, bitRateHz: b.speedHz }));
  return buses;
}

/** "P3" → PCF8574 bit 3 (TI SCPS068: P0..P7 are bits 0..7 of the port byte). */
function backpackBits(pins: BackpackPins): LcdPinMap {
  const bit = (p: string): number => Number(p.slice(1));
  return {
    rs: bit(pins.rs), rw: bit(pins.rw), e: bit(pins.e), backlight: bit(pins.backlight),
    d4: bit(pins.d4), d5: bit(pins.d5), d6: bit(pins.d6), d7: bit(pins.d7),
  };
}

export interface EmulatedDisplayParts {
  /** The real driver, as the firmware sees it. */
  display: TextDisplay & { close(): Promise<void> };
  /** The emulated HD44780 module (screen(), violations ...). */
  lcd?: EmulatedHd44780;
  /** The emulated backpack expander. */
  backpack?: EmulatedPcf8574;
}

export function composeEmulatedDisplay(
  display: DisplayConfig, buses: ReadonlyMap<number, EmulatedI2cBus>, opts: ComposeOptions,
): EmulatedDisplayParts {
  const bus = buses.get(display.bus);
  if (!bus) {
    throw new HalError('INVALID', `i2c-${display.bus} is not declared`, {
      device: `i2c-${display.bus}`, operation: 'compose display', hint: `add "- bus: ${display.bus}" under i2c: in the board config`,
    });
  }
  if (display.type === 'ssd1306') {
    throw new HalError('UNAVAILABLE', 'no SSD1306 driver/emulator in hal/drivers, hal/emul yet', {
      device: `${bus.name}@0x${display.address.toString(16)} (SSD1306)`, operation: 'compose display',
      hint: 'use an hd44780 display for emulated boards for now (board-configs/laptop-emulated.yaml)',
    });
  }
  const pinMap = backpackBits(display.pins);
  const { lcd, pcf } = attachEmulatedLcdBackpack({
    bus, clock: opts.clock, address: display.address, cols: display.cols, rows: display.rows, pinMap,
  });
  const driver = new Hd44780Display({
    bus, address: display.address, clock: opts.clock, cols: display.cols, rows: display.rows, pinMap, name: 'lcd',
    ...(opts.log ? { logger: opts.log } : {}),
  });
  return { display: driver, lcd, backpack: pcf };
}
