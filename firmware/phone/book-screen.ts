/**
 * The phone book screen (Directories key → "2 Phone book", docs/features.md §4): the entries of
 * the phone config `phoneBook:` (phone-book.ts), one at a time, with Dial / Next / Exit.
 * Layout with 4 or more rows: "Phone book 1/3" / name / number / following entries / softkeys.
 * 3 rows: title, "name number", softkeys. 2 rows (16x2): "name number", softkeys.
 */
import type { KeyAction } from './keys.js';
import type { PhoneBookEntry } from './phone-book.js';
import { fit, leftRight, words } from './format.js';
import { actionOf, softkeyLine, step, type LocalKey, type ScreenOutcome } from './local-screen.js';
import type { ScreenGeometry } from './screens.js';

export interface BookBrowse { index: number; entries: readonly PhoneBookEntry[] }

const BOOK_KEYS: readonly LocalKey<'dial' | 'next' | 'exit'>[] = [
  { label: 'Dial', action: 'dial' }, { label: 'Next', action: 'next' }, { label: 'Exit', action: 'exit' },
];

/** Key `a` in the phone book: digits and other keys pass (the book closes, the key dials as usual). */
export function bookKey(b: BookBrowse, a: KeyAction, softkeyCount: number): ScreenOutcome {
  const act = actionOf(BOOK_KEYS, a, softkeyCount);
  if (act === undefined) return 'pass';
  if (act === 'next' || act === 'prev') b.index = step(b.index, b.entries.length, act === 'next' ? 1 : -1);
  else if (act === 'exit') return 'closed';
  else if (act === 'dial' || act === 'select') {
    const e = b.entries[b.index];
    if (e) return { dial: e.number };
  }
  return 'stay';
}

export function renderBook(b: BookBrowse, g: ScreenGeometry): string[] {
  const { cols, rows } = g;
  if (rows <= 0 || cols <= 0) return [];
  const n = b.entries.length;
  const e = b.entries[b.index];
  const keys = softkeyLine(BOOK_KEYS, cols, g.softkeyCount);
  const room = rows - (keys ? 1 : 0);
  const title = e ? leftRight('Phone book', `${b.index + 1}/${n}`, cols) : fit('Phone book', cols);
  const line = e ? fit(words(e.name, e.number), cols) : fit('No entries', cols);
  const out: string[] = [];
  if (room >= 3) {
    out.push(title, fit(e ? e.name : 'No entries', cols), fit(e ? e.number : '', cols));
    for (let i = 3; i < room; i++) {
      const next = n > 1 && i - 3 < n - 1 ? b.entries[(b.index + i - 2) % n] : undefined;
      out.push(fit(next ? words(next.name, next.number) : '', cols));
    }
  } else if (room === 2) out.push(title, line);
  else if (room === 1) out.push(line);
  if (keys) out.push(keys);
  return out.slice(0, rows);
}
