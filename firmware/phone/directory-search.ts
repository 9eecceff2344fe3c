/**
 * The Directory screen (Directories key → "3 Directory", docs/features.md §4): the user spells a
 * name with keypad multi-tap (multitap.ts), Search asks the call manager through
 * StationSignalling.searchDirectory, and the results show name, number and presence in words;
 * Dial calls the shown result.
 *
 * Layout with 4 or more rows (20x4):
 *   entry     "Directory" / "Name: BO_" / status ("Searching...", "No match", an error) / softkeys
 *   results   "Directory 1/3" / name / number left, presence right / following results / softkeys
 * 3 rows: the title row is dropped. 2 rows (16x2): one text row (status, else the name being typed;
 * a result as "name number" with the presence at the right), then softkeys.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { DirectoryEntry, Presence } from '../station/signalling.js';
import { PRESENCES } from '../station/signalling.js';
import type { KeyAction } from './keys.js';
import { cleanText, fit, leftRight, words } from './format.js';
import { actionOf, softkeyLine, step, type LocalKey, type ScreenOutcome } from './local-screen.js';
import { MultiTap } from './multitap.js';
import type { ScreenGeometry } from './screens.js';

export type DirectorySearchFn = (name: string) => Promise<DirectoryEntry[]>;

/** Presence in words (docs/features.md §4); 'unknown' shows nothing. `short` for a narrow row. */
export function presenceText(p: Presence, short = false): string {
  switch (p) {
    case 'idle': return 'Idle';
    case 'talking': return short ? 'Busy' : 'On call';
    case 'ringing': return 'Ringing';
    case 'dnd': return 'DND';
    case 'unregistered': return 'Offline';
    default: return '';
  }
}

type Phase = 'entry' | 'searching' | 'results' | 'unavailable';

const ENTRY_KEYS: readonly LocalKey<'search' | 'backspace' | 'exit'>[] = [
  { label: 'Search', action: 'search' }, { label: '<<', action: 'backspace' }, { label: 'Exit', action: 'exit' },
];
const RESULT_KEYS: readonly LocalKey<'dial' | 'next' | 'prev' | 'exit'>[] = [
  { label: 'Dial', action: 'dial' }, { label: 'Next', action: 'next' }, { label: 'Prev', action: 'prev' }, { label: 'Exit', action: 'exit' },
];
const EXIT_ONLY: readonly LocalKey<'exit'>[] = [{ label: 'Exit', action: 'exit' }];

/** Most results kept from one search (a 7960 pages its directory results; we keep a bounded list). */
const MAX_RESULTS = 64;

/** The results a station returned, checked (it is outside data): well-formed entries only, bounded. */
function checked(list: unknown): DirectoryEntry[] {
  if (!Array.isArray(list)) throw new Error('the directory answer is not a list');
  const out: DirectoryEntry[] = [];
  for (const e of list) {
    if (out.length >= MAX_RESULTS) break;
    if (!e || typeof e !== 'object') continue;
    const { name, number, presence } = e as Record<string, unknown>;
    if (typeof number !== 'string' || cleanText(number) === '') continue;
    out.push({
      name: typeof name === 'string' ? cleanText(name) : '', number: cleanText(number),
      presence: PRESENCES.includes(presence as Presence) ? presence as Presence : 'unknown',
    });
  }
  return out;
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface DirectorySearchDeps {
  clock: Clock;
  /** The station's directory search; absent → "Not available". */
  search?: DirectorySearchFn | undefined;
  /** Redraw: a search answered, or the multi-tap timeout committed a letter. */
  changed: () => void;
}

export class DirectorySearch {
  private phase: Phase;
  private readonly name: MultiTap;
  /** Status under the name: 'No match', an error, '' for none. */
  private message = '';
  private results: DirectoryEntry[] = [];
  private index = 0;
  /** Bumped on each search and on close: an answer for an older generation is dropped. */
  private generation = 0;

  constructor(private readonly deps: DirectorySearchDeps) {
    this.phase = deps.search ? 'entry' : 'unavailable';
    this.name = new MultiTap(deps.clock, deps.changed);
  }

  /** The name as typed so far (with the letter still cycling). */
  get typed(): string { return this.name.text; }

  /** Key `a` on this screen; 'closed' = Exit from the name entry (back to the Directories menu). */
  key(a: KeyAction, softkeyCount: number): ScreenOutcome {
    if (this.phase === 'unavailable' || this.phase === 'searching') {
      const act = actionOf(EXIT_ONLY, a, softkeyCount);
      if (act === 'exit') {
        if (this.phase === 'unavailable') return 'closed';
        this.generation++; // the answer, when it comes, is dropped
        this.phase = 'entry';
        return 'stay';
      }
      return act === undefined && a.kind !== 'digit' ? 'pass' : 'stay';
    }
    if (this.phase === 'results') return this.resultKey(a, softkeyCount);
    if (a.kind === 'digit') {
      this.message = '';
      this.name.press(a.key);
      return 'stay';
    }
    const act = actionOf(ENTRY_KEYS, a, softkeyCount);
    if (act === undefined) return 'pass';
    this.message = '';
    if (act === 'exit') { this.name.stop(); return 'closed'; }
    if (act === 'backspace') this.name.backspace();
    else if (act === 'search' || act === 'select') this.start();
    return 'stay';
  }

  /** The screen closes: the multi-tap timer stops and a pending answer is dropped. */
  close(): void {
    this.name.stop();
    this.generation++;
  }

  private resultKey(a: KeyAction, softkeyCount: number): ScreenOutcome {
    const act = actionOf(RESULT_KEYS, a, softkeyCount);
    if (act === undefined) return a.kind === 'digit' ? 'stay' : 'pass';
    const n = this.results.length;
    if (act === 'next' || act === 'prev') this.index = step(this.index, n, act === 'next' ? 1 : -1);
    else if (act === 'exit') this.phase = 'entry';
    else if (act === 'dial' || act === 'select') {
      const e = this.results[this.index];
      if (e) return { dial: e.number };
    }
    return 'stay';
  }

  private start(): void {
    const search = this.deps.search;
    if (!search) { this.phase = 'unavailable'; return; }
    this.name.commit();
    const gen = ++this.generation;
    this.phase = 'searching';
    const done = (results: DirectoryEntry[] | undefined, error?: string): void => {
      if (gen !== this.generation) return;
      if (error !== undefined || !results || results.length === 0) {
        this.phase = 'entry';
        this.message = error ?? 'No match';
      } else {
        this.phase = 'results';
        this.results = results;
        this.index = 0;
      }
      this.deps.changed();
    };
    let p: Promise<DirectoryEntry[]>;
    try { p = search(this.name.text.trim()); } catch (e) { done(undefined, errText(e)); return; }
    Promise.resolve(p).then((r) => {
      let list: DirectoryEntry[];
      try { list = checked(r); } catch (e) { done(undefined, errText(e)); return; }
      done(list);
    }, (e: unknown) => done(undefined, errText(e)));
  }

  render(g: ScreenGeometry): string[] {
    const { cols, rows } = g;
    if (rows <= 0 || cols <= 0) return [];
    if (this.phase === 'results') return this.renderResults(g);
    const keys = softkeyLine(this.phase === 'entry' ? ENTRY_KEYS : EXIT_ONLY, cols, g.softkeyCount);
    const status = this.phase === 'unavailable' ? 'Not available' : this.phase === 'searching' ? 'Searching...' : this.message;
    const nameRow = fit(`Name: ${this.name.text}${this.name.cycling ? '' : '_'}`, cols);
    const text: string[] = this.phase === 'unavailable'
      ? [fit('Directory', cols), fit(cols >= 23 ? 'Directory not available' : status, cols)]
      : [fit('Directory', cols), nameRow, fit(status, cols)];
    return this.frame(text, keys, g, status);
  }

  /** Text rows + softkeys in `rows`: the title drops first, then everything but the status (or the name). */
  private frame(text: string[], keys: string | undefined, g: ScreenGeometry, status: string): string[] {
    const room = g.rows - (keys ? 1 : 0);
    let body = text;
    if (body.length > room) body = body.slice(1);
    if (body.length > room) body = [status ? fit(status, g.cols) : body[0]!];
    const out = body.slice(0, Math.max(0, room));
    while (out.length < room) out.push(fit('', g.cols));
    if (keys && g.rows > 0) out.push(keys);
    return out.slice(0, g.rows);
  }

  private renderResults(g: ScreenGeometry): string[] {
    const { cols, rows } = g;
    const n = this.results.length;
    const e = this.results[this.index]!;
    const keys = softkeyLine(RESULT_KEYS, cols, g.softkeyCount);
    const one = (x: DirectoryEntry): string => {
      const pres = presenceText(x.presence, cols < 20);
      const left = words(x.name, x.number);
      return pres ? fit(left, Math.max(0, cols - pres.length - 1)) + (cols > pres.length ? ' ' : '') + pres.slice(0, cols) : fit(left, cols);
    };
    const room = rows - (keys ? 1 : 0);
    const out: string[] = [];
    if (room >= 3) {
      out.push(leftRight('Directory', `${this.index + 1}/${n}`, cols));
      out.push(fit(e.name || e.number, cols));
      out.push(leftRight(e.number, presenceText(e.presence), cols));
      for (let i = 3; i < room; i++) {
        const next = n > 1 && i - 3 < n - 1 ? this.results[(this.index + i - 2) % n] : undefined;
        out.push(next ? fit(one(next), cols) : fit('', cols));
      }
    } else if (room === 2) {
      out.push(leftRight('Directory', `${this.index + 1}/${n}`, cols));
      out.push(fit(one(e), cols));
    } else if (room === 1) {
      out.push(fit(one(e), cols));
    }
    if (keys) out.push(keys);
    return out.slice(0, rows);
  }
}
