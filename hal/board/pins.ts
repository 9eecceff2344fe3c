/**
 * Pin references in board configs: header GPIOs by BCM number and expander pins by the name the
 * expander's datasheet gives them. Pure data + parsing, shared by the schema, the cross-checks
 * and the composition code.
 */
import type { Zod } from './components/common.js';
import { suggest } from '../../lib/config/schema-words.js';

/** A header GPIO, by BCM (SoC) number, the way `gpioinfo`/`pinout` name it ("GPIO17"). */
export interface GpioPinRef { kind: 'gpio'; gpio: number }
/** A pin of an I2C expander declared under `expanders:`; `pin` is the datasheet name (GPB3, P5). */
export interface ExpanderPinRef { kind: 'expander'; expander: string; pin: string }
export type PinRef = GpioPinRef | ExpanderPinRef;

export function pinLabel(p: PinRef): string {
  return p.kind === 'gpio' ? `gpio${p.gpio}` : `${p.expander}:${p.pin}`;
}

/**
 * BCM GPIO → physical pin on the 40-pin header shared by Pi 3B+, Pi 4, Pi 5 and Pi Zero 2 W
 * (Raspberry Pi documentation, "GPIO and the 40-pin header"; pinout.xyz). GPIO0/1 (pins 27/28)
 * are ID_SD/ID_SC, reserved for the HAT ID EEPROM, so usable GPIOs are BCM 2..27.
 */
export const HEADER_PHYSICAL_PIN: Readonly<Record<number, number>> = {
  0: 27, 1: 28, 2: 3, 3: 5, 4: 7, 5: 29, 6: 31, 7: 26, 8: 24, 9: 21, 10: 19, 11: 23, 12: 32,
  13: 33, 14: 8, 15: 10, 16: 36, 17: 11, 18: 12, 19: 35, 20: 38, 21: 40, 22: 15, 23: 16, 24: 18,
  25: 22, 26: 37, 27: 13,
};
/** First and last BCM GPIO a board config may use (see HEADER_PHYSICAL_PIN). */
export const HEADER_GPIO_MIN = 2;
export const HEADER_GPIO_MAX = 27;

/**
 * Header GPIOs owned by an I2C bus when it is enabled: i2c-1 is SDA1 = GPIO2 (pin 3) and
 * SCL1 = GPIO3 (pin 5) (BCM2711 peripherals §1.2 / Pi documentation "I2C"); i2c-0 sits on the
 * ID EEPROM pins GPIO0/GPIO1.
 */
export const I2C_BUS_PINS: Readonly<Record<number, { sda: number; scl: number }>> = {
  0: { sda: 0, scl: 1 },
  1: { sda: 2, scl: 3 },
};

const PIN_FORMS = 'write gpio17, {gpio: 17}, kp:GPB3 or {expander: kp, pin: GPB3}';
const GPIO_TEXT = /^gpio(\d+)$/i;
const EXP_TEXT = /^([A-Za-z_][\w-]*):([A-Za-z]+\d+)$/;

/** Parses the textual and object pin forms; returns an error message instead of throwing. */
export function parsePin(v: unknown): PinRef | string {
  if (typeof v === 'string') {
    const s = v.trim();
    const g = GPIO_TEXT.exec(s);
    if (g) return { kind: 'gpio', gpio: Number(g[1]) };
    const e = EXP_TEXT.exec(s);
    if (e) return { kind: 'expander', expander: e[1]!, pin: e[2]!.toUpperCase() };
    if (/^\d+$/.test(s)) return `"${s}" is ambiguous: write gpio${s} for BCM GPIO${s}`;
    return `"${s}" is not a pin: ${PIN_FORMS}`;
  }
  if (typeof v === 'number') return `${v} is ambiguous: write gpio${v} for BCM GPIO${v}`;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const allowed = 'gpio' in o ? ['gpio'] : ['expander', 'pin'];
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra !== undefined) {
      const hint = suggest(extra, PIN_KEYS);
      return `unknown pin key "${extra}"${hint ? ` (did you mean "${hint}"?)` : ''}: ${PIN_FORMS}`;
    }
    if ('gpio' in o) {
      return Number.isInteger(o['gpio']) ? { kind: 'gpio', gpio: o['gpio'] as number }
        : `gpio must be a BCM GPIO number, got ${JSON.stringify(o['gpio'])}`;
    }
    if (typeof o['expander'] !== 'string') return `expander pin needs "expander: <id>": ${PIN_FORMS}`;
    if (typeof o['pin'] !== 'string') return `expander pin needs "pin: <name>" such as GPB3 or P5: ${PIN_FORMS}`;
    return { kind: 'expander', expander: o['expander'], pin: o['pin'].toUpperCase() };
  }
  return `${JSON.stringify(v)} is not a pin: ${PIN_FORMS}`;
}

/** zod schema for one pin in any accepted form, normalised to a PinRef (`z`: components/common.ts Zod). */
export const pinSchema = (z: Zod) => z.unknown().transform((v, ctx): PinRef => {
  const r = parsePin(v);
  if (typeof r === 'string') { ctx.addIssue({ code: 'custom', message: r }); return z.NEVER; }
  return r;
});

/** Key names used by the pin object forms (for "did you mean" of the loader). */
export const PIN_KEYS = ['gpio', 'expander', 'pin'] as const;
