/**
 * The call history browser's screen (Directories key, docs/features.md §4) and its local softkeys.
 * Layout with 4 or more rows (20x4):
 *   row 0       list name left ("Missed", "Received", "Placed"), position right ("2/5")
 *   row 1       number and name
 *   row 2       time/date of the call
 *   rows 3..n-2 the following entries, one per row
 *   row n-1     softkeys "Dial", "Next", "Exit"
 * 3 rows: title + position, entry, softkeys. 2 rows (16x2): entry with a one-letter list mark, softkeys.
 */
import type { SoftkeySlot } from '../station/signalling.js';
import type { HistoryEntry, HistoryKind } from './history.js';
import type { KeyAction } from './keys.js';
import { fit, leftRight, words } from './format.js';
import { layoutSoftkeys, softkeyRow } from './softkeys.js';
import type { ScreenGeometry } from './screens.js';

export interface HistoryBrowse { index: number; entries: readonly HistoryEntry[] }

/** What the browser's softkeys do, in slot order. */
export const HISTORY_ACTIONS = ['dial', 'next', 'exit'] as const;
export type HistoryAction = typeof HISTORY_ACTIONS[number];

/** The browser's softkey set (local to the phone: the CM never sees these slots). */
export const HISTORY_SOFTKEYS: readonly SoftkeySlot[] = [
  { label: 'Dial', event: 0, enabled: true },
  { label: 'Next', event: 0, enabled: true },
  { label: 'Exit', event: 0, enabled: true },
];

const TITLE: Readonly<Record<HistoryKind, string>> = { missed: 'Missed', received: 'Received', placed: 'Placed' };
const MARK: Readonly<Record<HistoryKind, string>> = { missed: 'M', received: 'R', placed: 'P' };

/** The browser action under physical softkey `index` (undefined: blank key). */
export function historySoftkey(index: number, softkeyCount: number): HistoryAction | undefined {
  const t = layoutSoftkeys(HISTORY_SOFTKEYS, softkeyCount, 0).targets[index];
  return t?.kind === 'slot' ? HISTORY_ACTIONS[t.slot] : undefined;
}

/** Named keys while the call history is open (docs/features.md §1: up/down navigation keys). */
const BROWSE_KEYS: Readonly<Record<string, HistoryAction | 'prev'>> = {
  dial: 'dial', next: 'next', down: 'next', up: 'prev', prev: 'prev', exit: 'exit', back: 'exit', directories: 'exit',
};

/**
 * What key `a` does while the browser is open: 'stay' (moved or swallowed; the browser stays open),
 * 'closed' (Exit), 'pass' (not the browser's key: it closes and the key does what it always does —
 * a digit, the hook, a line key), or dial the entry's number (the browser closes).
 */
export function browseKey(b: HistoryBrowse, a: KeyAction, softkeyCount: number): 'stay' | 'closed' | 'pass' | { dial: string } {
  const act = a.kind === 'softkey' ? historySoftkey(a.index, softkeyCount) ?? 'none'
    : a.kind === 'more' ? 'next' : a.kind === 'named' ? BROWSE_KEYS[a.name] : undefined;
  if (act === 'none') return 'stay';
  const n = b.entries.length;
  if (act === 'next' || act === 'prev') {
    if (n > 0) b.index = (b.index + (act === 'next' ? 1 : n - 1)) % n;
    return 'stay';
  }
  if (act !== 'dial') return act === 'exit' ? 'closed' : 'pass';
  const e = b.entries[b.index];
  return e ? { dial: e.number } : 'closed';
}

const entryText = (e: HistoryEntry): string => words(e.number, e.name);

/** Renders the browser; `timeText(date, max)` formats an entry's time like the idle clock. */
export function renderHistory(b: HistoryBrowse, g: ScreenGeometry, timeText: (d: Date, max: number) => string): string[] {
  const { cols, rows } = g;
  const out: string[] = [];
  if (rows <= 0 || cols <= 0) return out;
  const n = b.entries.length;
  const e = b.entries[b.index];
  const keys = g.softkeyCount > 0 ? softkeyRow(layoutSoftkeys(HISTORY_SOFTKEYS, g.softkeyCount, 0).labels, cols) : undefined;
  const title = e ? leftRight(TITLE[e.kind], `${b.index + 1}/${n}`, cols) : fit('Call history', cols);
  const main = e ? fit(entryText(e), cols) : fit('No calls', cols);
  if (rows <= 2) {
    out.push(e ? fit(words(MARK[e.kind], entryText(e)), cols) : main);
    if (rows === 2) out.push(keys ?? fit(e ? timeText(e.at, cols) : '', cols));
    return out;
  }
  out.push(title);
  if (rows === 3) {
    out.push(main);
    out.push(keys ?? fit(e ? timeText(e.at, cols) : '', cols));
    return out;
  }
  out.push(main);
  out.push(fit(e ? timeText(e.at, cols) : '', cols));
  const body = rows - 3 - (keys ? 1 : 0);
  for (let i = 0; i < body; i++) {
    const next = n > 1 ? b.entries[(b.index + 1 + i) % n] : undefined;
    out.push(fit(next && i < n - 1 ? words(MARK[next.kind], entryText(next)) : '', cols));
  }
  if (keys) out.push(keys);
  return out;
}
