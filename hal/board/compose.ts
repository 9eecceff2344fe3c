/**
 * Board composition: a validated BoardConfig → PhoneHardware, the same real drivers
 * (compose-drivers.ts) on one of two platforms:
 * - 'emulated': hal/emul devices wired as the config says (emulated-board.ts), plus controls to
 *   press keys, lift the hook and read lamps/ringer/screen back — the simulator and CI boards;
 * - 'hardware': the hal/bindings adapters (hardware-platform.ts) on a Raspberry Pi.
 */
import type { LampMode, PhoneHardware, RingMode } from '../api/index.js';
import type { EmulatedGpioController } from '../emul/gpio.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import type { EmulatedI2cBus } from '../emul/i2c-bus.js';
import type { EmulatedSsd1306 } from '../emul/ssd1306.js';
import { composeDrivers } from './compose-drivers.js';
import type {
  KeypadControls, ObservedHidTelephony, ObservedMcp23017, SwitchControls,
} from './emulated-board.js';
import { createHardwarePlatform, type HardwareBindingOptions } from './hardware-platform.js';
import type { ComposeOptions } from './platform.js';
import type { BoardConfig } from './schema.js';

export type { ComposeOptions } from './platform.js';
export type { KeypadControls, SwitchControls } from './emulated-board.js';
export type { HardwareBindingOptions } from './hardware-platform.js';

export interface EmulatedBoardDevices {
  /** The bus the display is on. */
  i2c: EmulatedI2cBus;
  /** Every declared bus, by number. */
  i2cBuses: ReadonlyMap<number, EmulatedI2cBus>;
  /** The emulated HD44780 module (hd44780 displays). */
  lcd?: EmulatedHd44780;
  /** The emulated SSD1306 OLED (ssd1306 displays): GDDRAM, violations, png(). */
  oled?: EmulatedSsd1306;
  /** Text rows the display shows now, read off the emulated module (either display type). */
  screen(): string[];
  /** Header GPIO lines (levels, outputs, external drive). */
  gpio: EmulatedGpioController;
  /** MCP23017 expanders by config id. */
  expanders: ReadonlyMap<string, ObservedMcp23017>;
  /** Emulated USB telephony handsets by config `hid:` id. */
  hid: ReadonlyMap<string, ObservedHidTelephony>;
  keypad: KeypadControls;
  /** lift() = handset off the cradle. */
  hook: SwitchControls;
  /** lift() = headset plugged in (when the board has headsetDetect). */
  headset?: SwitchControls;
  /** What each lamp's emulated output shows now, by lamp name. */
  lamps: Readonly<Record<string, () => LampMode>>;
  ringer: () => RingMode;
}

export interface HardwareBoard {
  config: BoardConfig;
  hardware: PhoneHardware;
  /** Stops drivers (scanning, probing, cadences) and releases lines, buses and devices. */
  close(): Promise<void>;
}

export interface EmulatedBoard extends HardwareBoard {
  emulators: EmulatedBoardDevices;
}

/**
 * Builds the emulated board described by `config`. Input drivers (keypad scan, hook) are started;
 * the display is NOT initialised here: call hardware.display.init() (the PhoneApp does) and
 * advance the clock past its power-on sequence.
 */
export async function composeEmulatedBoard(config: BoardConfig, opts: ComposeOptions): Promise<EmulatedBoard> {
  // Imported here, so a hardware composition never loads the emulated devices.
  const { attachControls, createEmulatedDevices } = await import('./emulated-board.js');
  const dev = await createEmulatedDevices(config, opts.clock);
  let hardware: PhoneHardware | undefined;
  let controls: Awaited<ReturnType<typeof attachControls>>;
  try {
    controls = await attachControls(config, dev, opts.clock, () => hardware?.ringer.mode ?? 'off',
      () => ({ cols: hardware?.display.cols ?? 21, rows: hardware?.display.rows ?? 8 }));
  } catch (e) {
    await dev.platform.close();
    throw e;
  }
  let drivers: Awaited<ReturnType<typeof composeDrivers>>;
  try {
    drivers = await composeDrivers(config, dev.platform, opts);
  } catch (e) {
    controls.close();
    await dev.platform.close();
    throw e;
  }
  hardware = drivers.hardware;
  return {
    config,
    hardware,
    emulators: {
      i2c: dev.buses.get(config.display.bus)!, i2cBuses: dev.buses,
      ...(dev.lcd ? { lcd: dev.lcd } : {}), ...(dev.oled ? { oled: dev.oled } : {}), screen: controls.screen,
      gpio: dev.gpio, expanders: dev.expanders, hid: dev.hid,
      keypad: controls.keypad, hook: controls.hook, ...(controls.headset ? { headset: controls.headset } : {}),
      lamps: controls.lamps, ringer: controls.ringer,
    },
    close: async () => {
      await drivers.close();
      controls.close();
      await dev.platform.close();
    },
  };
}

/** The real board: hal/bindings for I2C, GPIO and HID. Fails with a HalError naming the config key. */
export async function composeHardwareBoard(config: BoardConfig, opts: ComposeOptions & { bindings?: HardwareBindingOptions }): Promise<HardwareBoard> {
  const platform = createHardwarePlatform(config, { clock: opts.clock, ...(opts.log ? { log: opts.log } : {}), ...opts.bindings });
  try {
    const drivers = await composeDrivers(config, platform, opts);
    return { config, hardware: drivers.hardware, close: async () => { await drivers.close(); await platform.close(); } };
  } catch (e) {
    await platform.close();
    throw e;
  }
}

export interface ComposeBoardOptions extends ComposeOptions {
  mode: 'emulated' | 'hardware';
  /** Hardware mode: binding choices and injected modules/roots (tests). */
  bindings?: HardwareBindingOptions;
}

/** Composes for the emulator or for real hardware. */
export function composeBoard(config: BoardConfig, opts: ComposeOptions & { mode: 'emulated' }): Promise<EmulatedBoard>;
export function composeBoard(config: BoardConfig, opts: ComposeBoardOptions): Promise<HardwareBoard>;
export function composeBoard(config: BoardConfig, opts: ComposeBoardOptions): Promise<HardwareBoard> {
  return opts.mode === 'emulated' ? composeEmulatedBoard(config, opts) : composeHardwareBoard(config, opts);
}
