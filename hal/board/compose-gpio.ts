/**
 * The GPIO half of an emulated board: an EmulatedGpioController standing in for the 40-pin header,
 * emulated contacts and key matrix on the configured lines, and the REAL drivers (MatrixKeypad,
 * GpioHookSwitch, GpioLamp, GpioRinger) opened on those lines from the config.
 */
import {
  HalError, type GpioLine, type HookSwitch, type KeyName, type Keypad, type Lamp, type LampMode, type RingMode, type Ringer,
} from '../api/index.js';
import { openGpioHookSwitch, type GpioHookSwitch } from '../drivers/hook-switch.js';
import { GpioLamp } from '../drivers/lamp.js';
import { openMatrixKeypad } from '../drivers/matrix-keypad.js';
import { GpioRinger } from '../drivers/ringer.js';
import { EmulatedGpioController } from '../emul/gpio.js';
import { EmulatedKeyMatrix } from '../emul/keypad-matrix.js';
import { EmulatedContact } from '../emul/switch.js';
import type { ComposeOptions } from './compose-display.js';
import { OutputObserver } from './observe.js';
import { pinLabel, type PinRef } from './pins.js';
import type { BoardConfig, SwitchConfig } from './schema.js';

/** 28 lines = BCM GPIO0..27 of the 40-pin header (see pins.ts HEADER_PHYSICAL_PIN). */
const HEADER_LINES = 28;

export interface SwitchControls { lift(): void; replace(): void; readonly offHook: boolean }
export interface KeypadControls {
  press(key: KeyName): void;
  release(key: KeyName): void;
  /** Press, hold `holdMs` (default 5 × debounce, at least 100 ms), release, wait as long again (advance the clock meanwhile). */
  tap(key: KeyName, holdMs?: number): Promise<void>;
  readonly keys: readonly KeyName[];
}

export interface GpioParts {
  gpio: EmulatedGpioController;
  keypad: Keypad;
  hook: HookSwitch;
  headsetDetect?: HookSwitch;
  lamps: Record<string, Lamp>;
  ringer: Ringer;
  controls: {
    keypad: KeypadControls;
    hook: SwitchControls;
    headset?: SwitchControls;
    lamps: Record<string, () => LampMode>;
    ringer: () => RingMode;
  };
  close(): Promise<void>;
}

function unavailable(what: string, path: string, hint: string): HalError {
  return new HalError('UNAVAILABLE', `${what} cannot be emulated yet`, { device: path, operation: 'compose emulated board', hint });
}

/** BCM offset of a header pin; expander pins need an expander GPIO driver that does not exist yet. */
function headerOffset(pin: PinRef, path: string): number {
  if (pin.kind === 'gpio') return pin.gpio;
  throw unavailable(`expander pin ${pinLabel(pin)}`, path,
    'hal/drivers has no MCP23017/PCF8574 GpioController yet; put this pin on a header GPIO for the emulated board');
}

export async function composeEmulatedGpio(config: BoardConfig, opts: ComposeOptions): Promise<GpioParts> {
  const { clock } = opts;
  const gpio = new EmulatedGpioController({ clock, label: 'gpiochip0', lineCount: HEADER_LINES });
  const stops: (() => Promise<void> | void)[] = [];
  const logger = opts.log ? { logger: opts.log } : {};

  // Keypad: emulated key matrix on the row/column wires, the real scanning driver on the same lines.
  const kc = config.keypad;
  if (kc.type !== 'matrix') throw unavailable('a HID keypad', 'keypad', 'use a matrix keypad for emulated boards');
  const rows = kc.rows.map((p, i) => headerOffset(p, `keypad.rows[${i}]`));
  const cols = kc.cols.map((p, i) => headerOffset(p, `keypad.cols[${i}]`));
  const matrix = new EmulatedKeyMatrix({ gpio, clock, rows, cols, keymap: kc.keys });
  const matrixKeypad = await openMatrixKeypad({
    gpio, clock, rows, cols, keymap: kc.keys, scanIntervalMs: kc.scanMs,
    // Consecutive equal scans needed to accept a change.
    debounceScans: Math.max(1, Math.ceil(kc.debounceMs / Math.max(1, kc.scanMs))), ...logger,
  });
  const contacts = new Map<KeyName, EmulatedContact>();
  const buttons: GpioHookSwitch[] = [];
  for (const [i, pin] of (config.softkeys.buttons ?? []).entries()) {
    const offset = headerOffset(pin, `softkeys.buttons[${i}]`);
    const key = `softkey${i + 1}`;
    contacts.set(key, new EmulatedContact({ gpio, clock, offset, closedLevel: config.softkeys.activeLow ? 0 : 1 }));
    buttons.push(await openGpioHookSwitch({
      gpio, clock, offset, name: key, activeLow: config.softkeys.activeLow,
      bias: config.softkeys.activeLow ? 'pull-up' : 'pull-down', debounceMs: config.softkeys.debounceMs,
    }));
  }
  const keypad = mergeKeys(matrixKeypad, buttons);
  const keyNames = [...kc.keys.flat().filter((k) => k !== ''), ...contacts.keys()];
  const findKey = (key: KeyName): { press(): void; release(): void } => {
    const c = contacts.get(key);
    if (c) return { press: () => c.close(), release: () => c.open() };
    if (!keyNames.includes(key)) {
      throw new HalError('INVALID', `no key "${key}" on this board`, { device: 'emulated keypad', operation: 'press', hint: `keys: ${keyNames.join(' ')}` });
    }
    return { press: () => matrix.press(key), release: () => matrix.release(key) };
  };
  const holdDefault = Math.max(100, 5 * Math.max(kc.debounceMs, config.softkeys.debounceMs));

  // Hook and headset detect: a contact on the line, the real debounced switch driver reading it.
  const switchPair = async (sw: SwitchConfig, path: string, name: string): Promise<{ driver: GpioHookSwitch; controls: SwitchControls }> => {
    if (!sw.pin) throw unavailable(`a HID ${name} switch`, path, 'use a GPIO pin for emulated boards');
    const offset = headerOffset(sw.pin, `${path}.pin`);
    // activeLow: the contact closes to GND when off hook, read with a pull-up; else to 3V3 with a pull-down.
    const contact = new EmulatedContact({ gpio, clock, offset, closedLevel: sw.activeLow ? 0 : 1 });
    const driver = await openGpioHookSwitch({
      gpio, clock, offset, name, activeLow: sw.activeLow, bias: sw.activeLow ? 'pull-up' : 'pull-down', debounceMs: sw.debounceMs, offHookLevel: 1,
    });
    return { driver, controls: { lift: () => contact.close(), replace: () => contact.open(), get offHook() { return contact.closed; } } };
  };
  const hook = await switchPair(config.hook, 'hook', 'hook');
  const headset = config.headsetDetect ? await switchPair(config.headsetDetect, 'headsetDetect', 'headset') : undefined;

  // Lamps and ringer: real cadence drivers on output lines; observers read the modes back off the wire.
  const lamps: Record<string, Lamp> = {};
  const lampModes: Record<string, () => LampMode> = {};
  const observers: OutputObserver[] = [];
  for (const [name, lc] of Object.entries(config.lamps)) {
    if (!lc.pin) throw unavailable(`HID lamp "${name}"`, `lamps.${name}`, 'use a GPIO pin for emulated boards');
    const offset = headerOffset(lc.pin, `lamps.${name}.pin`);
    const line = await gpio.openLine(offset, { direction: 'out', activeLow: lc.activeLow, initial: 0, consumer: `lamp ${name}` });
    const obs = new OutputObserver(gpio, offset, clock, lc.activeLow);
    observers.push(obs);
    lamps[name] = new GpioLamp({ clock, line, name, ...logger });
    lampModes[name] = () => obs.lampMode();
    stops.push(() => { lamps[name]!.set('off'); });
  }
  const rc = config.ringer;
  let ringerLine: GpioLine | undefined;
  let ringMode: () => RingMode;
  if (rc.type === 'gpio-buzzer') {
    const offset = headerOffset(rc.pin, 'ringer.pin');
    ringerLine = await gpio.openLine(offset, { direction: 'out', activeLow: rc.activeLow, initial: 0, consumer: 'ringer' });
    const obs = new OutputObserver(gpio, offset, clock, rc.activeLow);
    observers.push(obs);
    ringMode = () => obs.ringMode();
  } else if (rc.type === 'audio') {
    ringMode = () => ringer.mode; // tone-only ringer: nothing on a wire to observe
  } else {
    throw unavailable('a HID ringer', 'ringer', 'use a gpio-buzzer or audio ringer for emulated boards');
  }
  const ringer = new GpioRinger({ clock, name: 'ringer', ...(ringerLine ? { line: ringerLine } : {}), ...logger });

  await keypad.start();
  await hook.driver.start();
  await headset?.driver.start();

  return {
    gpio, keypad, hook: hook.driver, ...(headset ? { headsetDetect: headset.driver } : {}), lamps, ringer,
    controls: {
      keypad: {
        keys: keyNames,
        press: (k) => findKey(k).press(),
        release: (k) => findKey(k).release(),
        tap: async (k, holdMs = holdDefault) => {
          const key = findKey(k);
          key.press(); await clock.sleep(holdMs); key.release(); await clock.sleep(holdMs);
        },
      },
      hook: hook.controls,
      ...(headset ? { headset: headset.controls } : {}),
      lamps: lampModes,
      ringer: () => ringMode(),
    },
    close: async () => {
      ringer.ring('off');
      for (const s of stops) await s();
      await keypad.stop();
      await hook.driver.stop();
      await headset?.driver.stop();
      for (const o of observers) o.close();
    },
  };
}

/** One Keypad out of the matrix and the direct softkey buttons (each button reports as its key). */
function mergeKeys(matrix: Keypad, buttons: readonly GpioHookSwitch[]): Keypad {
  if (buttons.length === 0) return matrix;
  const listeners = new Set<(key: KeyName, down: boolean) => void>();
  const emit = (k: KeyName, d: boolean): void => { for (const cb of [...listeners]) cb(k, d); };
  matrix.onKey(emit);
  for (const b of buttons) b.onChange((down) => emit(b.name, down));
  return {
    name: matrix.name,
    onKey: (cb) => { listeners.add(cb); return () => { listeners.delete(cb); }; },
    start: async () => { await matrix.start(); for (const b of buttons) await b.start(); },
    stop: async () => { await matrix.stop(); for (const b of buttons) await b.stop(); },
  };
}
