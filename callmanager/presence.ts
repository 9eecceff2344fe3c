/**
 * Line presence (docs/features.md §5 "Directory and presence"): what the call manager can tell
 * about a directory number — idle, ringing, talking, do not disturb, or unregistered — for
 * directory results (SSCP PhoneBookResult, the HTTP directory) and busy-lamp-field speed dials.
 *
 * The call core marks a device dirty whenever it tells the device a call state, the device
 * registers or leaves, or its DND changes; the presence of that device's lines is recomputed once
 * per burst (a microtask later, when the core has settled) and a change is published.
 */
import type { Presence } from '../firmware/station/signalling.js';
import type { Device, Leg } from './call-types.js';

export { PRESENCES, type Presence } from '../firmware/station/signalling.js';

export interface PresenceChange { number: string; presence: Presence }

/** A leg that makes its line "in use" (an ended leg no longer does). */
const busyLeg = (l: Leg): boolean => l.state !== 'ended' && l.state !== 'ringin';

/** The presence of line instance `instance` (1-based) of `dev`. */
export function linePresence(dev: Device, instance: number): Presence {
  if (!dev.sink) return 'unregistered';
  const legs = dev.calls.filter((l) => l.line === instance && l.state !== 'ended');
  if (legs.some(busyLeg)) return 'talking';
  if (legs.some((l) => l.state === 'ringin')) return 'ringing';
  return dev.dnd ? 'dnd' : 'idle';
}

export class PresenceBook {
  private readonly last = new Map<string, Presence>();
  private readonly dirty = new Set<Device>();
  private readonly dirtyNumbers = new Set<string>();
  private queued = false;

  /**
   * `owner(number)`: the device and line instance a number belongs to; `publish`: a changed presence;
   * `other(number)`: the presence of a number that is no line (a park slot: talking while a call waits on it).
   */
  constructor(private readonly owner: (number: string) => { dev: Device; instance: number } | undefined,
    private readonly publish: (ch: PresenceChange) => void,
    private readonly other: (number: string) => Presence | undefined = () => undefined) {}

  /** Presence of `number` now; 'unknown' for a number that is neither a line nor another number this CM tracks. */
  of(number: string): Presence {
    const o = this.owner(number);
    return o ? linePresence(o.dev, o.instance) : this.other(number) ?? 'unknown';
  }

  /** The presence of `number`, no line (a park slot), may have changed: looked at again once the burst is over. */
  touchNumber(number: string): void {
    this.dirtyNumbers.add(number);
    this.queue();
  }

  /** Something about `dev` changed: its lines are looked at again once the current burst is over. */
  touch(dev: Device): void {
    this.dirty.add(dev);
    this.queue();
  }

  private queue(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => this.settle());
  }

  /** Recomputes the dirty devices' lines now and publishes the ones that changed. */
  settle(): void {
    this.queued = false;
    const devs = [...this.dirty];
    this.dirty.clear();
    for (const dev of devs) dev.lines.forEach((line, i) => this.note(line.number, linePresence(dev, i + 1)));
    const numbers = [...this.dirtyNumbers];
    this.dirtyNumbers.clear();
    for (const n of numbers) this.note(n, this.of(n));
  }

  private note(number: string, p: Presence): void {
    if (this.last.get(number) === p) return;
    this.last.set(number, p);
    this.publish({ number, presence: p });
  }
}
