/**
 * Physical key names → phone actions. Key names come from the Keypad driver (hal/api/devices.ts:
 * '0'-'9', '*', '#', 'A'-'D', 'softkey1'.., 'line1'.., 'hold', ...).
 */
export type KeyAction =
  | { kind: 'digit'; key: string }
  | { kind: 'softkey'; index: number }          // 0-based physical softkey
  | { kind: 'line'; line: number }
  | { kind: 'speedDial'; index: number }
  | { kind: 'more' }
  | { kind: 'speaker' }
  | { kind: 'headset' }
  | { kind: 'flash' }
  | { kind: 'named'; name: string };            // matched against softkey labels ('hold', 'redial')

/** DTMF keys of the 4x4 keypad (RFC 4733 §3.2 events 0-15: 0-9, *, #, A-D). */
const DIGIT = /^[0-9*#A-D]$/;
const NUMBERED = /^(softkey|line|speeddial)(\d{1,3})$/;
/** Named keys that are not softkey labels; the rest ('hold', 'redial', ...) go to the softkeys. */
const FIXED: Readonly<Record<string, KeyAction>> = {
  more: { kind: 'more' }, speaker: { kind: 'speaker' }, headset: { kind: 'headset' },
  flash: { kind: 'flash' }, hookflash: { kind: 'flash' },
};

/** Resolves a key name; undefined for an empty or malformed name. */
export function resolveKey(key: string): KeyAction | undefined {
  if (typeof key !== 'string' || key.length === 0 || key.length > 64) return undefined;
  if (DIGIT.test(key)) return { kind: 'digit', key };
  if (/^[a-d]$/.test(key)) return { kind: 'digit', key: key.toUpperCase() };
  const lower = key.toLowerCase();
  const m = NUMBERED.exec(lower);
  if (m) {
    const n = Number(m[2]);
    if (n < 1) return undefined;
    if (m[1] === 'softkey') return { kind: 'softkey', index: n - 1 };
    if (m[1] === 'line') return { kind: 'line', line: n };
    return { kind: 'speedDial', index: n };
  }
  const fixed = FIXED[lower];
  if (fixed) return fixed;
  return { kind: 'named', name: lower };
}
