/**
 * Online/offline bookkeeping for a bus device that may be unplugged (LCD, OLED): the first fault
 * of an outage is logged once, the device is then probed on the Clock, and when the probe answers
 * the driver re-initialises it. Shared by the HD44780 and SSD1306 drivers.
 */
import type { Clock, TimerHandle } from '../api/clock.js';
import { isHalError } from '../api/errors.js';

export interface OutageOptions {
  clock: Clock;
  /** "<driver name>: <device>" for log lines. */
  label: string;
  probeMs: number;
  log: (msg: string) => void;
  /** A side-effect-free transfer that succeeds only when the device answers. */
  probe: () => Promise<unknown>;
  /** Full re-initialisation; calls `online()` when done. */
  reinit: () => Promise<void>;
}

export class Outage {
  private isOnline = false;
  private timer: TimerHandle | undefined;
  private logged = false;
  private probing = false;
  private closed = false;

  constructor(private readonly o: OutageOptions) {}

  get online(): boolean { return this.isOnline; }

  /** Any failure takes the device offline: logged once per outage, then probed on the Clock. */
  fault(e: unknown): void {
    if (!this.logged) {
      const why = e instanceof Error ? e.message : String(e);
      this.o.log(`${this.o.label} offline (${isHalError(e) ? '' : 'unexpected error: '}${why}); retrying every ${this.o.probeMs} ms`);
      this.logged = true;
    }
    this.isOnline = false;
    if (!this.closed && this.timer === undefined) {
      this.timer = this.o.clock.setInterval(() => { void this.probeOnce(); }, this.o.probeMs);
    }
  }

  /** The device was (re)initialised successfully. */
  markOnline(): void {
    if (this.isOnline) return;
    const wasProbing = this.timer !== undefined;
    this.stopProbing();
    this.isOnline = true;
    if (wasProbing) this.o.log(`${this.o.label} answers again; re-initialised and redrawn`);
    this.logged = false;
  }

  close(): void {
    this.closed = true;
    this.stopProbing();
  }

  private stopProbing(): void {
    this.o.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private async probeOnce(): Promise<void> {
    if (this.probing || this.isOnline) return;
    this.probing = true;
    try { await this.o.probe(); } catch { this.probing = false; return; }
    await this.o.reinit().finally(() => { this.probing = false; });
  }
}
