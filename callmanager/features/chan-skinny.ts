/**
 * `server.compat: chan_skinny`: where Asterisk 20 chan_skinny behaves differently from the deskphone
 * call manager, the call core asks here (docs/scenarios.md "Call managers differ"). Off by default.
 *  - busy / congestion: CallState Busy / Congestion with the prompt "Busy" / "Congestion" and the
 *    tone in-band over RTP, no StartTone (earlyrtp=yes, its default; features/inband-tones.ts);
 *  - ringing: a DisplayPriNotify (10 s, priority 5, "From <number>") besides the prompt, cleared
 *    with ClearPriNotify(5) on answer;
 *  - the default softkey set is selected once, at registration (calls.ts teardown);
 *  - a session that ends without OnHook leaves its call up for about 10 s, and an OffHook from the
 *    device's next registration meanwhile is ignored;
 *  - LineStat carries the line's label in the display-name field, the text label empty (sccp/session.ts).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { CallStateName } from '../../firmware/station/signalling.js';
import type { CmCommand, Logger } from '../station.js';

/** How long chan_skinny keeps a dead session's off-hook call (observed: about 10 s). */
export const STALE_CALL_MS = 10_000;
/** DisplayPriNotify on an incoming call: 10 s at priority 5 (what chan_skinny sends). */
const RING_NOTIFY = { timeoutS: 10, priority: 5 };

export class ChanSkinny {
  private readonly stale = new Map<string, TimerHandle>();

  constructor(readonly on: boolean, private readonly clock: Clock, private readonly log: Logger) {}

  /** The session of `name` ended with a call up: keep it (true) and run `end` after STALE_CALL_MS. */
  keepStale(name: string, end: () => void): boolean {
    if (!this.on) return false;
    this.clock.clearTimeout(this.stale.get(name));
    this.log.info(`${name}: session ended without OnHook; its call stays up for ${STALE_CALL_MS / 1000} s (chan_skinny)`);
    this.stale.set(name, this.clock.setTimeout(() => { this.stale.delete(name); end(); }, STALE_CALL_MS));
    return true;
  }

  /** OffHook from `name` while its previous session's call is still up: ignored, as chan_skinny does. */
  ignoresOffHook(name: string, hasCall: boolean): boolean {
    if (!this.stale.has(name)) return false;
    if (!hasCall) { this.clock.clearTimeout(this.stale.get(name)); this.stale.delete(name); return false; }
    this.log.warn(`${name}: OffHook ignored: the previous session's call is still up (chan_skinny keeps it ~${STALE_CALL_MS / 1000} s)`);
    return true;
  }

  /** CallState and prompt for a failed call. */
  failure(tone: 'busy' | 'reorder', state: CallStateName, text: string): { state: CallStateName; text: string } {
    if (!this.on) return { state, text };
    return tone === 'reorder' ? { state: 'congestion', text: 'Congestion' } : { state: 'busy', text: 'Busy' };
  }

  ringNotify(text: string): CmCommand | undefined {
    return this.on ? { t: 'priNotify', text, ...RING_NOTIFY } : undefined;
  }

  answerClear(): CmCommand | undefined {
    return this.on ? { t: 'clearPriNotify', priority: RING_NOTIFY.priority } : undefined;
  }

  close(): void { for (const t of this.stale.values()) this.clock.clearTimeout(t); this.stale.clear(); }
}
