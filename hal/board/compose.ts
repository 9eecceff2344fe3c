/**
 * Board composition: a validated BoardConfig → PhoneHardware. In 'emulated' mode every device is
 * a hal/emul emulator wired exactly as the config says, and the firmware-facing objects are the
 * REAL hal/drivers classes talking to those emulators, so the simulator and the tests exercise the
 * same driver code as a Pi.
 */
import { HalError, type KeyName, type LampMode, type PhoneHardware, type RingMode } from '../api/index.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import type { EmulatedI2cBus } from '../emul/i2c-bus.js';
import { composeEmulatedDisplay, createEmulatedI2cBuses, type ComposeOptions } from './compose-display.js';
import type { BoardConfig } from './schema.js';

export type { ComposeOptions } from './compose-display.js';

/** The user's side of the emulated keypad: press/release keys by their config names. */
export interface KeypadEmulatorControls {
  press(key: KeyName): void;
  release(key: KeyName): void;
  /** Press, hold `holdMs` (default: 3 × debounce) on the board clock, release, wait as long again. */
  tap(key: KeyName, holdMs?: number): Promise<void>;
  /** Key names the config wires, in grid order. */
  readonly keys: readonly KeyName[];
}

export interface HookEmulatorControls {
  lift(): void;
  replace(): void;
  readonly offHook: boolean;
}

export interface EmulatedBoardDevices {
  /** The bus the display is on. */
  i2c: EmulatedI2cBus;
  /** Every declared bus, by number. */
  i2cBuses: ReadonlyMap<number, EmulatedI2cBus>;
  lcd?: EmulatedHd44780;
  keypad: KeypadEmulatorControls;
  hook: HookEmulatorControls;
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
 * The GPIO half (header GPIO controller emulator, matrix keypad emulator, MatrixKeypad,
 * GpioHookSwitch, GpioLamp, GpioRinger). Those hal/emul + hal/drivers classes are not in the tree
 * yet; until they are, composing a whole board fails with this error naming them.
 */
const MISSING_GPIO_PARTS = [
  'hal/emul: EmulatedGpioController, matrix keypad emulator',
  'hal/drivers: MatrixKeypad, GpioHookSwitch, GpioLamp, GpioRinger',
];

/** Builds the emulated board described by `config`; drivers are started (display initialised). */
export async function composeEmulatedBoard(config: BoardConfig, opts: ComposeOptions): Promise<EmulatedBoard> {
  const buses = createEmulatedI2cBuses(config, opts.clock);
  const disp = composeEmulatedDisplay(config.display, buses, opts);
  // Until the GPIO half exists, release what was built and say exactly what is missing.
  await disp.display.close();
  for (const b of buses.values()) await b.close();
  throw new HalError('UNAVAILABLE', `GPIO emulation parts missing: ${MISSING_GPIO_PARTS.join('; ')}`, {
    device: config.board.name, operation: 'compose emulated board',
    hint: 'use composeEmulatedDisplay() for the display alone until hal/emul/gpio and the GPIO drivers land',
  });
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
