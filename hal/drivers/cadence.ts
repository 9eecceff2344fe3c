/**
 * Plays an on/off cadence on the Clock: pattern [on, off, on, off, ...] in ms, starting "on".
 * Used by lamps and ringers. Each edge is scheduled from the previous edge's due time, so the
 * cadence does not drift.
 */
import type { Clock, TimerHandle } from '../api/index.js';

export class CadencePlayer {
  private timer: TimerHandle | undefined;
  private generation = 0;

  constructor(private readonly clock: Clock, private readonly output: (on: boolean) => void) {}

  /** Starts `pattern`; `cycles` = number of repetitions (Infinity = until stopped); `onDone` after the last. */
  play(pattern: readonly number[], cycles = Infinity, onDone?: () => void): void {
    this.cancel();
    if (pattern.length === 0 || pattern.length % 2 !== 0 || pattern.some((d) => !(d > 0))) {
      throw new RangeError(`cadence pattern must be on/off pairs of positive ms, got [${pattern.join(', ')}]`);
    }
    const gen = ++this.generation;
    let step = 0;
    let cycle = 0;
    const edge = (): void => {
      if (gen !== this.generation) return;
      const on = step % 2 === 0;
      this.output(on);
      const ms = pattern[step]!;
      step++;
      if (step === pattern.length) {
        step = 0;
        cycle++;
        if (cycle >= cycles) {
          this.timer = this.clock.setTimeout(() => {
            if (gen !== this.generation) return;
            this.timer = undefined;
            this.output(false);
            onDone?.();
          }, ms);
          return;
        }
      }
      this.timer = this.clock.setTimeout(edge, ms);
    };
    edge();
  }

  /** Stops the cadence and sets a steady level. */
  steady(on: boolean): void {
    this.cancel();
    this.output(on);
  }

  private cancel(): void {
    this.generation++;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
