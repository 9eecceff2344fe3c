/**
 * `server.compat: chan_skinny`: where Asterisk 20 chan_skinny behaves differently from the deskphone
 * call manager (docs/scenarios.md "Call managers differ"). Off by default. What the phone is told
 * per call state (in-band busy/reorder with CallState Busy/Congestion, the ringing
 * DisplayPriNotify, no idle soft key set on teardown) is the CALL_UI_CHAN_SKINNY table of
 * call-ui.ts; the session-level differences are here:
 *  - a session that ends without OnHook leaves its call up for about 10 s, and an OffHook from the
 *    device's next registration meanwhile is ignored;
 *  - LineStat carries the line's label in the display-name field, the text label empty (sccp/session.ts).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { Logger } from '../log.js';

/** How long chan_skinny keeps a dead session's off-hook call (observed: about 10 s). */
export const STALE_CALL_MS = 10_000;

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

  close(): void { for (const t of this.stale.values()) this.clock.clearTimeout(t); this.stale.clear(); }
}
