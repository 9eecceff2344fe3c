/**
 * Call detail records (docs/state.md §2 "CDRs"): who called whom, when, how long they talked and
 * how the call ended, one row per call attempt, written when the attempt ends. Built from the
 * call core's 'call' events (calls.ts CallEvent): ringing opens a record, connected marks the
 * answer, ended closes it ('answered' or 'no-answer'); busy is a record of its own. A call the
 * CM's voicemail takes after ringing unanswered is two records: the unanswered ring, then the
 * call to the mailbox.
 */
import type { EventEmitter } from 'node:events';
import type { Clock } from '../../hal/api/clock.js';
import type { CallEvent } from '../calls.js';
import type { Logger } from '../station.js';
import type { CdrRow, CmStore } from './database.js';

interface Open { caller: string; callee: string; started: number; startedMono: number; answered?: number; answeredMono?: number }

export class CdrRecorder {
  private readonly open = new Map<number, Open>();
  private readonly listener = (ev: CallEvent) => this.on(ev);

  constructor(private readonly events: EventEmitter, private readonly db: CmStore, private readonly clock: Clock, private readonly log: Logger) {
    events.on('call', this.listener);
  }

  stop(): void { this.events.off('call', this.listener); }

  private on(ev: CallEvent): void {
    const wall = this.clock.wallTime().getTime();
    const mono = this.clock.now();
    if (ev.state === 'ringing') {
      this.open.set(ev.id, { caller: ev.caller, callee: ev.callee, started: wall, startedMono: mono });
    } else if (ev.state === 'connected') {
      const o = this.open.get(ev.id);
      if (o && o.answered === undefined) { o.answered = wall; o.answeredMono = mono; }
    } else if (ev.state === 'busy') {
      this.write({ callId: ev.id, caller: ev.caller, callee: ev.callee, started: wall, answered: undefined, ended: wall, durationMs: 0, outcome: 'busy' });
    } else if (ev.state === 'ended') {
      const o = this.open.get(ev.id);
      if (!o) return;
      this.open.delete(ev.id);
      const talked = o.answeredMono === undefined ? 0 : Math.round(mono - o.answeredMono);
      this.write({ callId: ev.id, caller: o.caller, callee: o.callee, started: o.started, answered: o.answered, ended: wall,
        durationMs: talked, outcome: o.answered === undefined ? 'no-answer' : 'answered' });
    }
  }

  private write(r: CdrRow): void {
    try { this.db.addCdr(r); } catch (e) { this.log.warn(`storage: cannot record the call ${r.caller} → ${r.callee}: ${(e as Error).message}`); }
  }
}
