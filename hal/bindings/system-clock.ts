/**
 * The real Clock: monotonic time from performance.now(), timers from Node. Timers keep the
 * process alive unless `unref: true` is given (a daemon normally wants them to).
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../api/index.js';

/** Node clamps timer delays below 1 ms to 1 ms; so do we (and VirtualClock). */
const MIN_INTERVAL_MS = 1;
/** Late ticks beyond this are dropped and the interval schedule restarts (no burst of catch-up ticks). */
const MAX_CATCH_UP_MS = 1000;

export interface SystemClockOptions {
  /** unref() every timer so pending timers do not keep the process alive (default false). */
  unref?: boolean;
}

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Per interval: its reusable Node timers by whole-ms delay (setInterval). */
  private readonly intervals = new Map<number, Map<number, NodeJS.Timeout>>();
  private nextId = 1;
  private readonly unref: boolean;

  constructor(opts: SystemClockOptions = {}) {
    this.unref = opts.unref ?? false;
  }

  now(): number { return performance.now(); }

  wallTime(): Date { return new Date(); }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => { this.timers.delete(id); fn(); }, ms);
    if (this.unref) t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) { clearTimeout(t); this.timers.delete(handle.id); }
  }

  /**
   * Drift-free: tick k is scheduled against the absolute deadline start + k·ms (performance.now),
   * not "ms after the previous callback" like Node's setInterval, so a 20 ms media clock does not
   * lose a packet time every few seconds. A tick that is late runs at once; after a stall longer
   * than MAX_CATCH_UP_MS the schedule restarts from now instead of bursting.
   *
   * Cheap per tick: the delay to the next deadline is rounded to whole ms (Node keys its timer
   * lists by the exact delay, so a fractional one built a fresh list every tick) and each interval
   * keeps one Node Timeout per delay it has needed, re-armed with refresh() (no new Timeout, no
   * new closure per tick). The delays stay within 0..ms, so that is at most ms + 1 objects.
   */
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const every = Math.max(MIN_INTERVAL_MS, Number.isFinite(ms) ? ms : 0);
    let deadline = performance.now() + every;
    const byDelay = new Map<number, NodeJS.Timeout>();
    const arm = (): void => {
      const d = Math.max(0, Math.round(deadline - performance.now()));
      let t = byDelay.get(d);
      if (t) t.refresh();
      else {
        t = setTimeout(tick, d);
        if (this.unref) t.unref();
        byDelay.set(d, t);
      }
      this.timers.set(id, t);
    };
    const tick = (): void => {
      deadline += every;
      const now = performance.now();
      if (now - deadline > MAX_CATCH_UP_MS) deadline = now + every;   // suspended or overloaded: resync
      arm();                                 // re-arm first so fn may clear the interval
      fn();
    };
    this.intervals.set(id, byDelay);
    arm();
    return { id };
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const pool = this.intervals.get(handle.id);
    if (pool) { for (const t of pool.values()) clearTimeout(t); this.intervals.delete(handle.id); }
    const t = this.timers.get(handle.id);
    if (t) { clearTimeout(t); this.timers.delete(handle.id); }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.setTimeout(resolve, ms); });
  }
}
