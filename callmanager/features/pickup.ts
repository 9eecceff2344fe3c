/**
 * Call pickup and group call pickup (docs/features.md §2 "Call pickup"; CUCM-like): lines belong to
 * pickup groups (config `pickupGroups`). PickUp answers a call ringing on another phone of the
 * presser's own group; GPickUp prompts for a group number and answers a call ringing in that group.
 * Of several ringing calls the one that started ringing first wins. The picked phone stops ringing
 * and is told who took the call; the caller's call continues with the picker (CallInfo, media).
 * Protocol-neutral: SCCP and SSCP phones reach it through the PickUp / GPickUp soft keys
 * (docs/sccp.md §4 soft key events 17/18, docs/sscp.md §2 soft key events 17/18).
 */
import type { Call, Device, Leg } from '../call-types.js';
import { pickCodec } from '../codec-choice.js';
import type { CallManagerConfig, LineConfig, PickupGroupConfig } from '../config.js';
import type { CmCommand } from '../station.js';

/** The core operations pickup drives (CallCore passes closures over its private methods). */
export interface PickupHost {
  readonly config: CallManagerConfig;
  /** The device owning line `number`. */
  owner(number: string): { dev: Device; instance: number; line: LineConfig } | undefined;
  /** Speaker on, then off hook on line `line` (the leg is put back to speaker off when it ends). */
  speakerOffHook(dev: Device, line: number): void;
  /** Ends `leg`'s call quietly (both legs forget it, media closed). */
  detachCall(leg: Leg): void;
  teardown(leg: Leg): void;
  send(leg: Leg, cmd: CmCommand): void;
  /** The callee leg answers its call (CallInfo to both, connected, media). */
  answer(leg: Leg): void;
}

const NOTHING = 'No call to pick up';

export class Pickup {
  private readonly byNumber: ReadonlyMap<string, PickupGroupConfig>;
  private readonly byLine = new Map<string, PickupGroupConfig>();

  constructor(private readonly h: PickupHost) {
    this.byNumber = new Map(h.config.pickupGroups.map((g) => [g.number, g]));
    for (const g of h.config.pickupGroups) for (const l of g.lines) this.byLine.set(l, g);
  }

  /** Group numbers (the dial plan must know them: GPickUp collects one). */
  numbers(): string[] { return [...this.byNumber.keys()]; }

  /** PickUp soft key: the oldest call ringing in the presser's own group (its other phones). */
  pickUp(dev: Device, line: number): void {
    const leg = this.freshLeg(dev);
    if (leg === false) return this.notify(dev, 'Not available');
    const inst = leg?.line ?? (line >= 1 && line <= dev.lines.length ? line : 1);
    const group = this.byLine.get(dev.lines[inst - 1]!.number);
    if (!group) return this.notify(dev, 'No pickup group');
    const victim = this.oldestRinging(group, dev);
    if (!victim) return this.notify(dev, NOTHING);
    this.take(dev, inst, victim, leg);
  }

  /** GPickUp soft key: off hook with the prompt for a group number (again: cancels). */
  gPickUp(dev: Device, line: number): void {
    if (dev.leg?.mode === 'groupPickup') return this.h.teardown(dev.leg);
    const leg = this.freshLeg(dev);
    if (leg === false) return this.notify(dev, 'Not available');
    const inst = leg?.line ?? (line >= 1 && line <= dev.lines.length ? line : 1);
    if (!leg) this.h.speakerOffHook(dev, inst);
    const l = dev.leg!;
    l.mode = 'groupPickup';
    this.h.send(l, { t: 'prompt', line: l.line, ref: l.ref, text: 'Pickup group', timeoutS: 0 });
  }

  /** The group number dialled after GPickUp (calls.ts dialNow): picks up there, else a notice and back on hook. */
  dialed(leg: Leg, number: string): void {
    leg.mode = undefined;
    const group = this.byNumber.get(number);
    const victim = group && this.oldestRinging(group, leg.dev);
    if (!victim) {
      this.h.teardown(leg);
      return this.notify(leg.dev, group ? NOTHING : `No pickup group ${number}`);
    }
    this.take(leg.dev, leg.line, victim, leg);
  }

  /** A leg the picker may use: none (idle), its dialling leg with nothing dialled, or false (busy otherwise). */
  private freshLeg(dev: Device): Leg | undefined | false {
    const leg = dev.leg;
    if (!leg) return undefined;
    return leg.state === 'dialing' && leg.digits === '' && !leg.held && !leg.mode ? leg : false;
  }

  /** The call ringing longest on a line of `group`, not on `picker` (refs grow, so the lowest ref rang first). */
  private oldestRinging(group: PickupGroupConfig, picker: Device): Leg | undefined {
    let best: Leg | undefined;
    for (const number of group.lines) {
      const o = this.h.owner(number);
      if (!o || o.dev === picker) continue;
      for (const l of o.dev.calls) {
        if (l.state === 'ringin' && l.line === o.instance && l.call && (!best || l.ref < best.ref)) best = l;
      }
    }
    return best;
  }

  /** The ringing leg `victim` stops ringing; its caller is connected to `dev` on line `inst` (on `leg`, else on the speaker). */
  private take(dev: Device, inst: number, victim: Leg, leg: Leg | undefined): void {
    const old = victim.call!;
    const caller = old.caller;
    const me = dev.lines[inst - 1]!;
    this.h.detachCall(victim);
    this.h.teardown(victim);
    victim.dev.sink?.send({ t: 'notify', text: `Picked up by ${me.number}`, timeoutS: 5 });
    if (!leg) this.h.speakerOffHook(dev, inst);
    const callee = leg ?? dev.leg!;
    this.h.send(callee, { t: 'stopTone', line: callee.line, ref: callee.ref });
    const call: Call = { id: old.id, caller, callee, codec: pickCodec(caller.dev.codecs, dev.codecs, this.h.config.server.codecs) };
    caller.call = call; callee.call = call;
    callee.cid = old.id;
    callee.state = 'ringin';
    this.h.answer(callee);
  }

  private notify(dev: Device, text: string): void { dev.sink?.send({ t: 'notify', text, timeoutS: 5 }); }
}
