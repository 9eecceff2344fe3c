/**
 * The real Clock: monotonic time from process.hrtime(), timers from Node. Timers keep the
 * process alive unless `unref: true` is given (a daemon normally wants them to).
 */
import type { Clock, TimerHandle } from '../api/index.js';

/** Node clamps timer delays below 1 ms to 1 ms; so do we (and VirtualClock). */
const MIN_INTERVAL_MS = 1;
/** Late ticks beyond this are dropped and the interval schedule restarts (no burst of catch-up ticks). */
const MAX_CATCH_UP_MS = 1000;

/**
 * Milliseconds on the monotonic clock (libuv's uv_hrtime, CLOCK_MONOTONIC) since this module
 * loaded. Not performance.now(): the first use of `performance` loads ten of Node's built-in
 * modules (perf_hooks and internal/perf/*), ~0.25 MB of a phone's RSS (docs/media.md, "Memory").
 * The cost per call is the same (47 against 48 ns here) and optimized code keeps no array from it.
 */
const [ORIGIN_S, ORIGIN_NS] = process.hrtime();
function monotonicMs(): number {
  const t = process.hrtime();
  return (t[0] - ORIGIN_S) * 1e3 + (t[1] - ORIGIN_NS) / 1e6;
}

export interface SystemClockOptions {
  /** unref() every timer so pending timers do not keep the process alive (default false). */
  unref?: boolean;
}

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** setInterval schedules by period (ms), and which schedule each interval id belongs to. */
  private readonly schedules = new Map<number, Schedule>();
  private readonly memberOf = new Map<number, Schedule>();
  private nextId = 1;
  private readonly unref: boolean;

  constructor(opts: SystemClockOptions = {}) {
    this.unref = opts.unref ?? false;
  }

  now(): number { return monotonicMs(); }

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
   * Drift-free: the k-th tick of a period is due at start + k·ms (monotonic time), not "ms after
   * the previous callback" like Node's setInterval, so a 20 ms media clock does not lose a packet
   * time every few seconds. A late tick runs at once; after a stall longer than MAX_CATCH_UP_MS
   * the schedule restarts from now instead of bursting.
   *
   * Intervals of the same period share one schedule and one wake-up: in a call the RTP playout,
   * the speaker mixer and the microphone all tick every 20 ms, and three Node timers would wake
   * the process three times per period. An interval joining a running schedule gets its first
   * tick at the schedule's next deadline (so within `ms`, possibly sooner than `ms`), never in
   * the pass that is running when it joins. Each member runs even if an earlier one threw (the
   * first error is rethrown after the pass, as an uncaught timer error would be).
   *
   * Cheap per tick: the delay to the next deadline is rounded to whole ms (Node keys its timer
   * lists by the exact delay, so a fractional one built a fresh list every tick) and each schedule
   * keeps one Node Timeout per delay it has needed, re-armed with refresh() (no new Timeout, no
   * new closure, no array per tick). The delays stay within 0..ms: at most ms + 1 objects.
   */
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const every = Math.max(MIN_INTERVAL_MS, Number.isFinite(ms) ? ms : 0);
    let g = this.schedules.get(every);
    if (!g) {
      g = new Schedule(every, this.unref, (done) => { if (this.schedules.get(every) === done) this.schedules.delete(every); });
      this.schedules.set(every, g);
    }
    g.add(id, fn);
    this.memberOf.set(id, g);
    return { id };
  }

  clearInterval(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const g = this.memberOf.get(handle.id);
    if (!g) return;
    this.memberOf.delete(handle.id);
    g.remove(handle.id);
    if (g.members.size === 0 && this.schedules.get(g.every) === g) this.schedules.delete(g.every);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { this.setTimeout(resolve, ms); });
  }
}

interface Member { fn: () => void; /** The pass during which it joined: it first runs in the next one. */ joined: number }

/** The intervals of one period: one deadline, one armed Node timer, members run in join order. */
class Schedule {
  readonly members = new Map<number, Member>();
  private deadline = 0;
  private pass = 0;
  private running = false;
  private readonly byDelay = new Map<number, NodeJS.Timeout>();

  constructor(readonly every: number, private readonly unref: boolean, private readonly emptied: (s: Schedule) => void) {}

  add(id: number, fn: () => void): void {
    this.members.set(id, { fn, joined: this.running ? this.pass : -1 });
    if (this.members.size === 1 && !this.running) {
      this.deadline = monotonicMs() + this.every;
      this.arm();
    }
  }

  remove(id: number): void {
    this.members.delete(id);
    if (this.members.size === 0 && !this.running) this.stop();
  }

  private stop(): void {
    for (const t of this.byDelay.values()) clearTimeout(t);
    this.byDelay.clear();
  }

  private arm(): void {
    const d = Math.max(0, Math.round(this.deadline - monotonicMs()));
    let t = this.byDelay.get(d);
    if (t) t.refresh();
    else {
      t = setTimeout(this.tick, d);
      if (this.unref) t.unref();
      this.byDelay.set(d, t);
    }
    // Never two pending: arm() runs only from tick (the pending one just fired) or on a stopped schedule.
    // (A cleared Timeout cannot be refresh()ed again: Node sets its delay to -1.)
  }

  private readonly tick = (): void => {
    this.deadline += this.every;
    const now = monotonicMs();
    if (now - this.deadline > MAX_CATCH_UP_MS) this.deadline = now + this.every;   // suspended or overloaded: resync
    this.arm();
    const pass = ++this.pass;
    this.running = true;
    let failure: unknown;
    let failed = false;
    try {
      // Map iteration visits members added meanwhile; those wait for the next pass.
      for (const m of this.members.values()) {
        if (m.joined === pass) continue;
        try { m.fn(); } catch (e) { if (!failed) { failed = true; failure = e; } }
      }
    } finally {
      this.running = false;
      if (this.members.size === 0) { this.stop(); this.emptied(this); }
    }
    if (failed) throw failure;
  };
}
