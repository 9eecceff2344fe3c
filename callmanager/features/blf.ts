/**
 * Busy-lamp-field speed dials (docs/features.md §3 "Busy-lamp-field speed dials"): the lamp of a
 * speed-dial key shows the presence of the line it dials (presence.ts), on SCCP and SSCP phones
 * alike — one protocol-neutral 'lamp' command with target 'speeddial' and the speed dial's 1-based
 * index as instance; sccp/commands.ts and sscp-server/commands.ts put it on the wire.
 *
 * A speed dial is BLF when its config says `blf: true` (a CUCM "BLF speed dial" is a button of its
 * own, a chan_skinny speed dial needs a hint: plain speed dials keep their dark lamp and the SCCP
 * message sequences of docs/sccp.md §5) and its number is a line of this CM (presence not
 * 'unknown'); other speed dials' lamps are never touched.
 */
import type { EventEmitter } from 'node:events';
import type { Device } from '../call-types.js';
import type { Presence, PresenceChange } from '../presence.js';
import type { LampModeName } from '../station.js';

/**
 * Presence → lamp mode, as chan_skinny lights a hinted speed dial: not in use off, ringing blink,
 * in use on. DND gets wink ("mostly on": the person is there but not to be disturbed), distinct
 * from on and blink; presence has no "held" state, which chan_skinny shows with wink. An
 * unregistered line is off, like an idle one (chan_skinny: a removed hint turns the lamp off).
 */
export const BLF_LAMP: Readonly<Record<Presence, LampModeName>> = {
  idle: 'off', ringing: 'blink', talking: 'on', dnd: 'wink', unregistered: 'off', unknown: 'off',
};

/** The lamp of speed dial `sd` for the presence of its number; undefined when it is no BLF key (plain, or no line of this CM). */
export function blfLamp(sd: { blf?: boolean }, presence: Presence): LampModeName | undefined {
  return sd.blf === true && presence !== 'unknown' ? BLF_LAMP[presence] : undefined;
}

export interface BlfHost {
  /** Every configured device (registered or not). */
  devices(): Iterable<Device>;
  /** Presence of a directory number now; 'unknown' when it is no line of this CM. */
  presenceOf(number: string): Presence;
}

/** The 1-based instances of `dev`'s speed dials that are BLF keys for `number`. */
function blfInstances(dev: Device, number: string): number[] {
  const out: number[] = [];
  dev.speeddials.forEach((sd, i) => { if (sd.number === number && sd.blf === true) out.push(i + 1); });
  return out;
}

export class BlfSpeedDials {
  /** Subscribes to the core's 'presence' events (`events`: CallCore.events). */
  constructor(private readonly host: BlfHost, events: EventEmitter) {
    events.on('presence', (ch: PresenceChange) => this.changed(ch));
  }

  /**
   * `dev` registered: the current state of each of its BLF speed dials, once the registration
   * burst is over (a microtask later: SSCP attaches before its RegisterAck, docs/sscp.md §5).
   */
  attached(dev: Device): void {
    if (!dev.speeddials.some((sd) => sd.blf === true)) return;
    const sink = dev.sink;
    queueMicrotask(() => {
      if (!sink || dev.sink !== sink) return; // left again, or re-registered (that attach sends its own)
      dev.speeddials.forEach((sd, i) => {
        const mode = sd.blf === true ? blfLamp(sd, this.host.presenceOf(sd.number)) : undefined;
        if (mode) sink.send({ t: 'lamp', target: 'speeddial', instance: i + 1, mode });
      });
    });
  }

  /** A line's presence changed: every registered device watching it gets the lamp of each such key. */
  private changed(ch: PresenceChange): void {
    if (ch.presence === 'unknown') return;
    const mode = BLF_LAMP[ch.presence];
    for (const dev of this.host.devices()) {
      if (!dev.sink) continue;
      for (const instance of blfInstances(dev, ch.number)) dev.sink.send({ t: 'lamp', target: 'speeddial', instance, mode });
    }
  }
}
