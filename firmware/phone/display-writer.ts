/**
 * Writes composed screens to the TextDisplay: skips a write when the rows are unchanged, and when
 * the display fails (an unplugged LCD: HalError) logs once, re-initialises it on the next write
 * and asks for a redraw after `retryMs` on the Clock. Never throws.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { TextDisplay } from '../../hal/api/devices.js';

export interface DisplayWriterOptions {
  display: TextDisplay;
  clock: Clock;
  retryMs: number;
  log: { warn(msg: string): void; info?(msg: string): void };
  /** Called when a retry is due (the owner re-renders and writes). */
  redraw: () => void;
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class DisplayWriter {
  /** Rows last composed (even if writing them failed). */
  last: string[] = [];
  private shown: string[] | undefined;
  private broken = false;
  private retry: TimerHandle | undefined;
  private active = true;
  private initDone: Promise<void> = Promise.resolve();

  constructor(private readonly o: DisplayWriterOptions) {}

  /** Power-on initialisation and backlight. */
  init(): Promise<void> {
    this.active = true;
    this.initDone = (async () => {
      try {
        await this.o.display.init();
        await this.o.display.setBacklight(true);
      } catch (e) {
        this.failed('init', e);
      }
    })();
    return this.initDone;
  }

  async write(lines: string[]): Promise<void> {
    this.last = lines;
    // A write while init runs (the station registered first) waits: the controller must not get
    // display data between its power-on commands.
    await this.initDone;
    const shown = this.shown;
    if (shown && shown.length === lines.length && shown.every((l, i) => l === lines[i])) return;
    const d = this.o.display;
    try {
      if (this.broken) {
        await d.init();
        await d.setBacklight(true);
      }
      await d.show(lines);
      this.shown = lines;
      if (this.broken) {
        this.broken = false;
        this.o.clock.clearTimeout(this.retry);
        this.o.log.info?.(`phone: display ${d.name} is back`);
      }
    } catch (e) {
      this.failed('show', e);
    }
  }

  /** Stops retrying (the app stopped). */
  stop(): void {
    this.active = false;
    this.o.clock.clearTimeout(this.retry);
  }

  private failed(op: string, e: unknown): void {
    if (!this.broken) this.o.log.warn(`phone: display ${this.o.display.name} ${op} failed, retrying: ${errText(e)}`);
    this.broken = true;
    this.shown = undefined;
    this.o.clock.clearTimeout(this.retry);
    if (!this.active) return;
    this.retry = this.o.clock.setTimeout(() => this.o.redraw(), this.o.retryMs);
  }
}
