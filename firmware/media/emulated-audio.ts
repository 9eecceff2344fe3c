/**
 * Emulated microphone for the simulator, scenarios and tests: a PcmSource that "speaks" a sine.
 * Period timing comes from the injected Clock. What it is heard with: pcm-recorder.ts
 * (RecordingSpeaker) and tone-detect.ts (Goertzel).
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSource } from '../../hal/api/pcm.js';
import { DEFAULT_FORMAT } from './pcm-recorder.js';

export interface ToneMicrophoneOptions {
  clock: Clock;
  freq: number;
  /** Peak level in dBFS (0 = full scale 32767). Default −10. */
  levelDbfs?: number;
  format?: PcmFormat;
  name?: string;
}

/** A PcmSource producing a continuous sine, one period per period time, in one reused buffer. */
export class ToneMicrophone implements PcmSource {
  readonly name: string;
  readonly format: PcmFormat;
  private readonly buf: Int16Array;
  private readonly periodMs: number;
  private timer: TimerHandle | undefined;
  private phase = 0;
  private step = 0;
  private amp = 0;
  private readonly errorCbs = new Set<(err: Error) => void>();
  /** Periods delivered since construction. */
  periods = 0;

  constructor(private readonly opts: ToneMicrophoneOptions) {
    this.format = opts.format ?? DEFAULT_FORMAT;
    this.name = opts.name ?? `tone-mic(${opts.freq} Hz)`;
    this.buf = new Int16Array(this.format.periodFrames);
    this.periodMs = (this.format.periodFrames * 1000) / this.format.sampleRate;
    this.setFrequency(opts.freq);
    this.setLevel(opts.levelDbfs ?? -10);
  }

  setFrequency(freq: number): void { this.step = (2 * Math.PI * freq) / this.format.sampleRate; }
  setLevel(dbfs: number): void { this.amp = 32767 * Math.pow(10, dbfs / 20); }

  async start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    if (this.timer) return;
    this.timer = this.opts.clock.setInterval(() => {
      for (let i = 0; i < this.buf.length; i++) {
        this.buf[i] = Math.round(Math.sin(this.phase) * this.amp);
        this.phase = (this.phase + this.step) % (2 * Math.PI);
      }
      this.periods++;
      try {
        onPeriod(this.buf);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        for (const cb of this.errorCbs) cb(err);
      }
    }, this.periodMs);
  }

  async stop(): Promise<void> {
    this.opts.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  onError(cb: (err: Error) => void): () => void {
    this.errorCbs.add(cb);
    return () => this.errorCbs.delete(cb);
  }
}
