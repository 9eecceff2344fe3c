/**
 * Whole-board semantic checks run after the zod schema accepted the shape: each problem points at
 * the offending key (file:line:col) and names the other key involved, e.g.
 *   board.yaml:31:11: keypad.cols[0]: gpio17 is already used by hook.pin
 */
import { suggest, type ConfigProblem, type KeyPath, type YamlSource, pathString } from '../../lib/config/yaml-config.js';
import type { BoardConfig } from './schema.js';
import {
  EXPANDER_ADDRESSES, EXPANDER_PINS, HEADER_GPIO_MAX, HEADER_GPIO_MIN, HEADER_PHYSICAL_PIN, I2C_BUS_PINS,
  expanderPinOffset, pinLabel, type PinRef,
} from './pins.js';

/** Named keys besides 0-9 * # A-D (KeyName in hal/api/devices.ts). */
const NAMED_KEYS = ['hold', 'transfer', 'conference', 'redial', 'speaker', 'mute', 'headset', 'volup', 'voldown',
  'menu', 'directories', 'messages', 'settings', 'services', 'up', 'down', 'left', 'right', 'select', 'back', 'flash', 'park'];
export const KEY_NAMES: readonly string[] = [
  ...'0123456789*#ABCD'.split(''),
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => [`softkey${i}`, `line${i}`]),
  ...NAMED_KEYS,
];
/** Lamp names the phone application drives (SCCP SetLamp stimuli, docs/sccp.md §4). */
export const LAMP_NAMES: readonly string[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `line${i}`), 'message', 'speaker', 'mute', 'headset', 'hold',
];

const MODEL_TEXT: Record<BoardConfig['board']['model'], string> = {
  'pi4': 'Raspberry Pi 4', 'pi3b+': 'Raspberry Pi 3 B+', 'pi5': 'Raspberry Pi 5',
  'pi-zero-2w': 'Raspberry Pi Zero 2 W', 'laptop': 'emulated 40-pin',
};

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/**
 * Every pin the config uses, with the key path it was written at. Sections may be missing (the
 * loader runs the checks on what is valid when the schema rejected part of a file).
 */
export function collectPins(cfg: BoardConfig): { pin: PinRef; path: KeyPath }[] {
  const out: { pin: PinRef; path: KeyPath }[] = [];
  cfg.expanders.forEach((e, i) => { if (e.interrupt) out.push({ pin: e.interrupt, path: ['expanders', i, 'interrupt'] }); });
  if (cfg.keypad?.type === 'matrix') {
    cfg.keypad.rows.forEach((p, i) => out.push({ pin: p, path: ['keypad', 'rows', i] }));
    cfg.keypad.cols.forEach((p, i) => out.push({ pin: p, path: ['keypad', 'cols', i] }));
  }
  cfg.softkeys.buttons?.forEach((p, i) => out.push({ pin: p, path: ['softkeys', 'buttons', i] }));
  if (cfg.hook?.pin) out.push({ pin: cfg.hook.pin, path: ['hook', 'pin'] });
  if (cfg.headsetDetect?.pin) out.push({ pin: cfg.headsetDetect.pin, path: ['headsetDetect', 'pin'] });
  for (const [name, l] of Object.entries(cfg.lamps)) if (l.pin) out.push({ pin: l.pin, path: ['lamps', name, 'pin'] });
  if (cfg.ringer?.type === 'gpio-buzzer') out.push({ pin: cfg.ringer.pin, path: ['ringer', 'pin'] });
  return out;
}

export function checkBoard(cfg: BoardConfig, src: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const bad = (path: KeyPath, msg: string): void => { problems.push(src.problem(path, msg)); };

  // I2C buses: declared once, referenced only when declared; their SDA/SCL pins are taken.
  const buses = new Map<number, KeyPath>();
  cfg.i2c.forEach((b, i) => {
    const first = buses.get(b.bus);
    if (first) bad(['i2c', i, 'bus'], `i2c-${b.bus} is already declared at ${pathString(first)}`);
    else buses.set(b.bus, ['i2c', i, 'bus']);
  });
  const needBus = (bus: number, path: KeyPath): void => {
    if (!buses.has(bus)) {
      const have = [...buses.keys()].map((b) => `i2c-${b}`).join(', ') || 'none';
      bad(path, `i2c-${bus} is not declared under i2c: (declared: ${have}); add "- bus: ${bus}" to i2c`);
    }
  };

  // Expanders: unique ids, valid strap addresses, no two devices on one address of a bus.
  const expanders = new Map<string, BoardConfig['expanders'][number]>();
  const addrUsers = new Map<string, string>();
  const claimAddress = (bus: number, address: number, path: KeyPath, who: string): void => {
    const key = `${bus}/${address}`;
    const prev = addrUsers.get(key);
    if (prev) bad(path, `I2C address ${hex(address)} on i2c-${bus} is already used by ${prev}`);
    else addrUsers.set(key, who);
  };
  cfg.expanders.forEach((e, i) => {
    if (expanders.has(e.id)) bad(['expanders', i, 'id'], `expander id "${e.id}" is declared twice`);
    expanders.set(e.id, e);
    needBus(e.bus, ['expanders', i, 'bus']);
    const ok = EXPANDER_ADDRESSES[e.type];
    if (!ok.includes(e.address)) {
      bad(['expanders', i, 'address'], `${e.type} cannot be strapped to ${hex(e.address)} (valid: ${ok.map(hex).join(', ')})`);
    }
    claimAddress(e.bus, e.address, ['expanders', i, 'address'], `expanders[${i}] (${e.id})`);
  });
  if (cfg.display) {
    needBus(cfg.display.bus, ['display', 'bus']);
    claimAddress(cfg.display.bus, cfg.display.address, ['display', 'address'], `display (${cfg.display.type})`);
  }
  if (cfg.display?.type === 'hd44780') {
    const d = cfg.display;
    // HD44780U datasheet, "Display Data RAM": 80 characters of DDRAM.
    if (d.cols * d.rows > 80) bad(['display', 'cols'], `${d.cols}x${d.rows} exceeds the HD44780's 80 characters of DDRAM`);
    const seen = new Map<string, string>();
    for (const sig of ['rs', 'rw', 'e', 'backlight', 'd4', 'd5', 'd6', 'd7'] as const) {
      const other = seen.get(d.pins[sig]);
      if (other) bad(['display', 'pins', sig], `backpack ${d.pins[sig]} is already wired to ${other}`);
      else seen.set(d.pins[sig], sig);
    }
  }

  // Pins: on the header (or on a declared expander), not an enabled I2C bus's SDA/SCL, used once.
  const i2cPins = new Map<number, string>();
  for (const [bus, path] of buses) {
    const p = I2C_BUS_PINS[bus];
    if (!p) continue;
    i2cPins.set(p.sda, `SDA of i2c-${bus} (header pin ${HEADER_PHYSICAL_PIN[p.sda]}, declared at ${pathString(path)})`);
    i2cPins.set(p.scl, `SCL of i2c-${bus} (header pin ${HEADER_PHYSICAL_PIN[p.scl]}, declared at ${pathString(path)})`);
  }
  const used = new Map<string, KeyPath>();
  for (const { pin, path } of collectPins(cfg)) {
    if (pin.kind === 'gpio') {
      const model = cfg.board ? MODEL_TEXT[cfg.board.model] : 'Raspberry Pi';
      if (pin.gpio === 0 || pin.gpio === 1) {
        bad(path, `gpio${pin.gpio} (header pin ${HEADER_PHYSICAL_PIN[pin.gpio]}) is reserved for the HAT ID EEPROM; use GPIO${HEADER_GPIO_MIN}..GPIO${HEADER_GPIO_MAX}`);
        continue;
      }
      if (pin.gpio < HEADER_GPIO_MIN || pin.gpio > HEADER_GPIO_MAX) {
        bad(path, `gpio${pin.gpio} is not on the ${model} header: the 40-pin header exposes BCM GPIO${HEADER_GPIO_MIN}..GPIO${HEADER_GPIO_MAX}`);
        continue;
      }
      const i2c = i2cPins.get(pin.gpio);
      if (i2c) { bad(path, `gpio${pin.gpio} is ${i2c}`); continue; }
    } else {
      const e = expanders.get(pin.expander);
      if (!e) {
        const hint = suggest(pin.expander, [...expanders.keys()]);
        bad(path, `unknown expander "${pin.expander}"${hint ? ` (did you mean "${hint}"?)` : ''}; declared: ${[...expanders.keys()].join(', ') || 'none'}`);
        continue;
      }
      if (expanderPinOffset(e.type, pin.pin) === undefined) {
        const names = EXPANDER_PINS[e.type];
        bad(path, `${e.type} "${e.id}" has no pin ${pin.pin} (pins: ${names[0]}..${names[names.length - 1]})`);
        continue;
      }
    }
    const label = pinLabel(pin);
    const first = used.get(label);
    if (first) bad(path, `${label} is already used by ${pathString(first)}`);
    else used.set(label, path);
  }

  // Keypad grid and key names; softkeys present.
  const keyNames = new Set<string>();
  if (cfg.keypad?.type === 'matrix') {
    const k = cfg.keypad;
    if (k.keys.length !== k.rows.length) {
      bad(['keypad', 'keys'], `keys has ${k.keys.length} rows but the keypad has ${k.rows.length} row pins (rows × cols = ${k.rows.length} × ${k.cols.length})`);
    }
    k.keys.forEach((row, r) => {
      if (row.length !== k.cols.length) {
        bad(['keypad', 'keys', r], `keys[${r}] has ${row.length} keys but the keypad has ${k.cols.length} column pins`);
      }
      row.forEach((key, c) => {
        if (key === '') return;
        if (!KEY_NAMES.includes(key)) {
          const hint = suggest(key, KEY_NAMES);
          bad(['keypad', 'keys', r, c], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
        } else if (keyNames.has(key)) bad(['keypad', 'keys', r, c], `key "${key}" appears twice in the grid`);
        keyNames.add(key);
      });
    });
  }
  const sk = cfg.softkeys;
  if (sk.buttons) {
    if (sk.buttons.length !== sk.count) bad(['softkeys', 'buttons'], `${sk.buttons.length} buttons for count: ${sk.count}`);
  } else if (cfg.keypad?.type === 'matrix') {
    for (let i = 1; i <= sk.count; i++) {
      if (!keyNames.has(`softkey${i}`)) {
        bad(['softkeys', 'count'], `softkey${i} is neither a keypad key nor in softkeys.buttons`);
        break;
      }
    }
  }

  // Lamp names and HID references.
  const hidIds = new Set<string>();
  cfg.hid.forEach((h, i) => {
    if (hidIds.has(h.id)) bad(['hid', i, 'id'], `HID device id "${h.id}" is declared twice`);
    hidIds.add(h.id);
  });
  const needHid = (ref: string | undefined, path: KeyPath): void => {
    if (ref !== undefined && !hidIds.has(ref)) {
      const hint = suggest(ref, [...hidIds]);
      bad(path, `unknown HID device "${ref}"${hint ? ` (did you mean "${hint}"?)` : ''}; declared under hid: ${[...hidIds].join(', ') || 'none'}`);
    }
  };
  if (cfg.keypad?.type === 'hid') needHid(cfg.keypad.device, ['keypad', 'device']);
  if (cfg.ringer?.type === 'hid') needHid(cfg.ringer.device, ['ringer', 'device']);
  needHid(cfg.hook?.hid, ['hook', 'hid']);
  needHid(cfg.headsetDetect?.hid, ['headsetDetect', 'hid']);
  for (const [name, l] of Object.entries(cfg.lamps)) {
    if (!LAMP_NAMES.includes(name)) {
      const hint = suggest(name, LAMP_NAMES);
      bad(['lamps', name], `unknown lamp "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    needHid(l.hid, ['lamps', name, 'hid']);
  }
  return problems;
}
