/**
 * Reads a lamp or ringer mode back from what an emulated output line actually did, the way a
 * person looking at the LED or listening to the buzzer would: steady level, or the length of the
 * last "on" pulse matched against the drivers' cadence tables. Used by the simulator and tests to
 * check that a driver command reached the wire, without asking the driver.
 */
import type { Bit, Clock, LampMode, RingMode } from '../api/index.js';
import type { EmulatedGpioController } from '../emul/gpio.js';
import { DEFAULT_LAMP_CADENCES } from '../drivers/lamp.js';
import { DEFAULT_RING_CADENCES } from '../drivers/ringer.js';

/** Timing tolerance when matching an observed pulse to a cadence entry (timer granularity). */
const TOLERANCE_MS = 5;

export class OutputObserver {
  private lit = false;
  private lastEdgeMs = -Infinity;
  private onSinceMs = -Infinity;
  /** Length of the last complete "on" pulse; undefined until one was seen. */
  private lastOnMs: number | undefined;
  private readonly unsubscribe: () => void;

  /**
   * `subscribe` reports every write of the output as logical on/off (repeats allowed) and returns
   * an unsubscribe; `initial` is the state before the first report.
   */
  constructor(private readonly clock: Clock, subscribe: (cb: (on: boolean, atMs: number) => void) => () => void, initial = false) {
    this.lit = initial;
    this.unsubscribe = subscribe((on, atMs) => this.edge(on, atMs));
  }

  /** Watches an emulated header GPIO output (physical levels, `activeLow` inverts). */
  static gpio(gpio: EmulatedGpioController, offset: number, clock: Clock, activeLow: boolean): OutputObserver {
    const logical = (level: Bit): boolean => (level === 1) !== activeLow;
    const initial = gpio.outputLevel(offset);
    return new OutputObserver(clock, (cb) => gpio.onOutput(offset, (level, atMs) => cb(logical(level), atMs)),
      initial === undefined ? false : logical(initial));
  }

  get isOn(): boolean { return this.lit; }

  /** Lamp mode: steady when no edge for longer than the slowest cadence's half period (wink, 1 s). */
  lampMode(): LampMode {
    const quiet = this.clock.now() - this.lastEdgeMs;
    const slowest = Math.max(...Object.values(DEFAULT_LAMP_CADENCES).flat());
    if (this.lastOnMs === undefined || quiet > slowest + TOLERANCE_MS) return this.lit ? 'on' : 'off';
    return nearest(this.lastOnMs, DEFAULT_LAMP_CADENCES) ?? (this.lit ? 'on' : 'off');
  }

  /** Ring mode: off once silent longer than the longest cadence gap; else matched by pulse length. */
  ringMode(): RingMode {
    const quiet = this.clock.now() - this.lastEdgeMs;
    const longest = Math.max(...Object.values(DEFAULT_RING_CADENCES).flat());
    if (this.lit) {
      // Still sounding: classify by the pulse so far once it is longer than every shorter entry.
      return nearest(this.lastOnMs ?? this.clock.now() - this.onSinceMs, DEFAULT_RING_CADENCES) ?? 'inside';
    }
    if (this.lastOnMs === undefined || quiet > longest + TOLERANCE_MS) return 'off';
    return nearest(this.lastOnMs, DEFAULT_RING_CADENCES) ?? 'off';
  }

  close(): void { this.unsubscribe(); }

  private edge(on: boolean, atMs: number): void {
    if (on === this.lit) return; // onOutput also reports rewrites of the same level
    if (on) this.onSinceMs = atMs;
    else this.lastOnMs = atMs - this.onSinceMs;
    this.lit = on;
    this.lastEdgeMs = atMs;
  }
}

/** The mode whose cadence has an "on" entry (even indices) closest to `onMs`. */
function nearest<M extends string>(onMs: number, table: Readonly<Record<M, readonly number[]>>): M | undefined {
  let best: M | undefined; let bestD = Infinity;
  for (const [mode, steps] of Object.entries(table) as [M, readonly number[]][]) {
    for (let i = 0; i < steps.length; i += 2) {
      const d = Math.abs(steps[i]! - onMs);
      if (d < bestD) { bestD = d; best = mode; }
    }
  }
  return best;
}
