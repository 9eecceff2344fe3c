/**
 * The driver half of every board, emulated or real: from a validated BoardConfig and a
 * BoardPlatform (buses, header chip, HID host) it builds the REAL hal/drivers objects — HD44780 or
 * SSD1306 display, MCP23017 expanders as GPIO controllers, matrix keypad (whole-port MCP23017
 * scanner when the matrix sits on one MCP23017), softkey buttons, hook/headset switches, lamps,
 * ringer, USB HID handsets — and returns them as PhoneHardware. Each failure is a HalError naming
 * the config key (platform.ts atKey); whatever was opened before a failure is closed again.
 */
import {
  HalError, type GpioController, type HookSwitch, type Keypad, type KeyName, type Lamp, type PhoneHardware, type Ringer, type TextDisplay,
} from '../api/index.js';
import { Hd44780Display } from '../drivers/hd44780.js';
import { HidHandset } from '../drivers/hid-telephony.js';
import { openGpioHookSwitch, type GpioHookSwitch } from '../drivers/hook-switch.js';
import { GpioLamp } from '../drivers/lamp.js';
import { openMatrixKeypad } from '../drivers/matrix-keypad.js';
import { Mcp23017 } from '../drivers/mcp23017.js';
import { Mcp23017Keypad } from '../drivers/mcp23017-keypad.js';
import { Ssd1306Display } from '../drivers/ssd1306.js';
import { GpioRinger } from '../drivers/ringer.js';
import { atKey, TrackedGpio, type BoardPlatform, type ComposeOptions } from './platform.js';
import { expanderPinOffset, pinLabel, type PinRef } from './pins.js';
import type { BackpackPins, BoardConfig, SwitchConfig } from './schema.js';

export interface ComposedDrivers {
  hardware: PhoneHardware;
  display: TextDisplay & { close(): Promise<void> };
  /** HID handsets by config id. */
  handsets: ReadonlyMap<string, HidHandset>;
  close(): Promise<void>;
}

interface ResolvedPin { gpio: GpioController; offset: number; label: string; onExpander: boolean }

/** "P3" → PCF8574 bit 3 (TI SCPS068: P0..P7 are bits 0..7 of the port byte). */
export function backpackBits(pins: BackpackPins): { rs: number; rw: number; e: number; backlight: number; d4: number; d5: number; d6: number; d7: number } {
  const bit = (p: string): number => Number(p.slice(1));
  return { rs: bit(pins.rs), rw: bit(pins.rw), e: bit(pins.e), backlight: bit(pins.backlight), d4: bit(pins.d4), d5: bit(pins.d5), d6: bit(pins.d6), d7: bit(pins.d7) };
}

export async function composeDrivers(config: BoardConfig, platform: BoardPlatform, opts: ComposeOptions): Promise<ComposedDrivers> {
  const { clock } = opts;
  const logger = opts.log ? { logger: opts.log } : {};
  const cleanups: (() => Promise<void> | void)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) { try { await c(); } catch { /* best effort on the way out */ } }
  };
  const at = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) { throw atKey(e, key, platform.mode); }
  };

  let header: TrackedGpio | undefined;
  const expanders = new Map<string, TrackedGpio>();
  const mcps = new Map<string, Mcp23017>();
  const handsets = new Map<string, HidHandset>();

  const headerGpio = async (key: string): Promise<TrackedGpio> => {
    if (!header) {
      header = new TrackedGpio(await platform.headerGpio(key));
      const h = header;
      cleanups.push(() => h.closeAll());
    }
    return header;
  };
  const expander = async (id: string, key: string): Promise<TrackedGpio> => {
    const known = expanders.get(id);
    if (known) return known;
    const ec = config.expanders.find((x) => x.id === id);
    if (!ec) throw new HalError('INVALID', `no expander "${id}"`, { device: key, operation: 'resolve pin', hint: 'declare it under expanders:' });
    if (ec.type !== 'mcp23017') {
      throw new HalError('UNAVAILABLE', `${ec.type} expander pins are not supported as GPIO yet`, {
        device: key, operation: 'resolve pin', hint: 'use an MCP23017 or header GPIOs for keys, hook and lamps',
      });
    }
    const ekey = `expanders[${config.expanders.indexOf(ec)}]`;
    const bus = await platform.i2cBus(ec.bus, `${ekey}.bus`);
    const chip = new Mcp23017({ bus, address: ec.address, clock, ...logger });
    try { await chip.init(); } catch (e) { throw atKey(e, `${ekey} (${id})`, platform.mode); }
    cleanups.push(() => chip.close());
    const t = new TrackedGpio(chip);
    cleanups.push(() => t.closeAll());
    mcps.set(id, chip);
    expanders.set(id, t);
    return t;
  };
  const resolve = async (pin: PinRef, key: string): Promise<ResolvedPin> => {
    if (pin.kind === 'gpio') return { gpio: await headerGpio(key), offset: pin.gpio, label: pinLabel(pin), onExpander: false };
    const gpio = await expander(pin.expander, key);
    const type = config.expanders.find((x) => x.id === pin.expander)!.type;
    const offset = expanderPinOffset(type, pin.pin);
    if (offset === undefined) throw new HalError('INVALID', `${type} "${pin.expander}" has no pin ${pin.pin}`, { device: key, operation: 'resolve pin' });
    return { gpio, offset, label: pinLabel(pin), onExpander: true };
  };
  const handset = async (id: string, key: string): Promise<HidHandset> => {
    const known = handsets.get(id);
    if (known) return known;
    const hc = config.hid.find((h) => h.id === id);
    if (!hc) throw new HalError('INVALID', `no HID device "${id}"`, { device: key, operation: 'resolve HID device', hint: 'declare it under hid:' });
    const host = await platform.hidHost(id, key);
    const match = {
      ...(hc.vendorId !== undefined ? { vendorId: hc.vendorId } : {}), ...(hc.productId !== undefined ? { productId: hc.productId } : {}),
      ...(hc.usagePage !== undefined ? { usagePage: hc.usagePage } : {}), ...(hc.product !== undefined ? { product: hc.product } : {}),
    };
    const h = new HidHandset({ host, clock, match, name: id, ...logger });
    handsets.set(id, h);
    cleanups.push(() => h.stop());
    return h;
  };
  /** Input bias for a switch: pull-up for contacts to GND; to 3V3 a pull-down (the MCP23017 has none: external). */
  const switchBias = (p: ResolvedPin, activeLow: boolean): 'pull-up' | 'pull-down' | 'disable' =>
    activeLow ? 'pull-up' : p.onExpander ? 'disable' : 'pull-down';

  try {
    // Display (HD44780 on a PCF8574 backpack, or SSD1306), on its declared bus.
    const dc = config.display;
    const display = await at('display', async () => {
      const bus = await platform.i2cBus(dc.bus, 'display.bus');
      if (dc.type === 'ssd1306') return new Ssd1306Display({ bus, address: dc.address, clock, height: dc.height, name: 'oled', ...logger });
      return new Hd44780Display({ bus, address: dc.address, clock, cols: dc.cols, rows: dc.rows, pinMap: backpackBits(dc.pins), name: 'lcd', ...logger });
    });
    cleanups.push(() => display.close());

    // Keypad.
    const kc = config.keypad;
    let keypad: Keypad;
    if (kc.type === 'hid') {
      keypad = await at('keypad.device', () => handset(kc.device, 'keypad.device'));
    } else {
      keypad = await at('keypad', async () => {
        const rows: ResolvedPin[] = [];
        const cols: ResolvedPin[] = [];
        for (const [i, p] of kc.rows.entries()) rows.push(await resolve(p, `keypad.rows[${i}]`));
        for (const [i, p] of kc.cols.entries()) cols.push(await resolve(p, `keypad.cols[${i}]`));
        const all = [...rows, ...cols];
        const debounceScans = Math.max(1, Math.ceil(kc.debounceMs / Math.max(1, kc.scanMs)));
        const single = all.every((p) => p.gpio === all[0]!.gpio) ? all[0]!.gpio : undefined;
        const mcpId = [...expanders].find(([, g]) => g === single)?.[0];
        if (single && mcpId !== undefined) {
          // Whole-port scanner (DS20001952C §3.2.1): lines are claimed through the driver first so its
          // IODIR/GPPU shadows agree with what the scanner writes (columns pulled up, rows idle inputs).
          for (const r of rows) await single.openLine(r.offset, { direction: 'in', bias: 'disable', consumer: 'keypad row' });
          for (const c of cols) await single.openLine(c.offset, { direction: 'in', bias: 'pull-up', consumer: 'keypad col' });
          return new Mcp23017Keypad({
            chip: mcps.get(mcpId)!, clock, rows: rows.map((r) => r.offset), cols: cols.map((c) => c.offset), keymap: kc.keys,
            scanIntervalMs: kc.scanMs, debounceScans, ...logger,
          });
        }
        // Generic scanner over lines; a mux lets rows/columns sit on different controllers.
        const mux: GpioController = { label: 'keypad pins', lineCount: all.length, openLine: (i, o) => all[i]!.gpio.openLine(all[i]!.offset, o) };
        return openMatrixKeypad({
          gpio: mux, clock, rows: rows.map((_, i) => i), cols: cols.map((_, i) => rows.length + i), keymap: kc.keys,
          scanIntervalMs: kc.scanMs, debounceScans, ...logger,
        });
      });
    }

    // Direct softkey buttons, merged into the keypad.
    const sk = config.softkeys;
    const buttons: GpioHookSwitch[] = [];
    for (const [i, pin] of (sk.buttons ?? []).entries()) {
      const key = `softkeys.buttons[${i}]`;
      buttons.push(await at(key, async () => {
        const p = await resolve(pin, key);
        return openGpioHookSwitch({ gpio: p.gpio, offset: p.offset, clock, name: `softkey${i + 1}`, activeLow: sk.activeLow, bias: switchBias(p, sk.activeLow), debounceMs: sk.debounceMs });
      }));
    }
    const mergedKeypad = mergeKeys(keypad, buttons);

    // Hook and headset detect.
    const switchDriver = (sw: SwitchConfig, path: string, name: string): Promise<HookSwitch> => {
      if (sw.hid !== undefined) return at(`${path}.hid`, () => handset(sw.hid!, `${path}.hid`));
      return at(`${path}.pin`, async () => {
        const p = await resolve(sw.pin!, `${path}.pin`);
        // activeLow: the contact closes to GND off hook; the line is opened active-low so logical 1 = off hook.
        return openGpioHookSwitch({ gpio: p.gpio, offset: p.offset, clock, name, activeLow: sw.activeLow, bias: switchBias(p, sw.activeLow), debounceMs: sw.debounceMs, offHookLevel: 1 });
      });
    };
    const hook = await switchDriver(config.hook, 'hook', 'hook');
    const headsetDetect = config.headsetDetect ? await switchDriver(config.headsetDetect, 'headsetDetect', 'headset') : undefined;

    // Lamps and ringer.
    const lamps: Record<string, Lamp> = {};
    for (const [name, lc] of Object.entries(config.lamps)) {
      const key = `lamps.${name}`;
      lamps[name] = await at(key, async () => {
        if (lc.hid !== undefined) return (await handset(lc.hid, `${key}.hid`)).lamp(lc.led!, name);
        const p = await resolve(lc.pin!, `${key}.pin`);
        const line = await p.gpio.openLine(p.offset, { direction: 'out', activeLow: lc.activeLow, initial: 0, consumer: `lamp ${name}` });
        return new GpioLamp({ clock, line, name, ...logger });
      });
      const lamp = lamps[name]!;
      cleanups.push(() => { lamp.set('off'); });
    }
    const rc = config.ringer;
    const ringer: Ringer = await at('ringer', async () => {
      if (rc.type === 'hid') return (await handset(rc.device, 'ringer.device')).ringer('ringer');
      if (rc.type === 'audio') return new GpioRinger({ clock, name: 'ringer', ...logger }); // tone-only: nothing on a wire
      const p = await resolve(rc.pin, 'ringer.pin');
      const line = await p.gpio.openLine(p.offset, { direction: 'out', activeLow: rc.activeLow, initial: 0, consumer: 'ringer' });
      return new GpioRinger({ clock, line, name: 'ringer', ...logger });
    });
    cleanups.push(() => { ringer.ring('off'); });

    await at('keypad', () => mergedKeypad.start());
    cleanups.push(() => mergedKeypad.stop());
    await at('hook', () => hook.start());
    cleanups.push(() => hook.stop());
    if (headsetDetect) { await at('headsetDetect', () => headsetDetect.start()); cleanups.push(() => headsetDetect.stop()); }

    const hardware: PhoneHardware = {
      display, keypad: mergedKeypad, hook, lamps, ringer, softkeyCount: sk.count, ...(headsetDetect ? { headsetDetect } : {}),
    };
    return { hardware, display, handsets, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** One Keypad out of the matrix (or HID keypad) and the direct softkey buttons (each reports as its key). */
function mergeKeys(base: Keypad, buttons: readonly GpioHookSwitch[]): Keypad {
  if (buttons.length === 0) return base;
  const listeners = new Set<(key: KeyName, down: boolean) => void>();
  const emit = (k: KeyName, d: boolean): void => { for (const cb of [...listeners]) cb(k, d); };
  base.onKey(emit);
  for (const b of buttons) b.onChange((down) => emit(b.name, down));
  return {
    name: base.name,
    onKey: (cb) => { listeners.add(cb); return () => { listeners.delete(cb); }; },
    start: async () => { await base.start(); for (const b of buttons) await b.start(); },
    stop: async () => { await base.stop(); for (const b of buttons) await b.stop(); },
  };
}
