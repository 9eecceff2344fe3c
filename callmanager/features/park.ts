/**
 * Group call park (docs/features.md §2 "Group call park"; the AddPac "Group Call Park" flow,
 * docs/sscp.md §5): Park on a connected call puts the far party on the first free slot of the
 * parker's line's group (`park.groups`), tells the parker "Call park at 701" and idles its phone;
 * the parked party hears music on hold. Any phone of the group dials the slot to take the call.
 * Unanswered for the group's `timeout` (default `park.timeout`) seconds, the call rings back the parker ("Park reversion").
 */
import type { TimerHandle } from '../../hal/api/clock.js';
import type { Device, Leg } from '../call-types.js';
import { pickCodec } from '../codec-choice.js';
import type { Presence } from '../presence.js';
import { slotNumbers } from '../config.js';
import { connectLegs, ringRecall, type CallHost } from './recall.js';

/** One parked call: the parked party's leg, who parked it, the reversion timer and the ringing reversion. */
interface Parked { slot: string; leg: Leg; parker: Device; parkerLine: number; timeoutS: number; timer?: TimerHandle; recall?: Leg }

export class CallPark {
  private readonly groupOfLine = new Map<string, number>();
  private readonly slotGroup = new Map<string, number>();
  private readonly slots: string[][];
  private readonly parked = new Map<string, Parked>();
  constructor(private readonly h: CallHost) {
    this.slots = h.config.park.groups.map((g, i) => {
      for (const n of g.lines) this.groupOfLine.set(n, i);
      const s = slotNumbers(g.slots);
      for (const n of s) this.slotGroup.set(n, i);
      return s;
    });
  }

  /** The slot numbers (the dial plan knows them). */
  numbers(): string[] { return [...this.slotGroup.keys()]; }
  /** Presence of slot `number` (BLF speed dials to a slot): talking while a call waits there, else idle; undefined for no slot. */
  slotPresence(number: string): Presence | undefined {
    return this.slotGroup.has(number) ? (this.parked.has(number) ? 'talking' : 'idle') : undefined;
  }
  /** The slot `name`'s parked call waits on, if any (tests, status). */
  slotOf(name: string): string | undefined { return [...this.parked.values()].find((p) => p.leg.dev.name === name)?.slot; }

  /** Park soft key on `leg`. */
  park(dev: Device, leg: Leg | undefined): void {
    const far = leg?.state === 'connected' ? this.h.other(leg) : undefined;
    if (!leg || !far) return this.h.notify(dev, 'Not available', 5);
    const number = this.h.lineOf(leg).number;
    const group = this.groupOfLine.get(number);
    if (group === undefined) return this.h.notify(dev, 'No park group', 5);
    const slot = this.slots[group]!.find((s) => !this.parked.has(s));
    if (!slot) return this.h.notify(dev, 'No park slot free', 5);
    this.h.detachCall(leg);
    this.h.teardown(leg);
    this.h.notify(dev, `Call park at ${slot}`, 5);
    far.state = 'parked';
    this.h.send(far, { t: 'prompt', line: far.line, ref: far.ref, text: 'Call parked', timeoutS: 0 });
    // The parked party hears the core's music on hold (hold-music.ts) in a codec its phone takes.
    this.h.holdMusic.play(far, pickCodec(far.dev.codecs, far.dev.codecs, this.h.config.server.codecs));
    const timeoutS = this.h.config.park.groups[group]!.timeout ?? this.h.config.park.timeout;
    const p: Parked = { slot, leg: far, parker: dev, parkerLine: leg.line, timeoutS };
    this.parked.set(slot, p);
    this.h.numberChanged(slot);
    this.arm(p);
    this.h.log.info(`${dev.name}: parked ${far.dev.name} (${this.h.lineOf(far).number}) at ${slot}`);
  }

  /** A dialled number that is a slot: the call parked there connects to `leg` (same group only). */
  dialed(leg: Leg, number: string): boolean {
    const group = this.slotGroup.get(number);
    if (group === undefined) return false;
    if (this.groupOfLine.get(this.h.lineOf(leg).number) !== group) { this.h.reorder(leg, 'Not your park group'); return true; }
    const p = this.parked.get(number);
    if (!p) { this.h.reorder(leg, `Nothing parked at ${number}`); return true; }
    this.take(p);
    connectLegs(this.h, leg, p.leg);
    this.h.log.info(`${leg.dev.name}: retrieved ${p.leg.dev.name} from ${number}`);
    return true;
  }

  /** A leg ended: a parked party that hung up frees its slot; a reversion the parker refused waits another timeout. */
  legEnded(leg: Leg): void {
    for (const p of this.parked.values()) {
      if (p.leg === leg) {
        this.take(p);
        this.h.log.info(`${leg.dev.name}: left park slot ${p.slot}`);
      } else if (p.recall === leg) {
        p.recall = undefined;
        this.arm(p);
      }
    }
  }

  close(): void {
    for (const p of this.parked.values()) { this.h.clock.clearTimeout(p.timer); this.h.holdMusic.stop(p.leg); }
    this.parked.clear();
  }


  private arm(p: Parked): void {
    this.h.clock.clearTimeout(p.timer);
    p.timer = this.h.clock.setTimeout(() => { p.timer = undefined; this.revert(p); }, p.timeoutS * 1000);
  }

  /** The slot is free again: timers, music and a ringing reversion end; the parked leg stays (it connects or has ended). */
  private take(p: Parked): void {
    this.h.clock.clearTimeout(p.timer);
    p.timer = undefined;
    this.parked.delete(p.slot);
    this.h.numberChanged(p.slot);
    this.h.holdMusic.stop(p.leg);
    const r = p.recall;
    p.recall = undefined;
    if (r) { r.recall = undefined; this.h.teardown(r); }
  }

  /** park.timeout passed: the parker's phone rings ("Park reversion"); busy or away, it waits another timeout. */
  private revert(p: Parked): void {
    const dev = p.parker;
    const busy = dev.calls.some((l) => l.state !== 'connected' && l.state !== 'hold');
    if (!dev.sink || busy) return this.arm(p);
    const them = this.h.lineOf(p.leg);
    const me = dev.lines[p.parkerLine - 1] ?? dev.lines[0]!;
    p.recall = ringRecall(this.h, dev, p.parkerLine, { callingName: them.name, calling: them.number, calledName: me.name, called: me.number },
      `Park reversion ${them.number}`, (leg) => {
        p.recall = undefined;
        this.take(p);
        connectLegs(this.h, leg, p.leg);
      });
    this.h.log.info(`${dev.name}: park reversion of ${p.leg.dev.name} from ${p.slot}`);
  }
}
