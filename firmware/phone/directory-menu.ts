/**
 * The Directories menu (the Directories key when idle, docs/features.md §4), as on a Cisco 7960:
 *   1 Call history   the call history browser (history-screen.ts)
 *   2 Phone book     the phone config's phoneBook entries (book-screen.ts)
 *   3 Directory      the call manager's directory search with presence (directory-search.ts)
 * A digit opens its item; up/down move the selection and Select opens it; Exit (or the
 * Directories key) closes the menu. Exit on an item's screen comes back to the menu.
 * Layout: with room for the title and all items, "Directories" then the items; else the items
 * (a window around the selection on a 16x2), the selected one marked ">"; softkeys Select / Exit.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { HistoryEntry } from './history.js';
import { browseKey, renderHistory, type HistoryBrowse } from './history-screen.js';
import type { KeyAction } from './keys.js';
import type { PhoneBookEntry } from './phone-book.js';
import { bookKey, renderBook, type BookBrowse } from './book-screen.js';
import { DirectorySearch, type DirectorySearchFn } from './directory-search.js';
import { fit } from './format.js';
import { actionOf, softkeyLine, step, type LocalKey, type ScreenOutcome } from './local-screen.js';
import type { ScreenGeometry } from './screens.js';

export const DIRECTORY_ITEMS = ['Call history', 'Phone book', 'Directory'] as const;

const MENU_KEYS: readonly LocalKey<'select' | 'exit'>[] = [
  { label: 'Select', action: 'select' }, { label: 'Exit', action: 'exit' },
];

export interface DirectoryMenuDeps {
  clock: Clock;
  /** The call history, newest first (read when "1 Call history" opens). */
  history: () => readonly HistoryEntry[];
  /** The phone config's phone book. */
  phoneBook: readonly PhoneBookEntry[];
  /** The station's directory search, when it has one (StationSignalling.searchDirectory). */
  search?: DirectorySearchFn | undefined;
  /** Redraw (a search answered, a multi-tap letter committed). */
  changed: () => void;
  /** The call history was opened (the idle screen's "N missed" is then seen). */
  historyOpened?: () => void;
}

type Sub =
  | { kind: 'history'; browse: HistoryBrowse }
  | { kind: 'book'; browse: BookBrowse }
  | { kind: 'search'; search: DirectorySearch };

export class DirectoryMenu {
  private index = 0;
  private sub: Sub | undefined;

  constructor(private readonly deps: DirectoryMenuDeps) {}

  /** The open item's screen ('menu' when none). */
  get showing(): 'menu' | Sub['kind'] { return this.sub?.kind ?? 'menu'; }

  /**
   * Key `a`: 'closed' when the menu closed (Exit, Directories), 'pass' when the key is not the
   * menu's (the caller closes it and handles the key as usual), a number to dial (it closes too).
   */
  key(a: KeyAction, softkeyCount: number): ScreenOutcome {
    if (a.kind === 'named' && a.name === 'directories') { this.close(); return 'closed'; }
    const sub = this.sub;
    if (sub) {
      const out = sub.kind === 'history' ? browseKey(sub.browse, a, softkeyCount)
        : sub.kind === 'book' ? bookKey(sub.browse, a, softkeyCount) : sub.search.key(a, softkeyCount);
      if (out === 'closed') { this.closeSub(); return 'stay'; }
      if (out !== 'stay') this.close();
      return out;
    }
    if (a.kind === 'digit') {
      const n = Number(a.key);
      if (n >= 1 && n <= DIRECTORY_ITEMS.length) this.open(n - 1);
      return 'stay';
    }
    const act = actionOf(MENU_KEYS, a, softkeyCount);
    if (act === undefined) return 'pass';
    if (act === 'next' || act === 'prev') this.index = step(this.index, DIRECTORY_ITEMS.length, act === 'next' ? 1 : -1);
    else if (act === 'select' || act === 'dial') this.open(this.index);
    else if (act === 'exit') return 'closed';
    return 'stay';
  }

  /** Closes the open item (stops a search's timers; a late answer is dropped). */
  close(): void { this.closeSub(); }

  private closeSub(): void {
    if (this.sub?.kind === 'search') this.sub.search.close();
    this.sub = undefined;
  }

  private open(i: number): void {
    this.index = i;
    if (i === 0) {
      this.deps.historyOpened?.();
      this.sub = { kind: 'history', browse: { index: 0, entries: this.deps.history() } };
    } else if (i === 1) {
      this.sub = { kind: 'book', browse: { index: 0, entries: this.deps.phoneBook } };
    } else {
      this.sub = { kind: 'search', search: new DirectorySearch({ clock: this.deps.clock, search: this.deps.search, changed: this.deps.changed }) };
    }
  }

  /** The screen; `timeText(date, max)` formats a call history entry's time. */
  render(g: ScreenGeometry, timeText: (d: Date, max: number) => string): string[] {
    const sub = this.sub;
    if (sub?.kind === 'history') return renderHistory(sub.browse, g, timeText);
    if (sub?.kind === 'book') return renderBook(sub.browse, g);
    if (sub?.kind === 'search') return sub.search.render(g);
    const { cols, rows } = g;
    if (rows <= 0 || cols <= 0) return [];
    const keys = softkeyLine(MENU_KEYS, cols, g.softkeyCount);
    const room = rows - (keys ? 1 : 0);
    const item = (i: number): string => fit(`${i === this.index ? '>' : ' '}${i + 1} ${DIRECTORY_ITEMS[i]}`, cols);
    const out: string[] = [];
    const n = DIRECTORY_ITEMS.length;
    if (room >= n + 1) {
      out.push(fit('Directories', cols));
      for (let i = 0; i < n; i++) out.push(item(i));
      while (out.length < room) out.push(fit('', cols));
    } else if (room > 0) {
      const first = Math.min(Math.max(0, this.index - room + 1), Math.max(0, n - room));
      for (let i = first; i < first + room; i++) out.push(i < n ? item(i) : fit('', cols));
    }
    if (keys) out.push(keys);
    return out.slice(0, rows);
  }
}
