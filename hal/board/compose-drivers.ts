/**
 * The driver half of every board, emulated or real: from a validated BoardConfig and a
 * BoardPlatform (buses, header chip, HID host) it builds the REAL hal/drivers objects of each
 * config entry through its component (components/index.ts: display, expanders as GPIO
 * controllers, keypad, softkey buttons, hook/headset switches, lamps, ringer, USB HID handsets)
 * and returns them as PhoneHardware. This file holds what the components share: pin resolution,
 * the HID handsets by id, start order and cleanup. Each failure is a HalError naming the config
 * key (platform.ts atKey); whatever was opened before a failure is closed again.
 */
import { HalError, type GpioController, type Keypad, type KeyName, type Lamp, type PhoneHardware, type Ringer } from '../api/index.js';
import type { HidHandset } from '../drivers/hid-telephony.js';
import type { GpioHookSwitch } from '../drivers/hook-switch.js';
import type { Mcp23017 } from '../drivers/mcp23017.js';
import { displayOf, expanderOf, expanderPinOffset, hookSwitch, keypadOf, lamps as lampComponent, ringerOf, softkeys, type DriverContext, type ResolvedPin } from './components/index.js';
import { expanderMcp23017 } from './components/expander-mcp23017.js';
import { hidDriver } from './components/hid.js';
import { atKey, TrackedGpio, type BoardPlatform, type ComposeOptions } from './platform.js';
import { pinLabel, type PinRef } from './pins.js';
import type { BoardConfig } from './schema.js';

export { backpackBits } from './components/display-hd44780.js';

export interface ComposedDrivers {
  hardware: PhoneHardware;
  display: PhoneHardware['display'] & { close(): Promise<void> };
  /** HID handsets by config id. */
  handsets: ReadonlyMap<string, HidHandset>;
  close(): Promise<void>;
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
  const chips = new Map<GpioController, Mcp23017>();
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
    const chip = await expanderOf(ec.type).driver(ec, ctx, `expanders[${config.expanders.indexOf(ec)}]`, key);
    cleanups.push(() => chip.close());
    const t = new TrackedGpio(chip);
    cleanups.push(() => t.closeAll());
    if (ec.type === expanderMcp23017.type) chips.set(t, chip as Mcp23017); // its driver is the Mcp23017 (whole-port keypad scans)
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
    const h = await hidDriver(hc, await platform.hidHost(id, key), { clock, logger });
    handsets.set(id, h);
    cleanups.push(() => h.stop());
    return h;
  };
  const ctx: DriverContext = {
    mode: platform.mode, clock, logger, at, resolve, handset,
    i2cBus: (bus, key) => platform.i2cBus(bus, key),
    mcpBehind: (gpio) => chips.get(gpio),
  };

  try {
    const dc = config.display;
    const display = await at('display', () => displayOf(dc).driver(dc, ctx));
    cleanups.push(() => display.close());

    const keypad = await at('keypad', () => keypadOf(config.keypad).driver(config.keypad, ctx));
    // Direct softkey buttons, merged into the keypad.
    const mergedKeypad = mergeKeys(keypad, await softkeys.driver(config.softkeys, ctx));

    const hook = await hookSwitch.driver(config.hook, 'hook', 'hook', ctx);
    const headsetDetect = config.headsetDetect ? await hookSwitch.driver(config.headsetDetect, 'headsetDetect', 'headset', ctx) : undefined;

    const lamps: Record<string, Lamp> = {};
    for (const [name, lc] of Object.entries(config.lamps)) {
      const lamp = await lampComponent.driver(name, lc, ctx);
      lamps[name] = lamp;
      cleanups.push(() => { lamp.set('off'); });
    }
    const rc = config.ringer;
    const ringer: Ringer = await at('ringer', () => ringerOf(rc).driver(rc, ctx));
    cleanups.push(() => { ringer.ring('off'); });

    await at('keypad', () => mergedKeypad.start());
    cleanups.push(() => mergedKeypad.stop());
    await at('hook', () => hook.start());
    cleanups.push(() => hook.stop());
    if (headsetDetect) { await at('headsetDetect', () => headsetDetect.start()); cleanups.push(() => headsetDetect.stop()); }

    const hardware: PhoneHardware = {
      display, keypad: mergedKeypad, hook, lamps, ringer, softkeyCount: config.softkeys.count, ...(headsetDetect ? { headsetDetect } : {}),
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
