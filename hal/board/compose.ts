/**
 * Board composition: a validated BoardConfig → PhoneHardware. In 'emulated' mode every device is
 * a hal/emul emulator wired exactly as the config says, and the firmware-facing objects are the
 * REAL hal/drivers classes talking to those emulators, so the simulator and the tests exercise the
 * same driver code as a Pi.
 */
import { HalError, type LampMode, type PhoneHardware, type RingMode } from '../api/index.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import type { EmulatedI2cBus } from '../emul/i2c-bus.js';
import { composeEmulatedDisplay, createEmulatedI2cBuses, type ComposeOptions } from './compose-display.js';
import { composeEmulatedGpio, type GpioParts, type KeypadControls, type SwitchControls } from './compose-gpio.js';
import type { EmulatedGpioController } from '../emul/gpio.js';
import type { BoardConfig } from './schema.js';

export type { ComposeOptions } from './compose-display.js';

export type { KeypadControls, SwitchControls } from './compose-gpio.js';

export interface EmulatedBoardDevices {
  /** The bus the display is on. */
  i2c: EmulatedI2cBus;
  /** Every declared bus, by number. */
  i2cBuses: ReadonlyMap<number, EmulatedI2cBus>;
  lcd?: EmulatedHd44780;
  /** Header GPIO lines (levels, outputs, external drive). */
  gpio: EmulatedGpioController;
  keypad: KeypadControls;
  /** lift() = handset off the cradle. */
  hook: SwitchControls;
  /** lift() = headset plugged in (when the board has headsetDetect). */
  headset?: SwitchControls;
  /** What each lamp's emulated output shows now, by lamp name. */
  lamps: Readonly<Record<string, () => LampMode>>;
  ringer: () => RingMode;
}

export interface EmulatedBoard {
  config: BoardConfig;
  hardware: PhoneHardware;
  emulators: EmulatedBoardDevices;
  /** Stops drivers (scanning, probing, cadences) and releases emulated lines. */
  close(): Promise<void>;
}

/**
 * Builds the emulated board described by `config`. Input drivers (keypad scan, hook) are started
 * (start() is idempotent); the display is NOT initialised here: call hardware.display.init() (the
 * PhoneApp does) and advance the clock past its ~60 ms power-on sequence.
 */
export async function composeEmulatedBoard(config: BoardConfig, opts: ComposeOptions): Promise<EmulatedBoard> {
  const buses = createEmulatedI2cBuses(config, opts.clock);
  const disp = composeEmulatedDisplay(config.display, buses, opts);
  let gpio: GpioParts;
  try {
    gpio = await composeEmulatedGpio(config, opts);
  } catch (e) {
    await disp.display.close();
    for (const b of buses.values()) await b.close();
    throw e;
  }
  const hardware: PhoneHardware = {
    display: disp.display, keypad: gpio.keypad, hook: gpio.hook, lamps: gpio.lamps, ringer: gpio.ringer,
    softkeyCount: config.softkeys.count, ...(gpio.headsetDetect ? { headsetDetect: gpio.headsetDetect } : {}),
  };
  return {
    config,
    hardware,
    emulators: {
      i2c: buses.get(config.display.bus)!, i2cBuses: buses, ...(disp.lcd ? { lcd: disp.lcd } : {}),
      gpio: gpio.gpio, keypad: gpio.controls.keypad, hook: gpio.controls.hook,
      ...(gpio.controls.headset ? { headset: gpio.controls.headset } : {}),
      lamps: gpio.controls.lamps, ringer: gpio.controls.ringer,
    },
    close: async () => {
      await gpio.close();
      await disp.display.close();
      for (const b of buses.values()) await b.close();
    },
  };
}

export interface ComposeBoardOptions extends ComposeOptions {
  mode: 'emulated' | 'hardware';
}

/** Composes for the emulator or for real hardware. Hardware bindings (hal/bindings) do not exist yet. */
export async function composeBoard(config: BoardConfig, opts: ComposeBoardOptions): Promise<EmulatedBoard> {
  if (opts.mode === 'emulated') return composeEmulatedBoard(config, opts);
  throw new HalError('UNAVAILABLE', 'hardware bindings not available yet', {
    device: `${config.board.model} "${config.board.name}"`, operation: 'compose hardware board',
    hint: 'run with the emulated board (deskphone sim) until hal/bindings provides GPIO/I2C/HID/PCM adapters',
  });
}
