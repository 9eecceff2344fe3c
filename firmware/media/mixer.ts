/**
 * Speaker mixer: the phone has one speaker PcmSink, but far-end call audio and local tones both
 * want to be heard. Each producer gets a channel (itself a PcmSink); once per period, on the
 * injected clock, the mixer takes one period from every channel, sums with saturation to 16 bits,
 * and writes a single period to the real sink. All buffers are preallocated.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSink } from '../../hal/api/pcm.js';

export interface SpeakerMixerOptions {
  clock: Clock;
  sink: PcmSink;
  /** Capacity of each channel's FIFO in periods (absorbs producer/mixer timer phase). Default 4. */
  channelDepthPeriods?: number;
  /** Consecutive empty periods after which the mixer stops ticking until the next write. Default 25 (0.5 s at 20 ms). */
  idleStopPeriods?: number;
}

/** One producer's input into the mixer: a PcmSink with a small sample FIFO behind it. */
export class MixerChannel implements PcmSink {
  readonly format: PcmFormat;
  private readonly ring: Int16Array;
  private head = 0;     // read index
  private fill = 0;     // samples queued
  /** Samples dropped because the FIFO was full (producer faster than the speaker). */
  overruns = 0;
  private closed = false;

  constructor(readonly name: string, format: PcmFormat, depthPeriods: number, private readonly onData: () => void,
    private readonly onClose: (ch: MixerChannel) => void) {
    this.format = format;
    this.ring = new Int16Array(format.periodFrames * depthPeriods);
  }

  write(samples: Int16Array): void {
    if (this.closed) return;
    const cap = this.ring.length;
    let n = samples.length;
    let src = 0;
    if (n > cap) { src = n - cap; this.overruns += src; n = cap; }
    const excess = this.fill + n - cap;
    if (excess > 0) {                          // drop the oldest samples: keep latency bounded
      this.head = (this.head + excess) % cap;
      this.fill -= excess;
      this.overruns += excess;
    }
    let w = (this.head + this.fill) % cap;
    for (let i = 0; i < n; i++) {
      this.ring[w] = samples[src + i]!;
      if (++w === cap) w = 0;
    }
    this.fill += n;
    this.onData();
  }

  /** Samples currently queued. */
  get queued(): number { return this.fill; }

  /** Adds up to n queued samples into acc[0..n); returns how many were available. */
  mixInto(acc: Int32Array, n: number): number {
    const take = Math.min(n, this.fill);
    const cap = this.ring.length;
    let r = this.head;
    for (let i = 0; i < take; i++) {
      acc[i] = acc[i]! + this.ring[r]!;
      if (++r === cap) r = 0;
    }
    this.head = r;
    this.fill -= take;
    return take;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fill = 0;
    this.onClose(this);
  }

  onError(_cb: (err: Error) => void): () => void {
    return () => {};   // a channel cannot fail on its own; device errors surface on the mixer's sink
  }
}

export class SpeakerMixer {
  readonly format: PcmFormat;
  private readonly channels: MixerChannel[] = [];
  private readonly acc: Int32Array;
  private readonly out: Int16Array;
  private readonly periodMs: number;
  private readonly depth: number;
  private readonly idleStop: number;
  private timer: TimerHandle | undefined;
  private idle = 0;
  /** Output samples that had to be clipped to 16 bits. */
  clipped = 0;

  constructor(private readonly opts: SpeakerMixerOptions) {
    this.format = opts.sink.format;
    this.acc = new Int32Array(this.format.periodFrames);
    this.out = new Int16Array(this.format.periodFrames);
    this.periodMs = (this.format.periodFrames * 1000) / this.format.sampleRate;
    this.depth = opts.channelDepthPeriods ?? 4;
    this.idleStop = opts.idleStopPeriods ?? 25;
  }

  /** A new input. Closing the channel removes it. */
  channel(name: string): MixerChannel {
    const ch = new MixerChannel(name, this.format, this.depth, () => this.wake(), (c) => {
      const i = this.channels.indexOf(c);
      if (i >= 0) this.channels.splice(i, 1);
    });
    this.channels.push(ch);
    return ch;
  }

  /** True while the period timer runs. */
  get running(): boolean { return this.timer !== undefined; }

  /** Mixes and writes one period now (the timer calls this; tests may too). */
  tick(): void {
    const n = this.out.length;
    this.acc.fill(0);
    let any = false;
    for (const ch of this.channels) if (ch.mixInto(this.acc, n) > 0) any = true;
    for (let i = 0; i < n; i++) {
      const v = this.acc[i]!;
      if (v > 32767) { this.out[i] = 32767; this.clipped++; } else if (v < -32768) { this.out[i] = -32768; this.clipped++; } else this.out[i] = v;
    }
    this.opts.sink.write(this.out);
    if (any) this.idle = 0;
    else if (++this.idle >= this.idleStop) this.halt();
  }

  async close(): Promise<void> {
    this.halt();
    for (const ch of [...this.channels]) await ch.close();
    await this.opts.sink.close();
  }

  private wake(): void {
    this.idle = 0;
    if (this.timer) return;
    // The first period goes out when the timer fires, so a producer's first write is never mixed
    // half-empty against a period that already started.
    this.timer = this.opts.clock.setInterval(() => this.tick(), this.periodMs);
  }

  private halt(): void {
    if (this.timer) { this.opts.clock.clearInterval(this.timer); this.timer = undefined; }
  }
}
