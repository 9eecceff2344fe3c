/**
 * The device half of an emulated board: hal/emul devices wired exactly as the config says (one
 * EmulatedI2cBus per `i2c:` entry with the display module and MCP23017 expanders at their
 * addresses, an EmulatedGpioController for the 40-pin header, one emulated USB telephony handset
 * per `hid:` entry), the BoardPlatform handing them to compose-drivers.ts, and the "outside world"
 * controls: keys, hook, headset, and lamps/ringer/screen read back from what reached the devices.
 */
import { HalError, type Clock, type GpioController, type HidHost, type I2cBus, type KeyName, type LampMode, type RingMode } from '../api/index.js';
import { EmulatedGpioController } from '../emul/gpio.js';
import type { EmulatedHd44780 } from '../emul/hd44780.js';
import { EmulatedHidTelephony, type EmulatedHidButton, type EmulatedHidLed } from '../emul/hid-telephony.js';
import { EmulatedI2cBus } from '../emul/i2c-bus.js';
import { EmulatedKeyMatrix } from '../emul/keypad-matrix.js';
import { attachEmulatedLcdBackpack } from '../emul/lcd-backpack.js';
import { EmulatedMcp23017 } from '../emul/mcp23017.js';
import type { EmulatedPcf8574 } from '../emul/pcf8574.js';
import { EmulatedSsd1306 } from '../emul/ssd1306.js';
import { EmulatedContact } from '../emul/switch.js';
import { backpackBits } from './compose-drivers.js';
import { OutputObserver } from './observe.js';
import { expanderPinOffset, pinLabel, type PinRef } from './pins.js';
import type { BoardPlatform } from './platform.js';
import { ssd1306Text } from './screen-text.js';
import type { BoardConfig, SwitchConfig } from './schema.js';

/** 28 lines = BCM GPIO0..27 of the 40-pin header (see pins.ts HEADER_PHYSICAL_PIN). */
const HEADER_LINES = 28;
/** MCP23017 registers used to see what the chip drives (DS20001952C Table 3-5, BANK = 0). */
const IODIRA = 0x00, OLATA = 0x14;

export interface SwitchControls { lift(): void; replace(): void; readonly offHook: boolean }
export interface KeypadControls {
  press(key: KeyName): void;
  release(key: KeyName): void;
  /** Press, hold `holdMs` (default 5 × debounce, at least 100 ms), release, wait as long again (advance the clock meanwhile). */
  tap(key: KeyName, holdMs?: number): Promise<void>;
  readonly keys: readonly KeyName[];
}

/** An MCP23017 emulator that reports what its output pins drive after every register write. */
export class ObservedMcp23017 extends EmulatedMcp23017 {
  private readonly outputCbs = new Set<() => void>();
  override write(data: Uint8Array): void { super.write(data); for (const cb of [...this.outputCbs]) cb(); }
  /** Level pin `pin` drives (OLAT, §3.5.11) or undefined while it is an input (IODIR, §3.5.1). */
  driven(pin: number): 0 | 1 | undefined { return (this.pair(IODIRA) >> pin) & 1 ? undefined : ((this.pair(OLATA) >> pin) & 1) as 0 | 1; }
  onWrite(cb: () => void): () => void { this.outputCbs.add(cb); return () => { this.outputCbs.delete(cb); }; }
}

/** A HID telephony emulator that reports every output (LED) report the host sends. */
export class ObservedHidTelephony extends EmulatedHidTelephony {
  private readonly outputCbs = new Set<() => void>();
  override received(...args: Parameters<EmulatedHidTelephony['received']>): void { super.received(...args); for (const cb of [...this.outputCbs]) cb(); }
  onOutput(cb: () => void): () => void { this.outputCbs.add(cb); return () => { this.outputCbs.delete(cb); }; }
}

export interface EmulatedDevices {
  platform: BoardPlatform;
  buses: ReadonlyMap<number, EmulatedI2cBus>;
  gpio: EmulatedGpioController;
  lcd?: EmulatedHd44780;
  backpack?: EmulatedPcf8574;
  oled?: EmulatedSsd1306;
  expanders: ReadonlyMap<string, ObservedMcp23017>;
  hid: ReadonlyMap<string, ObservedHidTelephony>;
}

function unavailable(what: string, key: string, hint: string): HalError {
  return new HalError('UNAVAILABLE', `${what} cannot be emulated yet`, { device: key, operation: 'compose emulated board', hint });
}

/** Builds the emulated devices and the platform that hands them to the drivers. */
export function createEmulatedDevices(config: BoardConfig, clock: Clock): EmulatedDevices {
  const buses = new Map<number, EmulatedI2cBus>();
  for (const b of config.i2c) buses.set(b.bus, new EmulatedI2cBus({ clock, busNumber: b.bus, bitRateHz: b.speedHz }));
  const busFor = (n: number, key: string): EmulatedI2cBus => {
    const bus = buses.get(n);
    if (!bus) throw new HalError('INVALID', `i2c-${n} is not declared`, { device: key, operation: 'compose emulated board', hint: `add "- bus: ${n}" under i2c: in the board config` });
    return bus;
  };
  const gpio = new EmulatedGpioController({ clock, label: 'gpiochip0', lineCount: HEADER_LINES });
  const dc = config.display;
  const dbus = busFor(dc.bus, 'display.bus');
  let lcd: EmulatedHd44780 | undefined, backpack: EmulatedPcf8574 | undefined, oled: EmulatedSsd1306 | undefined;
  if (dc.type === 'hd44780') {
    ({ lcd, pcf: backpack } = attachEmulatedLcdBackpack({ bus: dbus, clock, address: dc.address, cols: dc.cols, rows: dc.rows, pinMap: backpackBits(dc.pins) }));
  } else {
    oled = new EmulatedSsd1306({ height: dc.height, name: `ssd1306@0x${dc.address.toString(16)}` });
    dbus.attach(dc.address, oled);
  }
  const expanders = new Map<string, ObservedMcp23017>();
  for (const [i, ec] of config.expanders.entries()) {
    if (ec.type !== 'mcp23017') continue; // PCF8574 GPIO pins are refused by the pin resolvers
    const chip = new ObservedMcp23017({ name: `${ec.id} (mcp23017@0x${ec.address.toString(16)})` });
    busFor(ec.bus, `expanders[${i}].bus`).attach(ec.address, chip);
    expanders.set(ec.id, chip);
  }
  const hid = new Map<string, ObservedHidTelephony>();
  for (const [i, hc] of config.hid.entries()) {
    hid.set(hc.id, new ObservedHidTelephony({
      model: 'handset', path: `/dev/hidraw${3 + i}`,
      ...(hc.vendorId !== undefined ? { vendorId: hc.vendorId } : {}), ...(hc.productId !== undefined ? { productId: hc.productId } : {}),
      ...(hc.product !== undefined ? { product: hc.product } : {}),
    }));
  }
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
  return { platform, buses, gpio, ...(lcd ? { lcd } : {}), ...(backpack ? { backpack } : {}), ...(oled ? { oled } : {}), expanders, hid };
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
export function attachControls(config: BoardConfig, dev: EmulatedDevices, clock: Clock, driverRingMode: () => RingMode,
  displayGrid: () => { cols: number; rows: number }): EmulatedControls {
  const { gpio } = dev;
  const observers: OutputObserver[] = [];
  const mcpOf = (pin: PinRef, key: string): { chip: ObservedMcp23017; pin: number } => {
    if (pin.kind !== 'expander') throw new Error('unreachable');
    const chip = dev.expanders.get(pin.expander);
    const type = config.expanders.find((x) => x.id === pin.expander)?.type ?? 'mcp23017';
    const n = expanderPinOffset(type, pin.pin);
    if (!chip || n === undefined) throw unavailable(`${type} pin ${pinLabel(pin)}`, key, 'put this pin on a header GPIO or an MCP23017');
    return { chip, pin: n };
  };
  /** A two-state contact on a pin: closes to GND (activeLow) or to 3V3. */
  const contact = (pin: PinRef, activeLow: boolean, key: string): { set(closed: boolean): void; readonly closed: boolean } => {
    if (pin.kind === 'gpio') {
      const c = new EmulatedContact({ gpio, clock, offset: pin.gpio, closedLevel: activeLow ? 0 : 1 });
      return { set: (v) => c.set(v), get closed() { return c.closed; } };
    }
    const m = mcpOf(pin, key);
    let closed = false;
    // Open: released (the MCP23017 pull-up, §3.5.7) for contacts to GND; held low by an external pull-down otherwise.
    const apply = (): void => m.chip.drive(m.pin, closed ? (activeLow ? 0 : 1) : (activeLow ? undefined : 0));
    apply();
    return { set: (v) => { closed = v; apply(); }, get closed() { return closed; } };
  };
  /** Logical on/off of an output pin, observed on the emulated device. */
  const observe = (pin: PinRef, activeLow: boolean, key: string): OutputObserver => {
    if (pin.kind === 'gpio') return OutputObserver.gpio(gpio, pin.gpio, clock, activeLow);
    const m = mcpOf(pin, key);
    const on = (): boolean => (m.chip.driven(m.pin) === 1) !== activeLow;
    return new OutputObserver(clock, (cb) => m.chip.onWrite(() => cb(on(), clock.now())), on());
  };
  const observeLed = (id: string, led: EmulatedHidLed): OutputObserver => {
    const h = dev.hid.get(id)!;
    return new OutputObserver(clock, (cb) => h.onOutput(() => cb(h.led(led), clock.now())), h.led(led));
  };

  // Keys: the matrix (header lines or one MCP23017) or the HID handset's buttons, plus softkey buttons.
  const kc = config.keypad;
  const keyActions = new Map<KeyName, { press(): void; release(): void }>();
  let debounce = 0;
  if (kc.type === 'matrix') {
    debounce = kc.debounceMs;
    const pins = [...kc.rows, ...kc.cols];
    let matrix: { press(k: string): void; release(k: string): void };
    if (pins.every((p) => p.kind === 'gpio')) {
      matrix = new EmulatedKeyMatrix({ gpio, clock, rows: kc.rows.map((p) => (p as { gpio: number }).gpio), cols: kc.cols.map((p) => (p as { gpio: number }).gpio), keymap: kc.keys });
    } else if (pins.every((p) => p.kind === 'expander' && p.expander === (pins[0] as { expander: string }).expander)) {
      const chip = mcpOf(pins[0]!, 'keypad.rows[0]').chip;
      matrix = chip.attachKeyMatrix({ rows: kc.rows.map((p, i) => mcpOf(p, `keypad.rows[${i}]`).pin), cols: kc.cols.map((p, i) => mcpOf(p, `keypad.cols[${i}]`).pin), keymap: kc.keys });
    } else {
      throw unavailable('a key matrix split over several chips', 'keypad', 'put all rows and columns on header GPIOs or on one MCP23017');
    }
    for (const k of kc.keys.flat()) if (k !== '') keyActions.set(k, { press: () => matrix.press(k), release: () => matrix.release(k) });
  } else {
    const h = dev.hid.get(kc.device)!;
    for (const b of [...'0123456789*#', 'mute', 'flash', 'redial'] as EmulatedHidButton[]) keyActions.set(b, { press: () => h.press(b), release: () => h.release(b) });
  }
  const sk = config.softkeys;
  for (const [i, pin] of (sk.buttons ?? []).entries()) {
    const c = contact(pin, sk.activeLow, `softkeys.buttons[${i}]`);
    keyActions.set(`softkey${i + 1}`, { press: () => c.set(true), release: () => c.set(false) });
    debounce = Math.max(debounce, sk.debounceMs);
  }
  const findKey = (key: KeyName): { press(): void; release(): void } => {
    const a = keyActions.get(key);
    if (!a) throw new HalError('INVALID', `no key "${key}" on this board`, { device: 'emulated keypad', operation: 'press', hint: `keys: ${[...keyActions.keys()].join(' ')}` });
    return a;
  };
  const holdDefault = Math.max(100, 5 * debounce);

  const switchControls = (sw: SwitchConfig, key: string): SwitchControls => {
    if (sw.hid !== undefined) {
      const h = dev.hid.get(sw.hid)!;
      let off = false;
      return { lift: () => { off = true; h.setHook(true); }, replace: () => { off = false; h.setHook(false); }, get offHook() { return off; } };
    }
    const c = contact(sw.pin!, sw.activeLow, `${key}.pin`);
    return { lift: () => c.set(true), replace: () => c.set(false), get offHook() { return c.closed; } };
  };
  const hook = switchControls(config.hook, 'hook');
  const headset = config.headsetDetect ? switchControls(config.headsetDetect, 'headsetDetect') : undefined;

  const lamps: Record<string, () => LampMode> = {};
  for (const [name, lc] of Object.entries(config.lamps)) {
    const obs = lc.hid !== undefined ? observeLed(lc.hid, lc.led as EmulatedHidLed) : observe(lc.pin!, lc.activeLow, `lamps.${name}.pin`);
    observers.push(obs);
    lamps[name] = () => obs.lampMode();
  }
  const rc = config.ringer;
  let ringer: () => RingMode = driverRingMode;
  if (rc.type !== 'audio') {
    const obs = rc.type === 'hid' ? observeLed(rc.device, 'ring') : observe(rc.pin, rc.activeLow, 'ringer.pin');
    observers.push(obs);
    ringer = () => obs.ringMode();
  }
  const screen = (): string[] => {
    if (dev.lcd) return dev.lcd.screen();
    const g = displayGrid();
    return dev.oled ? ssd1306Text(dev.oled, g.cols, g.rows) : [];
  };
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
