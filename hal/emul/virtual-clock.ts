/**
 * A deterministic Clock for tests and the simulator: time only moves when `advance()` is called.
 * Due timers run in time order (ties in scheduling order); between two timers the pending
 * microtasks are drained so promise chains built on `sleep()` make progress exactly like they
 * would on a real clock.
 */
import type { Clock, TimerHandle } from '../api/index.js';

interface VTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  /** Repeat period for setInterval timers; undefined for one-shot timers. */
  every: number | undefined;
}

export interface VirtualClockOptions {
  /** Monotonic start value of `now()` in ms (default 0). */
  startMs?: number;
  /** Wall time at `now() === startMs` (default 2024-01-01T00:00:00Z). */
  startDate?: Date;
}

/** Node clamps timer delays below 1 ms to 1 ms for intervals; we do the same so a 0 ms interval cannot spin forever. */
const MIN_INTERVAL_MS = 1;
/** Upper bound of timers run by one advance(); a runaway 0 ms setTimeout loop fails loudly instead of hanging. */
const MAX_TIMERS_PER_ADVANCE = 10_000_000;

const drainMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
  private t: number;
  private readonly startMs: number;
  private readonly startDate: number;
  private readonly timers = new Map<number, VTimer>();
  private nextId = 1;
  private seq = 0;
  private advancing = false;

  constructor(opts: VirtualClockOptions = {}) {
    this.startMs = opts.startMs ?? 0;
    this.t = this.startMs;
    this.startDate = (opts.startDate ?? new Date('2024-01-01T00:00:00Z')).getTime();
  }

  now(): number { return this.t; }

  wallTime(): Date { return new Date(this.startDate + (this.t - this.startMs)); }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, Math.max(0, Number.isFinite(ms) ? ms : 0), undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(MIN_INTERVAL_MS, Number.isFinite(ms) ? ms : 0);
    return this.add(fn, every, every);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.setTimeout(resolve, ms); });
  }

  /** Number of scheduled (not yet fired or cleared) timers, intervals included. */
  pending(): number { return this.timers.size; }

  /** Due time of the earliest timer, or undefined when none is scheduled. */
  nextDue(): number | undefined {
    const t = this.earliest();
    return t?.due;
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, in time order.
   * Errors thrown by timer callbacks are collected and rethrown (the first one) after time has
   * reached its target, so one faulty callback does not freeze the clock.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: ms must be >= 0, got ${ms}`);
    if (this.advancing) throw new Error('VirtualClock.advance: already advancing (await the previous call)');
    this.advancing = true;
    const target = this.t + ms;
    const errors: unknown[] = [];
    try {
      await drainMicrotasks();
      for (let n = 0; ; n++) {
        if (n > MAX_TIMERS_PER_ADVANCE) throw new Error('VirtualClock.advance: too many timers (0 ms timer loop?)');
        const next = this.earliest();
        if (!next || next.due > target) break;
        this.t = next.due;
        if (next.every !== undefined) {
          next.due += next.every;
          next.seq = this.seq++;
        } else {
          this.timers.delete(next.id);
        }
        try { next.fn(); } catch (e) { errors.push(e); }
        await drainMicrotasks();
      }
      this.t = target;
      await drainMicrotasks();
    } finally {
      this.advancing = false;
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Advances until no timer is due within `limitMs` (useful to let one-shot work finish). */
  async runUntilIdle(limitMs = 60_000): Promise<void> {
    const end = this.t + limitMs;
    for (;;) {
      const due = this.nextDue();
      if (due === undefined || due > end) return;
      await this.advance(due - this.t);
    }
  }

  private add(fn: () => void, delay: number, every: number | undefined): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.t + delay, seq: this.seq++, fn, every });
    return { id };
  }

  private earliest(): VTimer | undefined {
    let best: VTimer | undefined;
    for (const t of this.timers.values()) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
