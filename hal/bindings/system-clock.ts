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
/** A tick further than this off its deadline (or a quarter period, if less) re-aligns the interval timer. */
const DRIFT_LIMIT_MS = 4;

export interface SystemClockOptions {
  /** unref() every timer so pending timers do not keep the process alive (default false). */
  unref?: boolean;
}

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
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
   * Drift-free: tick k is due at the absolute deadline start + k·ms (performance.now), not "ms
   * after the previous callback" like Node's setInterval, so a 20 ms media clock does not lose a
   * packet time every few seconds. Yet one Node interval timer carries the ticks, so the steady
   * state allocates nothing (a fresh setTimeout per tick cost a quarter of an idle phone's CPU):
   * its period is `ms` minus the lateness the event loop adds per tick (libuv rounds its poll
   * timeout to whole ms, so every wake-up is late by up to 1 ms), learnt as the ticks run. When a
   * tick is off its deadline by more than DRIFT_LIMIT_MS, one setTimeout lands the next tick just
   * before its deadline and the interval is started again with the better period. A late tick runs at
   * once; after a stall longer than MAX_CATCH_UP_MS the schedule restarts from now.
   */
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const every = Math.max(MIN_INTERVAL_MS, Number.isFinite(ms) ? ms : 0);
    const limit = Math.min(DRIFT_LIMIT_MS, every / 4);
    let deadline = performance.now() + every;
    let period = every;
    let lastLag = 0;
    let growth = 0; // mean lag added per tick at `period` (exponential average)
    const own = (t: NodeJS.Timeout): NodeJS.Timeout => { if (this.unref) t.unref(); this.timers.set(id, t); return t; };
    /** Runs one tick; true when it came more than `limit` off its deadline. */
    const run = (): boolean => {
      const now = performance.now();
      const lag = now - deadline;
      deadline += every;
      if (now - deadline > MAX_CATCH_UP_MS) deadline = now + every;   // suspended or overloaded: resync
      // Stalls (a GC pause, a busy machine) say nothing about the timer's own drift: left out of the mean.
      if (Math.abs(lag - lastLag) < every / 4) growth += ((lag - lastLag) - growth) / 8;
      lastLag = lag;
      fn();
      return Math.abs(lag) > limit;
    };
    // The one steady timer, re-armed with refresh() (same object, same timer list: nothing allocated).
    let steady = own(setTimeout(() => onSteady(), period));
    let renew = false;
    const onSteady = (): void => {
      const off = run();
      if (this.timers.get(id) !== steady) return; // fn cleared the interval
      if (!off) { steady.refresh(); return; }
      // Off its deadline: land the next tick half the limit early, at a period that cancels the lateness.
      const better = Math.min(Math.ceil(every * 1.25), Math.max(MIN_INTERVAL_MS, Math.floor(every * 0.75), Math.round(period - growth)));
      if (better !== period) { period = better; renew = true; }
      own(setTimeout(onCorrect, Math.max(0, deadline - limit / 2 - performance.now())));
    };
    const onCorrect = (): void => {
      lastLag = performance.now() - deadline;
      growth = 0;
      // Armed first so fn may clear the interval; a new period needs a new timer (a refresh keeps the old one's).
      if (renew) { renew = false; steady = own(setTimeout(() => onSteady(), period)); } else own(steady).refresh();
      run();
    };
    return { id };
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) { clearInterval(t); this.timers.delete(handle.id); }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.setTimeout(resolve, ms); });
  }
}
