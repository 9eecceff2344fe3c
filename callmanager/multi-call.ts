/**
 * More than one call per line for the call core (calls.ts): which calls a device admits (call
 * waiting up to the line's busyTrigger, CUCM-like), the keys that pick a call (Answer on a waiting
 * call, Resume to swap, NewCall while holding) and consult transfer (docs/features.md §2 "More than
 * one call").
 */
import type { Call, CallEvent, Device, Leg } from './call-types.js';
import type { CallUi, UiArgs } from './call-ui.js';
import { pickCodec } from './codec-choice.js';
import type { CallManagerConfig, LineConfig } from './config.js';
import type { Target } from './features/router.js';
import type { CmCommand } from './station.js';

/** The core operations this drives (CallCore passes closures over its private methods). */
export interface MultiCallHost {
  readonly config: CallManagerConfig;
  hold(leg: Leg): void;
  resume(leg: Leg): void;
  answer(leg: Leg): void;
  startDialing(dev: Device, line: number): void;
  notAvailable(name: string, what: string): void;
  /** Ends `leg`'s call quietly (both legs forget it, media closed). */
  detachCall(leg: Leg): void;
  teardown(leg: Leg): void;
  tell(leg: Leg, ui: CallUi, args?: UiArgs): void;
  send(leg: Leg, cmd: CmCommand): void;
  openMedia(call: Call): void;
  emit(ev: CallEvent): void;
  lineOf(leg: Leg): LineConfig;
  other(leg: Leg): Leg | undefined;
}

export class MultiCall {
  constructor(private readonly h: MultiCallHost) {}

  /**
   * Whether `target` can take another call: 'ring' when idle, 'waiting' while it talks with fewer
   * than busyTrigger calls on the line (and fewer than maxCalls on the device's line), else 'busy'
   * (CUCM busy trigger); DND, or a phone dialling or ringing, is busy.
   */
  admit(target: Target): 'ring' | 'waiting' | 'busy' {
    const dev = target.dev as Device;
    if (dev.dnd) return 'busy';
    if (dev.calls.length === 0) return 'ring';
    const talking = dev.calls.every((l) => l.state === 'connected' || l.state === 'hold');
    const onLine = dev.calls.filter((l) => l.line === target.instance).length;
    const limit = Math.min(target.line.busyTrigger, target.line.maxCalls);
    return talking && onLine < limit ? 'waiting' : 'busy';
  }

  /** NewCall: dial tone on a new call reference; a connected call is held first (maxCalls per line). */
  newCall(dev: Device, line: number): void {
    const cur = dev.leg;
    if (!cur) return this.h.startDialing(dev, line);
    if (cur.state !== 'hold' && cur.state !== 'connected') return;
    const inst = line >= 1 && line <= dev.lines.length ? line : cur.line;
    if (dev.calls.filter((l) => l.line === inst).length >= this.h.lineOf(cur).maxCalls) return this.h.notAvailable(dev.name, 'NewCall beyond maxCalls');
    if (cur.state === 'connected') this.h.hold(cur);
    this.h.startDialing(dev, inst);
  }

  /** Answer: the selected or the first ringing call; a connected call is held first (call waiting). */
  answerKey(dev: Device, sel: Leg | undefined): void {
    const ringing = sel?.state === 'ringin' ? sel : dev.calls.find((l) => l.state === 'ringin');
    if (!ringing) return;
    const cur = dev.leg;
    if (cur && cur !== ringing && cur.state === 'connected') this.h.hold(cur);
    dev.leg = ringing;
    this.h.answer(ringing);
  }

  /** Resume: the selected or focused held call, else the first held one; a connected call is held first (swap). */
  resumeKey(dev: Device, sel: Leg | undefined): void {
    const held = sel?.state === 'hold' ? sel : dev.calls.find((l) => l.state === 'hold');
    if (!held || !held.call) return;
    const cur = dev.leg;
    if (cur && cur !== held && cur.state === 'connected') this.h.hold(cur);
    dev.leg = held;
    this.h.resume(held);
  }

  /**
   * After a call on line `line` ended beside others: the line lamp for the calls left on it, as a
   * 7960 shows it (ringing blinks > in use on > held winks; docs/features.md §3), not the idle "off".
   */
  relamp(dev: Device, line: number): void {
    const left = dev.calls.filter((l) => l.line === line);
    if (left.length === 0) return;
    const mode = left.some((l) => l.state === 'ringin') ? 'blink' : left.some((l) => l.state !== 'hold') ? 'on' : 'wink';
    this.h.send(left[0]!, { t: 'lamp', target: 'line', instance: line, mode });
  }

  transferMode(leg: Leg): 'consult' | 'blind' { return this.h.lineOf(leg).transfer ?? this.h.config.server.transfer; }

  /**
   * Consult transfer completed (Transfer again on the consultation call, ringing or connected): the
   * held party is joined to the consulted one and the transferor's two calls end.
   */
  completeConsult(c: Leg): void {
    const held = c.held!;
    c.held = undefined;
    const a = this.h.other(held); const b = this.h.other(c);
    if (!a || !b) return;
    this.h.detachCall(held); this.h.detachCall(c);
    this.h.teardown(c); this.h.teardown(held);
    const call: Call = { id: a.cid, caller: a, callee: b, codec: pickCodec(a.dev.codecs, b.dev.codecs, this.h.config.server.codecs) };
    a.call = call; b.call = call;
    const them = this.h.lineOf(b); const me = this.h.lineOf(a);
    if (b.state === 'ringin') {
      a.state = 'ringout';
      this.h.send(a, { t: 'callInfo', line: a.line, ref: a.ref, callingName: me.name, calling: me.number, calledName: them.name, called: them.number, direction: 'outbound' });
      this.h.tell(a, 'ringout', { text: them.number });
      this.h.emit({ id: call.id, caller: me.number, callee: them.number, state: 'ringing' });
      return;
    }
    for (const [leg, dir, x, y] of [[a, 'outbound', me, them], [b, 'inbound', me, them]] as const) {
      leg.state = 'connected';
      this.h.send(leg, { t: 'callInfo', line: leg.line, ref: leg.ref, callingName: x.name, calling: x.number, calledName: y.name, called: y.number, direction: dir });
      this.h.tell(leg, 'connected');
    }
    this.h.openMedia(call);
    this.h.emit({ id: call.id, caller: me.number, callee: them.number, state: 'connected' });
  }
}
