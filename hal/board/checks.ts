/**
 * Whole-board semantic checks run after the zod schema accepted the shape: each problem points at
 * the offending key (file:line:col) and names the other key involved, e.g.
 *   board.yaml:31:11: keypad.cols[0]: gpio17 is already used by hook.pin
 * What each entry takes (pins, I2C addresses, HID devices) and its own checks come from its
 * component (components/index.ts); the checks across entries are here.
 */
import { suggest, type ConfigProblem, type KeyPath, type YamlSource, pathString } from '../../lib/config/yaml-config.js';
import {
  DISPLAYS, KEYPADS, RINGERS, displayOf, expanderOf, expanderPinOffset, hookSwitch, keypadOf, lamps, ringerOf, softkeys, type Claims, type HidClaim, type I2cClaim, type PinClaim,
} from './components/index.js';
import { hex } from './components/common.js';
import type { BoardConfig } from './schema.js';
import { HEADER_GPIO_MAX, HEADER_GPIO_MIN, HEADER_PHYSICAL_PIN, I2C_BUS_PINS, pinLabel } from './pins.js';

export { KEY_NAMES, LAMP_NAMES } from './components/index.js';

/** Whether a (possibly partial) section names a registered component (else the schema already complained). */
const known = (list: readonly { type: string }[], v: { type?: unknown } | undefined): boolean => v !== undefined && list.some((c) => c.type === v.type);

const MODEL_TEXT: Record<BoardConfig['board']['model'], string> = {
  'pi4': 'Raspberry Pi 4', 'pi3b+': 'Raspberry Pi 3 B+', 'pi5': 'Raspberry Pi 5',
  'pi-zero-2w': 'Raspberry Pi Zero 2 W', 'laptop': 'emulated 40-pin',
};

/**
 * What every entry of the config takes, in file order of the sections. Sections may be missing
 * (the loader runs the checks on what is valid when the schema rejected part of a file).
 */
export function collectClaims(cfg: BoardConfig): Required<Claims> {
  const all: Claims[] = cfg.expanders.map((e, i): Claims => ({
    i2c: [{ bus: e.bus, address: e.address, busPath: ['expanders', i, 'bus'], addressPath: ['expanders', i, 'address'], who: `expanders[${i}] (${e.id})` }],
    ...(e.interrupt ? { pins: [{ pin: e.interrupt, path: ['expanders', i, 'interrupt'] }] } : {}),
  }));
  if (known(DISPLAYS, cfg.display)) all.push(displayOf(cfg.display).claims(cfg.display));
  if (known(KEYPADS, cfg.keypad)) all.push(keypadOf(cfg.keypad).claims(cfg.keypad));
  all.push(softkeys.claims(cfg.softkeys));
  if (cfg.hook) all.push(hookSwitch.claims(cfg.hook, 'hook'));
  if (cfg.headsetDetect) all.push(hookSwitch.claims(cfg.headsetDetect, 'headsetDetect'));
  all.push(lamps.claims(cfg.lamps));
  if (known(RINGERS, cfg.ringer)) all.push(ringerOf(cfg.ringer).claims(cfg.ringer));
  return {
    pins: all.flatMap((c): PinClaim[] => c.pins ?? []),
    i2c: all.flatMap((c): I2cClaim[] => c.i2c ?? []),
    hid: all.flatMap((c): HidClaim[] => c.hid ?? []),
  };
}

/** Every pin the config uses, with the key path it was written at. */
export function collectPins(cfg: BoardConfig): PinClaim[] {
  return collectClaims(cfg).pins;
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
  const claims = collectClaims(cfg);
  cfg.expanders.forEach((e, i) => {
    if (expanders.has(e.id)) bad(['expanders', i, 'id'], `expander id "${e.id}" is declared twice`);
    expanders.set(e.id, e);
    const ok = expanderOf(e.type).addresses;
    if (!ok.includes(e.address)) {
      bad(['expanders', i, 'address'], `${e.type} cannot be strapped to ${hex(e.address)} (valid: ${ok.map(hex).join(', ')})`);
    }
  });
  for (const c of claims.i2c) {
    needBus(c.bus, c.busPath);
    claimAddress(c.bus, c.address, c.addressPath, c.who);
  }
  if (known(DISPLAYS, cfg.display)) displayOf(cfg.display).check?.(cfg.display, bad);

  // Pins: on the header (or on a declared expander), not an enabled I2C bus's SDA/SCL, used once.
  const i2cPins = new Map<number, string>();
  for (const [bus, path] of buses) {
    const p = I2C_BUS_PINS[bus];
    if (!p) continue;
    i2cPins.set(p.sda, `SDA of i2c-${bus} (header pin ${HEADER_PHYSICAL_PIN[p.sda]}, declared at ${pathString(path)})`);
    i2cPins.set(p.scl, `SCL of i2c-${bus} (header pin ${HEADER_PHYSICAL_PIN[p.scl]}, declared at ${pathString(path)})`);
  }
  const used = new Map<string, KeyPath>();
  for (const { pin, path } of claims.pins) {
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
        const names = expanderOf(e.type).pins;
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
  if (known(KEYPADS, cfg.keypad)) {
    const kp = keypadOf(cfg.keypad);
    kp.check?.(cfg.keypad, bad);
    softkeys.check(cfg.softkeys, bad, kp.keyNames(cfg.keypad));
  } else softkeys.check(cfg.softkeys, bad, undefined);

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
  for (const c of claims.hid) needHid(c.ref, c.path);
  lamps.check(cfg.lamps, bad);
  return problems;
}
