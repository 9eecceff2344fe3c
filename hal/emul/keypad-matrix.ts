/**
 * A physical key matrix without diodes wired to emulated GPIO lines. Pressed keys connect their
 * row and column wires; a wire group that touches a row driven low reads low on all its columns
 * (low wins, as with open-drain scanning). Three pressed corners of a rectangle therefore make the
 * fourth corner read pressed too: the classic ghost key the scanning driver has to suppress.
 */
import type { Bit, Clock } from '../api/index.js';
import type { EmulatedGpioController } from './gpio.js';

export interface ContactBounce {
  /** Extra open/close toggles before the contact settles (mechanical bounce). */
  toggles: number;
  /** Time between toggles in ms (typical key bounce lasts 1-10 ms in total). */
  intervalMs: number;
}

export interface EmulatedKeyMatrixOptions {
  gpio: EmulatedGpioController;
  clock: Clock;
  /** Line offsets of the row wires (driven by the scanner). */
  rows: readonly number[];
  /** Line offsets of the column wires (read by the scanner, pull-ups). */
  cols: readonly number[];
  /** keymap[row][col] = key name. */
  keymap: readonly (readonly string[])[];
  /** Bounce applied to every press/release unless overridden per call. */
  bounce?: ContactBounce;
}

export class EmulatedKeyMatrix {
  private readonly gpio: EmulatedGpioController;
  private readonly clock: Clock;
  private readonly rows: readonly number[];
  private readonly cols: readonly number[];
  private readonly where = new Map<string, { r: number; c: number }>();
  private readonly closed: boolean[][];
  private readonly bounce: ContactBounce | undefined;

  constructor(opts: EmulatedKeyMatrixOptions) {
    this.gpio = opts.gpio;
    this.clock = opts.clock;
    this.rows = opts.rows;
    this.cols = opts.cols;
    this.bounce = opts.bounce;
    this.closed = opts.rows.map(() => opts.cols.map(() => false));
    opts.keymap.forEach((row, r) => row.forEach((k, c) => { if (k) this.where.set(k, { r, c }); }));
    opts.cols.forEach((line, c) => this.gpio.wire(line, () => this.column(c)));
  }

  /** Closes the contact of `key` (after optional bounce). */
  press(key: string, bounce = this.bounce): void { this.set(key, true, bounce); }

  release(key: string, bounce = this.bounce): void { this.set(key, false, bounce); }

  /** Press, hold for `holdMs` of clock time, release. */
  async tap(key: string, holdMs = 100, bounce = this.bounce): Promise<void> {
    this.press(key, bounce);
    await this.clock.sleep(holdMs);
    this.release(key, bounce);
  }

  isPressed(key: string): boolean {
    const p = this.locate(key);
    return this.closed[p.r]![p.c]!;
  }

  private set(key: string, pressed: boolean, bounce: ContactBounce | undefined): void {
    const p = this.locate(key);
    const apply = (v: boolean): void => { this.closed[p.r]![p.c] = v; this.gpio.refresh(); };
    const toggles = bounce?.toggles ?? 0;
    // Bounce: the contact reaches the new state at once, then chatters `toggles` times and settles.
    apply(pressed);
    for (let i = 1; i <= toggles; i++) {
      const v = i % 2 === 1 ? !pressed : pressed;
      this.clock.setTimeout(() => apply(v), i * bounce!.intervalMs);
    }
    if (toggles % 2 === 1) this.clock.setTimeout(() => apply(pressed), (toggles + 1) * bounce!.intervalMs);
  }

  private locate(key: string): { r: number; c: number } {
    const p = this.where.get(key);
    if (!p) throw new Error(`EmulatedKeyMatrix: no key "${key}" in the keymap (known: ${[...this.where.keys()].join(' ')})`);
    return p;
  }

  /** Level of column `c`: low if its wire group reaches a row driven low; undefined = pull-up decides. */
  private column(c: number): Bit | undefined {
    const nr = this.rows.length;
    const nc = this.cols.length;
    const seenR = new Array<boolean>(nr).fill(false);
    const seenC = new Array<boolean>(nc).fill(false);
    const stack: number[] = [nr + c]; // nodes: rows 0..nr-1, columns nr..nr+nc-1
    seenC[c] = true;
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n < nr) {
        if (this.gpio.outputLevel(this.rows[n]!) === 0) return 0;
        for (let k = 0; k < nc; k++) if (!seenC[k] && this.closed[n]![k]) { seenC[k] = true; stack.push(nr + k); }
      } else {
        const col = n - nr;
        for (let r = 0; r < nr; r++) if (!seenR[r] && this.closed[r]![col]) { seenR[r] = true; stack.push(r); }
      }
    }
    return undefined;
  }
}
