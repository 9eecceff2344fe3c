/**
 * The device half of an emulated board: hal/emul devices wired exactly as the config says (one
 * EmulatedI2cBus per `i2c:` entry with the display module and expanders at their addresses, an
 * EmulatedGpioController for the 40-pin header, one emulated USB telephony handset per `hid:`
 * entry), the BoardPlatform handing them to compose-drivers.ts, and the "outside world"
 * controls: keys, hook, headset, and lamps/ringer/screen read back from what reached the devices.
 * Which devices an entry attaches and how it is driven or read is its component's emulator half
 * (components/index.ts); this file holds the shared context (contacts, observers, pin lookup).
 */
import { HalError, type Clock, type GpioController, type HidHost, type I2cBus, type KeyName, type LampMode, type RingMode } from '../api/index.js';
import { EmulatedGpioController } from '../emul/gpio.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import type { EmulatedHidLed } from '../emul/hid-telephony.js';
import { EmulatedI2cBus } from '../emul/i2c-bus.js';
import type { EmulatedPcf8574 } from '../emul/pcf8574.js';
import type { EmulatedSsd1306 } from '../emul/ssd1306.js';
import { EmulatedContact } from '../emul/switch.js';
import {
  displayOf, expanderOf, expanderPinOffset, hookSwitch, keypadOf, lamps as lampComponent, ringerOf, softkeys,
  type EmulatedDisplay, type EmulatorContext, type KeyAction, type SwitchControls,
} from './components/index.js';
import { hidEmulator } from './components/hid.js';
import type { ObservedHidTelephony, ObservedMcp23017 } from './components/observed.js';
import { OutputObserver } from './observe.js';
import { pinLabel, type PinRef } from './pins.js';
import type { BoardPlatform } from './platform.js';
import type { BoardConfig } from './schema.js';

export type { ObservedHidTelephony, ObservedMcp23017 } from './components/observed.js';
export type { SwitchControls } from './components/index.js';

/** 28 lines = BCM GPIO0..27 of the 40-pin header (see pins.ts HEADER_PHYSICAL_PIN). */
const HEADER_LINES = 28;

export interface KeypadControls {
  press(key: KeyName): void;
  release(key: KeyName): void;
  /** Press, hold `holdMs` (default 5 × debounce, at least 100 ms), release, wait as long again (advance the clock meanwhile). */
  tap(key: KeyName, holdMs?: number): Promise<void>;
  readonly keys: readonly KeyName[];
}

export interface EmulatedDevices {
  platform: BoardPlatform;
  buses: ReadonlyMap<number, EmulatedI2cBus>;
  gpio: EmulatedGpioController;
  lcd?: EmulatedHd44780;
  backpack?: EmulatedPcf8574;
  oled?: EmulatedSsd1306;
  /** The display's emulated module(s) and their text. */
  display: EmulatedDisplay;
  expanders: ReadonlyMap<string, ObservedMcp23017>;
  hid: ReadonlyMap<string, ObservedHidTelephony>;
}

function unavailable(what: string, key: string, hint: string): HalError {
  return new HalError('UNAVAILABLE', `${what} cannot be emulated yet`, { device: key, operation: 'compose emulated board', hint });
}

/** Builds the emulated devices and the platform that hands them to the drivers. */
export async function createEmulatedDevices(config: BoardConfig, clock: Clock): Promise<EmulatedDevices> {
  const buses = new Map<number, EmulatedI2cBus>();
  for (const b of config.i2c) buses.set(b.bus, new EmulatedI2cBus({ clock, busNumber: b.bus, bitRateHz: b.speedHz }));
  const busFor = (n: number, key: string): EmulatedI2cBus => {
    const bus = buses.get(n);
    if (!bus) throw new HalError('INVALID', `i2c-${n} is not declared`, { device: key, operation: 'compose emulated board', hint: `add "- bus: ${n}" under i2c: in the board config` });
    return bus;
  };
  const gpio = new EmulatedGpioController({ clock, label: 'gpiochip0', lineCount: HEADER_LINES });
  const dc = config.display;
  const display = await displayOf(dc).emulate(dc, busFor(dc.bus, 'display.bus'), clock);
  const expanders = new Map<string, ObservedMcp23017>();
  for (const [i, ec] of config.expanders.entries()) {
    // Types without an emulator (PCF8574 as GPIO) are refused by the pin resolvers.
    const chip = await expanderOf(ec.type).emulate(ec, busFor(ec.bus, `expanders[${i}].bus`));
    if (chip) expanders.set(ec.id, chip);
  }
  const hid = new Map<string, ObservedHidTelephony>();
  for (const [i, hc] of config.hid.entries()) hid.set(hc.id, await hidEmulator(hc, i));
  const platform: BoardPlatform = {
    mode: 'emulated',
    i2cBus: async (n: number, key: string): Promise<I2cBus> => busFor(n, key),
    headerGpio: async (): Promise<GpioController> => gpio,
    hidHost: async (id: string, key: string): Promise<HidHost> => {
      const h = hid.get(id);
      if (!h) throw new HalError('INVALID', `no HID device "${id}"`, { device: key, operation: 'compose emulated board', hint: 'declare it under hid:' });
      return h;
    },
    close: async () => { for (const b of buses.values()) await b.close(); },
  };
  return {
    platform, buses, gpio, display, expanders, hid,
    ...(display.lcd ? { lcd: display.lcd } : {}), ...(display.backpack ? { backpack: display.backpack } : {}), ...(display.oled ? { oled: display.oled } : {}),
  };
}

export interface EmulatedControls {
  keypad: KeypadControls;
  hook: SwitchControls;
  headset?: SwitchControls;
  lamps: Record<string, () => LampMode>;
  ringer: () => RingMode;
  screen: () => string[];
  close(): void;
}

/**
 * The outside world of the board. Input contacts are attached before the drivers start (call this
 * before composeDrivers); `driverRingMode` is only used for an audio ringer, which has no wire.
 */
export async function attachControls(config: BoardConfig, dev: EmulatedDevices, clock: Clock, driverRingMode: () => RingMode,
  displayGrid: () => { cols: number; rows: number }): Promise<EmulatedControls> {
  const { gpio } = dev;
  const observers: OutputObserver[] = [];
  const mcp = (pin: PinRef, key: string): { chip: ObservedMcp23017; pin: number } => {
    if (pin.kind !== 'expander') throw new Error('unreachable');
    const chip = dev.expanders.get(pin.expander);
    const type = config.expanders.find((x) => x.id === pin.expander)?.type ?? 'mcp23017';
    const n = expanderPinOffset(type, pin.pin);
    if (!chip || n === undefined) throw unavailable(`${type} pin ${pinLabel(pin)}`, key, 'put this pin on a header GPIO or an MCP23017');
    return { chip, pin: n };
  };
  const ctx: EmulatorContext = {
    clock, header: gpio, mcp,
    hid: (id) => dev.hid.get(id)!,
    /** A two-state contact on a pin: closes to GND (activeLow) or to 3V3. */
    contact(pin, activeLow, key) {
      if (pin.kind === 'gpio') {
        const c = new EmulatedContact({ gpio, clock, offset: pin.gpio, closedLevel: activeLow ? 0 : 1 });
        return { set: (v) => c.set(v), get closed() { return c.closed; } };
      }
      const m = mcp(pin, key);
      let closed = false;
      // Open: released (the MCP23017 pull-up, §3.5.7) for contacts to GND; held low by an external pull-down otherwise.
      const apply = (): void => m.chip.drive(m.pin, closed ? (activeLow ? 0 : 1) : (activeLow ? undefined : 0));
      apply();
      return { set: (v) => { closed = v; apply(); }, get closed() { return closed; } };
    },
    observe(pin, activeLow, key) {
      const obs = pin.kind === 'gpio' ? OutputObserver.gpio(gpio, pin.gpio, clock, activeLow) : (() => {
        const m = mcp(pin, key);
        const on = (): boolean => (m.chip.driven(m.pin) === 1) !== activeLow;
        return new OutputObserver(clock, (cb) => m.chip.onWrite(() => cb(on(), clock.now())), on());
      })();
      observers.push(obs);
      return obs;
    },
    observeLed(id: string, led: EmulatedHidLed) {
      const h = dev.hid.get(id)!;
      const obs = new OutputObserver(clock, (cb) => h.onOutput(() => cb(h.led(led), clock.now())), h.led(led));
      observers.push(obs);
      return obs;
    },
  };

  // Keys: the keypad's contacts plus the softkey buttons.
  const kc = config.keypad;
  const kp = keypadOf(kc);
  const keyActions = new Map<KeyName, KeyAction>([...await kp.emulate(kc, ctx), ...softkeys.emulate(config.softkeys, ctx)]);
  const debounce = Math.max(kp.debounceMs(kc), config.softkeys.buttons?.length ? config.softkeys.debounceMs : 0);
  const findKey = (key: KeyName): KeyAction => {
    const a = keyActions.get(key);
    if (!a) throw new HalError('INVALID', `no key "${key}" on this board`, { device: 'emulated keypad', operation: 'press', hint: `keys: ${[...keyActions.keys()].join(' ')}` });
    return a;
  };
  const holdDefault = Math.max(100, 5 * debounce);

  const hook = hookSwitch.emulate(config.hook, 'hook', ctx);
  const headset = config.headsetDetect ? hookSwitch.emulate(config.headsetDetect, 'headsetDetect', ctx) : undefined;

  const lamps: Record<string, () => LampMode> = {};
  for (const [name, lc] of Object.entries(config.lamps)) {
    const obs = lampComponent.emulate(name, lc, ctx);
    lamps[name] = () => obs.lampMode();
  }
  const rc = config.ringer;
  const ringObs = ringerOf(rc).emulate(rc, ctx);
  const ringer: () => RingMode = ringObs ? () => ringObs.ringMode() : driverRingMode;
  const screen = (): string[] => dev.display.screen(displayGrid());
  return {
    keypad: {
      keys: [...keyActions.keys()],
      press: (k) => findKey(k).press(),
      release: (k) => findKey(k).release(),
      tap: async (k, holdMs = holdDefault) => {
        const key = findKey(k);
        key.press(); await clock.sleep(holdMs); key.release(); await clock.sleep(holdMs);
      },
    },
    hook, ...(headset ? { headset } : {}), lamps, ringer, screen,
    close: () => { for (const o of observers) o.close(); },
  };
}
