/**
 * The SSCP station's directory search (StationSignalling.searchDirectory; docs/sscp.md §5
 * "Directory"): 14 PhoneBook with the name in User lastname → 125 PhoneBookResult. PhoneBookResult
 * names no request, so one search is outstanding at a time; a search the CM leaves unanswered is
 * rejected after a timeout on the injected Clock, and an answer nobody waits for is dropped.
 * Results are checked: a User without a number is skipped, names are trimmed and joined
 * "firstname lastname", and the presence attribute (our extension, docs/sscp.md §2) may be absent.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { DirectoryEntry } from '../station/signalling.js';
import type { SscpFieldsOf } from './messages.js';
import type { SscpLog } from './station-media.js';

/** How long a PhoneBook may wait for its PhoneBookResult (a LAN CM answers in milliseconds). */
export const PHONEBOOK_TIMEOUT_MS = 3000;

export type PhoneBookQuery = SscpFieldsOf<'PhoneBook'>;

interface Pending { resolve: (r: DirectoryEntry[]) => void; reject: (e: Error) => void; timer: TimerHandle; query: string }

export class SscpDirectory {
  private pending: Pending | undefined;

  constructor(
    private readonly clock: Clock,
    /** Sends 14 PhoneBook; an Error when it cannot go out (not registered). */
    private readonly send: (q: PhoneBookQuery) => Error | undefined,
    private readonly log: SscpLog,
    private readonly timeoutMs = PHONEBOOK_TIMEOUT_MS,
  ) {}

  /** Names containing `name` ('' = all); at most 16 (PhoneBookResult's User list, docs/sscp.md §2). */
  search(name: string): Promise<DirectoryEntry[]> {
    if (this.pending) return Promise.reject(new Error('Search already running'));
    const query = name.trim().slice(0, 64); // User lastname is text ≤ 64 (docs/sscp.md §2, message 14)
    const err = this.send(query ? { lastName: query } : {});
    if (err) return Promise.reject(err);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending = undefined;
        this.log('warn', `SSCP PhoneBook "${query}": no PhoneBookResult within ${this.timeoutMs} ms`);
        reject(new Error('No answer from the CM'));
      }, this.timeoutMs);
      this.pending = { resolve, reject, timer, query };
    });
  }

  /** 125 PhoneBookResult arrived. */
  result(f: SscpFieldsOf<'PhoneBookResult'>): void {
    const p = this.pending;
    if (!p) { this.log('debug', `SSCP PhoneBookResult (${f.users.length} entries) with no search waiting: dropped`); return; }
    this.pending = undefined;
    this.clock.clearTimeout(p.timer);
    const out: DirectoryEntry[] = [];
    for (const u of f.users) {
      const number = (u.number ?? '').trim();
      if (!number) { this.log('debug', `SSCP PhoneBookResult user ${u.userId} without a number skipped`); continue; }
      const name = [u.firstName, u.lastName].map((x) => (x ?? '').trim()).filter(Boolean).join(' ');
      out.push({ name, number, presence: u.presence ?? 'unknown' });
    }
    this.log('debug', `SSCP PhoneBook "${p.query}": ${out.length} entries`);
    p.resolve(out);
  }

  /** The registration went away: a waiting search fails now rather than at its timeout. */
  cancel(reason: string): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.clock.clearTimeout(p.timer);
    p.reject(new Error(reason));
  }
}
