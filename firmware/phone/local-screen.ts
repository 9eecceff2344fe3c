/**
 * Shared pieces of the phone's own screens (the Directories menu and its sub-screens,
 * docs/features.md §4): what a key did, local softkey sets (slots the call manager never sees)
 * fitted to the board's softkey count, and the named keys they answer to.
 */
import type { SoftkeySlot } from '../station/signalling.js';
import type { KeyAction } from './keys.js';
import { layoutSoftkeys, softkeyRow } from './softkeys.js';

/**
 * What a key did on a local screen: 'stay' (handled; the screen stays), 'closed' (Exit: back to
 * the screen before), 'pass' (not this screen's key: everything closes and the key does what it
 * always does), or dial a number (everything closes).
 */
export type ScreenOutcome = 'stay' | 'closed' | 'pass' | { dial: string };

/** A local softkey: its label and what it does. */
export interface LocalKey<A extends string> { label: string; action: A }

/**
 * `keys` on a board with `count` softkeys: all when they fit, else the first `count - 1` and the
 * last (Exit stays reachable); no "more" paging on local screens.
 */
export function fitKeys<A extends string>(keys: readonly LocalKey<A>[], count: number): readonly LocalKey<A>[] {
  if (count <= 0) return [];
  if (keys.length <= count) return keys;
  return [...keys.slice(0, count - 1), ...keys.slice(-1)];
}

const slots = (keys: readonly LocalKey<string>[]): SoftkeySlot[] => keys.map((k) => ({ label: k.label, event: 0, enabled: true }));

/** The action under physical softkey `index` (undefined: a blank key). */
export function softkeyAction<A extends string>(keys: readonly LocalKey<A>[], index: number, count: number): A | undefined {
  const fitted = fitKeys(keys, count);
  const t = layoutSoftkeys(slots(fitted), count, 0).targets[index];
  return t?.kind === 'slot' ? fitted[t.slot]?.action : undefined;
}

/** The softkey row for `keys` (undefined on a board without softkeys). */
export function softkeyLine(keys: readonly LocalKey<string>[], cols: number, count: number): string | undefined {
  if (count <= 0) return undefined;
  return softkeyRow(layoutSoftkeys(slots(fitKeys(keys, count)), count, 0).labels, cols);
}

/** Named fixed keys on local screens (docs/features.md §1: navigation keys, Select, Exit). */
const NAMED: Readonly<Record<string, string>> = {
  up: 'prev', prev: 'prev', down: 'next', next: 'next', select: 'select', dial: 'dial',
  search: 'search', exit: 'exit', back: 'exit', backspace: 'backspace', bkspc: 'backspace',
};

/**
 * The action of key `a` on a screen with softkeys `keys`: its softkey's action, a named key's
 * ('up' → 'prev', 'down' and "more" → 'next', 'exit'...), 'none' for a blank softkey, undefined
 * for keys that are not the screen's (digits, line keys, the hook).
 */
export function actionOf<A extends string>(keys: readonly LocalKey<A>[], a: KeyAction, count: number): A | 'prev' | 'next' | 'select' | 'dial' | 'search' | 'exit' | 'backspace' | 'none' | undefined {
  if (a.kind === 'softkey') return softkeyAction(keys, a.index, count) ?? 'none';
  if (a.kind === 'more') return 'next';
  if (a.kind !== 'named') return undefined;
  return NAMED[a.name] as 'prev' | 'next' | 'select' | 'dial' | 'search' | 'exit' | 'backspace' | undefined;
}

/** `index` moved by one in a list of `n` (wrapping). */
export const step = (index: number, n: number, by: 1 | -1): number => (n > 0 ? (index + by + n) % n : 0);
