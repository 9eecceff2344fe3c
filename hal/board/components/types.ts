/**
 * The contract of a board component (hal/board/components/<component>.ts): one config entry type
 * (display: hd44780, keypad: matrix, ringer: hid ...) with, in one place,
 * - its zod schema piece, a function of the zod namespace (schema.ts assembles the sections from
 *   the registry, index.ts, and is the only board module that loads zod),
 * - its pin, I2C-address and HID claims and own checks (checks.ts runs the whole-board checks over them),
 * - its driver composition: the REAL hal/drivers object built from platform handles (DriverContext,
 *   handed in by compose-drivers.ts),
 * - its emulator composition: which hal/emul devices the emulated platform attaches and how the
 *   "outside world" drives or reads them (EmulatorContext, handed in by emulated-board.ts).
 * Recipe for a new one: docs/architecture.md "Recipe: a board component".
 */
import type { z } from 'zod';
import type { Zod } from './common.js';
import type {
  Clock, GpioController, HookSwitch, I2cBus, Keypad, KeyName, Lamp, RingMode, Ringer, TextDisplay,
} from '../../api/index.js';
import type { KeyPath } from '../../../lib/config/yaml-config.js';
import type { HidHandset } from '../../drivers/hid-telephony.js';
import type { Mcp23017 } from '../../drivers/mcp23017.js';
import type { EmulatedGpioController } from '../../emul/gpio.js';
import type { EmulatedHd44780 } from '../../emul/hd44780.js';
import type { EmulatedHidLed } from '../../emul/hid-telephony.js';
import type { EmulatedI2cBus } from '../../emul/i2c-bus.js';
import type { EmulatedPcf8574 } from '../../emul/pcf8574.js';
import type { EmulatedSsd1306 } from '../../emul/ssd1306.js';
import type { OutputObserver } from '../observe.js';
import type { PinRef } from '../pins.js';
import type { ObservedHidTelephony, ObservedMcp23017 } from './observed.js';

/** Something a component takes, with the key path it was written at (for the whole-board checks). */
export interface PinClaim { pin: PinRef; path: KeyPath }
export interface I2cClaim { bus: number; address: number; busPath: KeyPath; addressPath: KeyPath; who: string }
export interface HidClaim { ref: string; path: KeyPath }
export interface Claims { pins?: PinClaim[]; i2c?: I2cClaim[]; hid?: HidClaim[] }
/** Reports one problem at a key path (checks.ts turns it into file:line:col: path: message). */
export type Report = (path: KeyPath, message: string) => void;

/** A pin resolved to the controller that has it. */
export interface ResolvedPin { gpio: GpioController; offset: number; label: string; onExpander: boolean }

/** What a component's driver half gets from compose-drivers.ts. */
export interface DriverContext {
  readonly mode: 'emulated' | 'hardware';
  clock: Clock;
  /** Spread into driver options: `{ logger }` when a log was given. */
  logger: { logger?: (message: string) => void };
  i2cBus(bus: number, key: string): Promise<I2cBus>;
  resolve(pin: PinRef, key: string): Promise<ResolvedPin>;
  handset(id: string, key: string): Promise<HidHandset>;
  /** The MCP23017 driver behind a controller handed out by resolve(), when it is one. */
  mcpBehind(gpio: GpioController): Mcp23017 | undefined;
  /** Runs `fn`, labelling a failure with config key `key` (platform.ts atKey). */
  at<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** A two-state contact the outside world closes and opens. */
export interface Contact { set(closed: boolean): void; readonly closed: boolean }
export interface KeyAction { press(): void; release(): void }

/** What a component's emulator half gets from emulated-board.ts (devices already attached). */
export interface EmulatorContext {
  clock: Clock;
  header: EmulatedGpioController;
  /** The MCP23017 emulator and line offset of an expander pin (fails for other expanders). */
  mcp(pin: PinRef, key: string): { chip: ObservedMcp23017; pin: number };
  hid(id: string): ObservedHidTelephony;
  contact(pin: PinRef, activeLow: boolean, key: string): Contact;
  /** Logical on/off of an output pin, read back from the emulated device. */
  observe(pin: PinRef, activeLow: boolean, key: string): OutputObserver;
  observeLed(id: string, led: EmulatedHidLed): OutputObserver;
}

interface Component<C> {
  /** The config's `type:` value (discriminator of its section). */
  readonly type: string;
  /** Its schema piece, built from the zod namespace that schema.ts hands in (components/common.ts). */
  schema(z: Zod): z.ZodType;
  claims(c: C): Claims;
  /** Checks of the component's own entry (after the schema accepted it). */
  check?(c: C, bad: Report): void;
}

/** Modules the emulated display attaches to its bus, and the text they show. */
export interface EmulatedDisplay {
  lcd?: EmulatedHd44780;
  backpack?: EmulatedPcf8574;
  oled?: EmulatedSsd1306;
  /** Visible text rows; `grid` is the driver's text grid (for pixel displays). */
  screen(grid: { cols: number; rows: number }): string[];
}

export interface DisplayComponent<C extends { type: string; bus: number; address: number }> extends Component<C> {
  /** Human name of the device on the bus (doctor rows). */
  readonly label: string;
  driver(c: C, ctx: DriverContext): Promise<TextDisplay & { close(): Promise<void> }>;
  /**
   * Attaches the emulated module(s) at the configured address; `name` labels them (violations).
   * Async: the emulator module is imported here, so only a board that emulates this type loads it.
   */
  emulate(c: C, bus: EmulatedI2cBus, clock: Clock, name?: string): Promise<EmulatedDisplay>;
}

export interface KeypadComponent<C extends { type: string }> extends Component<C> {
  driver(c: C, ctx: DriverContext): Promise<Keypad>;
  /** Key contacts of the emulated keypad (async: its emulator module is imported on use). */
  emulate(c: C, ctx: EmulatorContext): Promise<Map<KeyName, KeyAction>>;
  /** Keys the config names (softkey checks, simulator help); undefined when the device decides (HID). */
  keyNames(c: C): readonly string[] | undefined;
  /** Key debounce the driver applies (0: the device debounces). */
  debounceMs(c: C): number;
}

export interface RingerComponent<C extends { type: string }> extends Component<C> {
  driver(c: C, ctx: DriverContext): Promise<Ringer>;
  /** The ring mode read back from the emulated device; undefined when nothing is on a wire (the driver's mode is used). */
  emulate(c: C, ctx: EmulatorContext): OutputObserver | undefined;
  /** The header/expander line the ringer drives, if any (rig taps and wiring). */
  wire(c: C): { pin: PinRef; activeLow: boolean } | undefined;
}

export type { HookSwitch, Lamp, RingMode };

/** An `expanders:` entry (schema in index.ts: the type names come from the registry). */
export interface ExpanderEntry { id: string; type: string; bus: number; address: number; interrupt?: PinRef | undefined }

export interface ExpanderComponent {
  readonly type: string;
  /** Pin names, index = GpioController line offset. */
  readonly pins: readonly string[];
  /** 7-bit I2C addresses the chip can be strapped to. */
  readonly addresses: readonly number[];
  /**
   * The chip as a GpioController (its pins resolve through it); `ekey` is the entry's key
   * (expanders[i]), `key` the config key that asked for a pin. Throws when its pins cannot be GPIO.
   */
  driver(e: ExpanderEntry, ctx: DriverContext, ekey: string, key: string): Promise<GpioController & { close(): Promise<void> }>;
  /** The emulated chip attached at its address, when the type is emulated (undefined: refused at pin resolution). */
  emulate(e: ExpanderEntry, bus: EmulatedI2cBus): Promise<ObservedMcp23017 | undefined>;
}
