/**
 * A mechanical contact (hook switch, headset jack switch) on an emulated GPIO line, with optional
 * contact bounce scheduled on the Clock.
 */
import type { Bit, Clock } from '../api/index.js';
import type { EmulatedGpioController } from './gpio.js';
import type { ContactBounce } from './keypad-matrix.js';

export interface EmulatedContactOptions {
  gpio: EmulatedGpioController;
  clock: Clock;
  offset: number;
  /** Physical level when the contact is closed; default 0 (switch to ground, pull-up input). */
  closedLevel?: Bit;
  /** Level when open; default undefined = released, the line's bias decides. */
  openLevel?: Bit;
  bounce?: ContactBounce;
  initiallyClosed?: boolean;
}

export class EmulatedContact {
  private readonly o: EmulatedContactOptions;
  private state = false;
  private pending: { id: number }[] = [];

  constructor(opts: EmulatedContactOptions) {
    this.o = opts;
    this.apply(opts.initiallyClosed ?? false);
  }

  get closed(): boolean { return this.state; }

  /** Moves the contact; with bounce it chatters `toggles` times before settling on `closed`. */
  set(closed: boolean, bounce = this.o.bounce): void {
    for (const h of this.pending) this.o.clock.clearTimeout(h);
    this.pending = [];
    this.apply(closed);
    const toggles = bounce?.toggles ?? 0;
    for (let i = 1; i <= toggles; i++) {
      const v = i % 2 === 1 ? !closed : closed;
      this.pending.push(this.o.clock.setTimeout(() => this.apply(v), i * bounce!.intervalMs));
    }
    if (toggles % 2 === 1) this.pending.push(this.o.clock.setTimeout(() => this.apply(closed), (toggles + 1) * bounce!.intervalMs));
  }

  close(bounce = this.o.bounce): void { this.set(true, bounce); }
  open(bounce = this.o.bounce): void { this.set(false, bounce); }

  private apply(closed: boolean): void {
    this.state = closed;
    this.o.gpio.drive(this.o.offset, closed ? (this.o.closedLevel ?? 0) : this.o.openLevel);
  }
}
