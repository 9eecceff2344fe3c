/**
 * Audio devices that may be missing or unplugged (a USB handset, a USB sound card) must not take
 * the phone down: registration, the display, lamps and the ringer keep working without audio.
 * These wrappers open the real device lazily, log a failure once per outage with its HalError
 * (device, operation, hint), and try again every `retryMs` on the Clock; meanwhile capture is
 * silent (no periods) and playback periods are dropped and counted.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSink, PcmSource } from '../../hal/api/pcm.js';

export interface ResilientOptions<T> {
  name: string;
  format: PcmFormat;
  open: () => Promise<T>;
  clock: Clock;
  /** Default 5000 ms. */
  retryMs?: number;
  log: (msg: string) => void;
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Shared outage bookkeeping: one log line per outage, one retry timer. */
class Reopener {
  private timer: TimerHandle | undefined;
  private down = false;
  constructor(private readonly o: ResilientOptions<unknown>, private readonly attempt: () => void) {}
  failed(op: string, e: unknown): void {
    if (!this.down) this.o.log(`${this.o.name}: ${op} failed: ${errText(e)}; the phone keeps working without it, retrying every ${this.retryMs} ms`);
    this.down = true;
    this.o.clock.clearTimeout(this.timer);
    this.timer = this.o.clock.setTimeout(() => { this.timer = undefined; this.attempt(); }, this.retryMs);
  }
  ok(): void {
    if (this.down) this.o.log(`${this.o.name}: audio device is back`);
    this.down = false;
  }
  stop(): void { this.o.clock.clearTimeout(this.timer); this.timer = undefined; }
  private get retryMs(): number { return this.o.retryMs ?? 5000; }
}

export class ResilientSource implements PcmSource {
  readonly name: string;
  readonly format: PcmFormat;
  private inner: PcmSource | undefined;
  private onPeriod: ((s: Int16Array) => void) | undefined;
  private readonly errorCbs = new Set<(err: Error) => void>();
  private readonly reopen: Reopener;

  constructor(private readonly o: ResilientOptions<PcmSource>) {
    this.name = o.name;
    this.format = o.format;
    this.reopen = new Reopener(o, () => { void this.attempt(); });
  }

  async start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    this.onPeriod = onPeriod;
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.onPeriod = undefined;
    this.reopen.stop();
    const inner = this.inner;
    this.inner = undefined;
    await inner?.stop().catch(() => {});
  }

  onError(cb: (err: Error) => void): () => void { this.errorCbs.add(cb); return () => this.errorCbs.delete(cb); }

  /** The capture device is open and delivering (false while it is missing and retried). */
  get open(): boolean { return this.inner !== undefined; }

  private async attempt(): Promise<void> {
    const onPeriod = this.onPeriod;
    if (!onPeriod || this.inner) return;
    try {
      const src = await this.o.open();
      src.onError((e) => { this.inner = undefined; void src.stop().catch(() => {}); this.reopen.failed('capture', e); });
      await src.start(onPeriod);
      this.inner = src;
      this.reopen.ok();
    } catch (e) {
      this.reopen.failed('open capture', e);
    }
  }
}

export class ResilientSink implements PcmSink {
  readonly name: string;
  readonly format: PcmFormat;
  /** Periods dropped while the device was unavailable. */
  dropped = 0;
  private inner: PcmSink | undefined;
  private opening = false;
  private closed = false;
  private readonly reopen: Reopener;

  constructor(private readonly o: ResilientOptions<PcmSink>) {
    this.name = o.name;
    this.format = o.format;
    this.reopen = new Reopener(o, () => { void this.attempt(); });
    void this.attempt();
  }

  write(samples: Int16Array): void {
    if (this.inner) this.inner.write(samples);
    else this.dropped++;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reopen.stop();
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close().catch(() => {});
  }

  onError(_cb: (err: Error) => void): () => void { return () => {}; } // device errors are handled here

  /** The playback device is open (false while it is missing and retried). */
  get open(): boolean { return this.inner !== undefined; }

  private async attempt(): Promise<void> {
    if (this.inner || this.opening || this.closed) return;
    this.opening = true;
    try {
      const sink = await this.o.open();
      sink.onError((e) => { this.inner = undefined; void sink.close().catch(() => {}); this.reopen.failed('playback', e); });
      if (this.closed) { await sink.close(); return; }
      this.inner = sink;
      this.reopen.ok();
    } catch (e) {
      this.reopen.failed('open playback', e);
    } finally {
      this.opening = false;
    }
  }
}
