/**
 * The real Clock: monotonic time from performance.now(), timers from Node. Timers keep the
 * process alive unless `unref: true` is given (a daemon normally wants them to).
 */
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../api/index.js';

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

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setInterval(fn, ms);
    if (this.unref) t.unref();
    this.timers.set(id, t);
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
