/**
 * The phone's durable state (docs/state.md §1): call history, the redial number, the count of
 * missed calls not yet viewed and the call manager it last registered to, kept in one record of
 * the StateStore handed in by the composition root (hal/api/storage.ts).
 *
 * SD-card wear: a change only marks the state dirty; it is written SAVE_DEBOUNCE_MS later, once,
 * with everything that changed meanwhile, and not at all when the text equals what is stored.
 * Nothing is written per call-second: only the end of a call (history), a new redial number, a
 * viewed history and a registration to another call manager change the record.
 *
 * A damaged record (torn, truncated, garbage, wrong shape) is reported once, naming the copy and
 * what was wrong, and the previous good copy is used, else an empty state: the phone boots anyway.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { StateStore } from '../../hal/api/storage.js';
import type { HistoryEntry, HistoryKind } from './history.js';

export interface PhoneSnapshot {
  /** Newest first. */
  history: HistoryEntry[];
  lastDialled: string;
  missedUnseen: number;
  /** "host:port" of the call manager last registered to, '' when never. */
  lastServer: string;
}

export interface StateLog { warn(msg: string): void; debug?(msg: string): void }

/** Record name in the store (<dir>/phone.json for the file store). */
export const PHONE_STATE_KEY = 'phone';
/** Format version written in the record; a record of another version is not guessed at. */
export const PHONE_STATE_VERSION = 1;
/** Coalescing delay of writes (docs/state.md §3 "SD wear"). */
export const SAVE_DEBOUNCE_MS = 2000;

const KINDS: ReadonlySet<string> = new Set<HistoryKind>(['missed', 'received', 'placed']);

export function encodePhoneState(s: PhoneSnapshot): string {
  return `${JSON.stringify({
    version: PHONE_STATE_VERSION,
    history: s.history.map((e) => ({ kind: e.kind, number: e.number, name: e.name, at: e.at.toISOString() })),
    lastDialled: s.lastDialled, missedUnseen: s.missedUnseen, lastServer: s.lastServer,
  })}\n`;
}

/** Parses a stored record; returns what is wrong with it as a string when it is not a valid one. */
export function decodePhoneState(text: string): PhoneSnapshot | string {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) {
    return text.length === 0 ? 'empty file' : `not JSON (${(e as Error).message}; ${text.length} bytes)`;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  if (o.version !== PHONE_STATE_VERSION) return `version ${JSON.stringify(o.version)}, expected ${PHONE_STATE_VERSION}`;
  if (!Array.isArray(o.history)) return 'history: not a list';
  const history: HistoryEntry[] = [];
  for (const [i, x] of o.history.entries()) {
    const e = x as Record<string, unknown> | null;
    const at = typeof e?.at === 'string' ? new Date(e.at) : undefined;
    if (!e || typeof e.kind !== 'string' || !KINDS.has(e.kind) || typeof e.number !== 'string' || typeof e.name !== 'string' ||
      !at || Number.isNaN(at.getTime())) return `history[${i}]: expected {kind: missed|received|placed, number, name, at: ISO time}`;
    history.push({ kind: e.kind as HistoryKind, number: e.number, name: e.name, at });
  }
  if (typeof o.lastDialled !== 'string') return 'lastDialled: not a string';
  if (typeof o.missedUnseen !== 'number' || !Number.isInteger(o.missedUnseen) || o.missedUnseen < 0) return 'missedUnseen: not a count';
  if (typeof o.lastServer !== 'string') return 'lastServer: not a string';
  return { history, lastDialled: o.lastDialled, missedUnseen: o.missedUnseen, lastServer: o.lastServer };
}

/** Loads, and later saves (coalesced), the phone's state record. */
export class PhoneStateKeeper {
  private timer: TimerHandle | undefined;
  /** Text of the record as stored (loaded or last written): an equal snapshot is not written again. */
  private stored: string | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  constructor(private readonly store: StateStore, private readonly clock: Clock, private readonly log: StateLog,
    private readonly snapshot: () => PhoneSnapshot, private readonly debounceMs = SAVE_DEBOUNCE_MS) {}

  /** The stored state: the newest valid copy; damaged copies are reported (once each) and skipped. */
  async load(): Promise<PhoneSnapshot | undefined> {
    let copies;
    try { copies = await this.store.read(PHONE_STATE_KEY); } catch (e) {
      this.log.warn(`phone state: cannot read from ${this.store.location}: ${(e as Error).message}; starting empty`);
      return undefined;
    }
    for (const [i, c] of copies.entries()) {
      const got = c.text === undefined ? c.error ?? 'unreadable' : decodePhoneState(c.text);
      if (typeof got !== 'string') {
        if (i === 0) this.stored = c.text;
        else this.log.warn(`phone state: using the previous copy ${c.where}`);
        return got;
      }
      this.log.warn(`phone state: ${c.where} is damaged (${got}); ${i + 1 < copies.length ? 'trying the previous copy' : 'starting empty'}`);
    }
    return undefined;
  }

  /** Something in the snapshot may have changed: a write follows within the debounce delay. */
  changed(): void {
    if (this.timer) return;
    this.timer = this.clock.setTimeout(() => { this.timer = undefined; void this.save(); }, this.debounceMs);
  }

  /** Writes a pending change now (phone stopping) and resolves when every write has finished. */
  async flush(): Promise<void> {
    if (this.timer) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      await this.save();
    }
    await this.writing;
  }

  private save(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const text = encodePhoneState(this.snapshot());
      if (text === this.stored) return;
      try {
        await this.store.write(PHONE_STATE_KEY, text);
        this.stored = text;
        if (this.failed) this.log.warn(`phone state: writing to ${this.store.location} works again`);
        this.failed = false;
      } catch (e) {
        // Reported once per failure streak; the next change tries again.
        if (!this.failed) this.log.warn(`phone state: cannot save to ${this.store.location}: ${(e as Error).message}`);
        this.failed = true;
      }
    });
    return this.writing;
  }
}
