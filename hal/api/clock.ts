/**
 * Injected time. Every timer in drivers, emulators and firmware goes through a Clock so that
 * debounce, cadence, keepalive and jitter tests run instantly and exactly on a virtual clock.
 */
export interface TimerHandle { readonly id: number }

export interface Clock {
  /** Monotonic milliseconds (fractional allowed). */
  now(): number;
  /** Wall-clock time for display (time/date on the LCD, DefineTimeDate). */
  wallTime(): Date;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}
