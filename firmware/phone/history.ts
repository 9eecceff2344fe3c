/**
 * Phone-side call history, like the 7940/7960 Directories key (docs/features.md §4): local lists of
 * missed, received and placed calls built from the call manager's call info and call states.
 * Classification when a call ends (callState onhook/idle):
 *   inbound (ringin / callwaiting / callInfo inbound|forward) that reached 'connected' → received,
 *   inbound that never did → missed,
 *   outbound that reached the far end (proceed / ringout / connected / busy) with a number → placed
 *   (a 7960 logs a placed call only once it reaches a channel, docs/features.md §4).
 * The entry's time is when the call began (first call state seen), from the injected clock.
 * A placed call keeps the number the user dialled (the CM's dialedNumber echo, else the first
 * called party), fixed when the call first reaches the far end: a later call info naming the
 * voicemail that answered, or a party the far end transferred us to, does not rewrite it.
 */
import type { CallStateName, SignallingEvent } from '../station/signalling.js';
import { party, type CallView } from './call-model.js';

export type HistoryKind = 'missed' | 'received' | 'placed';

export interface HistoryEntry { kind: HistoryKind; number: string; name: string; at: Date }

/** Entries kept (newest first); a 7960 keeps up to 100 per list, a character LCD needs far fewer. */
export const DEFAULT_HISTORY_SIZE = 20;

/** States meaning an outbound call got past dialling to a far end. */
const REACHED: ReadonlySet<CallStateName> = new Set<CallStateName>(['proceed', 'ringout', 'connected', 'busy']);

interface Live { at: Date; answered: boolean; reached: boolean; number?: string; name?: string }

export class CallHistory {
  /** Newest first, at most `size`. */
  readonly entries: HistoryEntry[] = [];
  private readonly live = new Map<number, Live>();

  constructor(readonly size = DEFAULT_HISTORY_SIZE) {}

  /**
   * Feeds one event. `call` is the model's view of the event's call (for an ending call: as it was
   * before the event removed it). Returns the entry logged, if the event ended a call.
   */
  observe(ev: SignallingEvent, call: CallView | undefined, now: Date): HistoryEntry | undefined {
    if (ev.type !== 'callState') return undefined;
    if (ev.state === 'onhook' || ev.state === 'idle') {
      const l = this.live.get(ev.callRef);
      this.live.delete(ev.callRef);
      if (!l || !call) return undefined;
      return this.log(l, call);
    }
    let l = this.live.get(ev.callRef);
    if (!l) { l = { at: now, answered: false, reached: false }; this.live.set(ev.callRef, l); }
    if (ev.state === 'connected') l.answered = true;
    if (REACHED.has(ev.state)) l.reached = true;
    if (l.reached && call && call.direction === 'outbound') {
      if (!l.number) l.number = call.dialled || call.called || undefined;
      if (l.number && !l.name && call.called === l.number) l.name = call.calledName || undefined;
    }
    return undefined;
  }

  /** A fresh registration: calls may be gone without an end state; forget their bookkeeping. */
  forgetLive(): void { this.live.clear(); }

  private log(l: Live, call: CallView): HistoryEntry | undefined {
    const inbound = call.direction === 'inbound' || call.direction === 'forward';
    const p = inbound ? party(call) : { number: l.number ?? party(call).number, name: l.name ?? (l.number ? '' : party(call).name) };
    let kind: HistoryKind;
    if (inbound) kind = l.answered ? 'received' : 'missed';
    else if (call.direction === 'outbound' && l.reached && p.number) kind = 'placed';
    else return undefined;
    const e: HistoryEntry = { kind, number: p.number, name: p.name, at: l.at };
    this.entries.unshift(e);
    if (this.entries.length > this.size) this.entries.length = this.size;
    return e;
  }
}
