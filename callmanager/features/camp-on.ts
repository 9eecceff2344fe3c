/**
 * Callback at busy (camp-on; docs/features.md §2 "Callback at busy", the AddPac "Automatic Call
 * Connection at Busy" flow, docs/sscp.md §5): a caller hearing busy presses CallBack; once the
 * busy line's phone is idle (and the caller's too) the CM rings the caller ("Callback: 101 is
 * free") and, when it answers, calls that line for it. CallBack again while idle or off hook
 * without digits cancels; `campOn.timeout` seconds after it was set it expires.
 */
import type { TimerHandle } from '../../hal/api/clock.js';
import type { Device, Leg } from '../call-types.js';
import { ringRecall, type CallHost } from './recall.js';

/** Seconds the callback ring lasts before the callback is given up. */
export const CALLBACK_RING_S = 30;
/** A phone counts as free this long after its last call ended (a hang-up and a new call in one breath do not trigger). */
export const CALLBACK_SETTLE_MS = 1000;

interface Pending { dev: Device; line: number; number: string; expiry?: TimerHandle; ring?: Leg; ringTimer?: TimerHandle }

export class CampOn {
  /** One callback per calling device (a new one replaces it). */
  private readonly pending = new Map<Device, Pending>();
  private check?: TimerHandle;

  constructor(private readonly h: CallHost) {}

  /** The number device `name` waits to call back, if any (tests, status). */
  pendingFor(name: string): string | undefined { return [...this.pending.values()].find((c) => c.dev.name === name)?.number; }

  /** CallBack soft key: sets a callback on a busy call, cancels one when idle or off hook without digits. */
  key(dev: Device, leg: Leg | undefined): void {
    if (leg?.state === 'busy' && leg.party.called) return this.set(dev, leg.line, leg.party.called);
    if (leg && !(leg.state === 'dialing' && leg.digits === '')) return this.h.notify(dev, 'Not available', 5);
    const c = this.pending.get(dev);
    if (c) this.drop(c, `Callback to ${c.number} cancelled`);
    else this.h.notify(dev, 'No callback set', 5);
  }

  /** Some leg ended: a refused callback ring cancels it; someone may be free now. */
  legEnded(leg: Leg): void {
    for (const c of this.pending.values()) {
      if (c.ring !== leg) continue;
      c.ring = undefined;
      this.drop(c, `Callback to ${c.number} cancelled`);
    }
    this.schedule();
  }

  /** A device (re)registered: its pending callback is shown again; it may be the one waited for. */
  attached(dev: Device): void {
    const c = this.pending.get(dev);
    if (c) this.h.notify(dev, `Callback set for ${c.number}`, 0);
    this.schedule();
  }

  /** Something besides a call ending may have freed a line (DND off): look again. */
  recheck(): void { this.schedule(); }

  close(): void {
    this.h.clock.clearTimeout(this.check);
    for (const c of this.pending.values()) { this.h.clock.clearTimeout(c.expiry); this.h.clock.clearTimeout(c.ringTimer); }
    this.pending.clear();
  }

  private set(dev: Device, line: number, number: string): void {
    const old = this.pending.get(dev);
    if (old) this.clear(old);
    const c: Pending = { dev, line, number };
    c.expiry = this.h.clock.setTimeout(() => { c.expiry = undefined; this.drop(c, `Callback to ${number} expired`); }, this.h.config.campOn.timeout * 1000);
    this.pending.set(dev, c);
    this.h.notify(dev, `Callback set for ${number}`, 0);
    this.h.log.info(`${dev.name}: callback set for ${number}`);
    this.schedule();
  }

  private clear(c: Pending): void {
    this.h.clock.clearTimeout(c.expiry); this.h.clock.clearTimeout(c.ringTimer);
    c.expiry = undefined; c.ringTimer = undefined;
    if (this.pending.get(c.dev) === c) this.pending.delete(c.dev);
  }

  /** Ends callback `c` with notice `text` (a ringing callback stops). */
  private drop(c: Pending, text: string): void {
    this.clear(c);
    const r = c.ring;
    c.ring = undefined;
    if (r) { r.recall = undefined; this.h.teardown(r); }
    this.h.notify(c.dev, text, 5);
    this.h.log.info(`${c.dev.name}: ${text}`);
  }

  private schedule(): void {
    if (this.check || this.pending.size === 0) return;
    this.check = this.h.clock.setTimeout(() => { this.check = undefined; this.run(); }, CALLBACK_SETTLE_MS);
  }

  private static free(d: Device): boolean { return !!d.sink && d.calls.length === 0 && !d.dnd; }

  private run(): void {
    for (const c of [...this.pending.values()]) {
      if (c.ring) continue;
      const t = this.h.owner(c.number);
      if (!t) { this.drop(c, `Callback to ${c.number} cancelled`); continue; }
      if (CampOn.free(t.dev) && CampOn.free(c.dev)) this.ringBack(c, t.line.name);
    }
  }

  private ringBack(c: Pending, name: string): void {
    const me = c.dev.lines[c.line - 1] ?? c.dev.lines[0]!;
    const text = `Callback: ${c.number} is free`;
    c.ring = ringRecall(this.h, c.dev, c.line, { callingName: name, calling: c.number, calledName: me.name, called: me.number }, text, (leg) => {
      c.ring = undefined;
      this.clear(c);
      this.h.notify(c.dev, `Calling back ${c.number}`, 5);
      leg.state = 'dialing';
      this.h.place(leg, c.number);
    });
    this.h.notify(c.dev, text, 0);
    c.ringTimer = this.h.clock.setTimeout(() => { c.ringTimer = undefined; this.drop(c, `Callback to ${c.number} not answered`); }, CALLBACK_RING_S * 1000);
    this.h.log.info(`${c.dev.name}: ${text}; ringing`);
  }
}
