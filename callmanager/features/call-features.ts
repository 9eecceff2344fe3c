/**
 * The call core's hooks into group call park (park.ts) and callback at busy (camp-on.ts): calls.ts
 * forwards soft keys, dialled numbers, answers, OpenReceiveChannelAcks, ended legs and
 * registrations here and stays protocol-neutral (docs/features.md §2).
 */
import type { Device, Leg } from '../call-types.js';
import type { SoftKeyName } from '../inputs.js';
import { CampOn } from './camp-on.js';
import { CallPark } from './park.js';
import type { CallHost } from './recall.js';

export class CallFeatures {
  readonly park: CallPark;
  readonly campOn: CampOn;
  constructor(private readonly h: CallHost) {
    this.park = new CallPark(h);
    this.campOn = new CampOn(h);
  }

  /** Numbers the dial plan must know (park slots). */
  numbers(): string[] { return this.park.numbers(); }
  /** Park / CallBack: true when the key is one of ours. */
  softkey(dev: Device, key: SoftKeyName, leg: Leg | undefined): boolean {
    if (key === 'park') { this.park.park(dev, leg); return true; }
    if (key === 'callBack') { this.campOn.key(dev, leg); return true; }
    return false;
  }
  dialed(leg: Leg, number: string): boolean { return this.park.dialed(leg, number); }
  /** A feature's ring (park reversion, callback) was answered: true when it was one. */
  answered(leg: Leg): boolean {
    const fn = leg.recall;
    if (!fn) return false;
    leg.recall = undefined;
    this.h.tell(leg, 'answered');
    fn(leg);
    return true;
  }
  legEnded(leg: Leg): void { this.park.legEnded(leg); this.campOn.legEnded(leg); }
  attached(dev: Device): void { this.campOn.attached(dev); }
  /** A device's DND changed. */
  deviceChanged(): void { this.campOn.recheck(); }
  close(): void { this.park.close(); this.campOn.close(); }
}
