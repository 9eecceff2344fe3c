/**
 * Emulated audio devices for the simulator, scenarios and tests: a microphone that "speaks" a
 * sine, a speaker that records what it is given, and a Goertzel tone detector to answer
 * "is 1000 Hz heard?". Period timing comes from the injected Clock.
 */
import { writeFile } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmFormat, PcmSink, PcmSource } from '../../hal/api/pcm.js';

/** 8 kHz, 20 ms periods: the G.711 packet time default (RFC 3551 §4.5.14 / §4.2 default ptime 20 ms). */
export const DEFAULT_FORMAT: PcmFormat = Object.freeze({ sampleRate: 8000, channels: 1, periodFrames: 160 });

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

export interface RecordingSpeakerOptions {
  /** Seconds of audio kept (ring). Default 10. */
  seconds?: number;
  format?: PcmFormat;
  name?: string;
}

/** A PcmSink keeping the last N seconds of what was written, in one preallocated ring. */
export class RecordingSpeaker implements PcmSink {
  readonly name: string;
  readonly format: PcmFormat;
  private readonly ring: Int16Array;
  private w = 0;
  /** Samples written since construction (or clear). */
  totalSamples = 0;
  /** write() calls since construction (or clear). */
  periods = 0;

  constructor(opts: RecordingSpeakerOptions = {}) {
    this.format = opts.format ?? DEFAULT_FORMAT;
    this.name = opts.name ?? 'recording-speaker';
    this.ring = new Int16Array(Math.round((opts.seconds ?? 10) * this.format.sampleRate));
  }

  write(samples: Int16Array): void {
    const cap = this.ring.length;
    for (let i = 0; i < samples.length; i++) {
      this.ring[this.w] = samples[i]!;
      if (++this.w === cap) this.w = 0;
    }
    this.totalSamples += samples.length;
    this.periods++;
  }

  /** A copy of the last `ms` milliseconds (fewer if less was recorded). */
  recent(ms: number): Int16Array {
    const cap = this.ring.length;
    const n = Math.min(Math.round((ms * this.format.sampleRate) / 1000), this.totalSamples, cap);
    const out = new Int16Array(n);
    let r = (this.w - n + cap) % cap;
    for (let i = 0; i < n; i++) {
      out[i] = this.ring[r]!;
      if (++r === cap) r = 0;
    }
    return out;
  }

  clear(): void { this.w = 0; this.totalSamples = 0; this.periods = 0; this.ring.fill(0); }

  /** Writes everything still in the ring as a 16-bit mono PCM WAV file. */
  async writeWav(path: string): Promise<void> {
    const data = this.recent(Number.POSITIVE_INFINITY);
    await writeFile(path, wavFile(data, this.format.sampleRate));
  }

  async close(): Promise<void> {}
  onError(_cb: (err: Error) => void): () => void { return () => {}; }
}

/** RIFF/WAVE with a 16-byte PCM fmt chunk (Microsoft RIFF spec, WAVE_FORMAT_PCM = 1). */
export function wavFile(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const b = Buffer.alloc(44 + dataBytes);   // 44 = RIFF(12) + fmt chunk(8 + 16) + data header(8)
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + dataBytes, 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  b.writeUInt32LE(16, 16);                  // fmt chunk size
  b.writeUInt16LE(1, 20);                   // WAVE_FORMAT_PCM
  b.writeUInt16LE(1, 22);                   // channels
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2, 28);      // byte rate
  b.writeUInt16LE(2, 32);                   // block align
  b.writeUInt16LE(16, 34);                  // bits per sample
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, 44 + i * 2);
  return b;
}

export interface ToneLevel {
  freq: number;
  /** Estimated peak amplitude of that component, in sample units. */
  level: number;
  /** Same, in dB relative to full scale (32767). −Infinity for silence. */
  dbfs: number;
}

/**
 * Goertzel (G. Goertzel, Am. Math. Monthly 65, 1958) over a Hann-windowed block: the amplitude
 * of each requested frequency in `samples`. Use blocks of ≥ 100 ms for ~10 Hz resolution.
 */
export function detectTones(samples: Int16Array, sampleRate: number, freqs: readonly number[]): ToneLevel[] {
  const n = samples.length;
  const result: ToneLevel[] = [];
  for (const freq of freqs) {
    if (n < 2) { result.push({ freq, level: 0, dbfs: Number.NEGATIVE_INFINITY }); continue; }
    const w = (2 * Math.PI * freq) / sampleRate;
    const coeff = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
      const s0 = samples[i]! * hann + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    // |X| = sqrt(power); a sine of peak A gives |X| = A·N/2 × window coherent gain (Hann: 0.5).
    const level = (2 * Math.sqrt(Math.max(0, power))) / (n * 0.5);
    result.push({ freq, level, dbfs: 20 * Math.log10(level / 32767) });
  }
  return result;
}

export interface DominantOptions {
  /** Ignore candidates below this level. Default −45 dBFS. */
  minDbfs?: number;
  /** Keep only candidates within this many dB of the strongest. Default 20. */
  withinDb?: number;
}

/** The candidate frequencies clearly present in `samples`, strongest first. */
export function dominantFrequencies(samples: Int16Array, sampleRate: number, candidates: readonly number[],
  opts: DominantOptions = {}): number[] {
  const minDbfs = opts.minDbfs ?? -45;
  const within = opts.withinDb ?? 20;
  const levels = detectTones(samples, sampleRate, candidates).sort((a, b) => b.dbfs - a.dbfs);
  const top = levels[0]?.dbfs ?? Number.NEGATIVE_INFINITY;
  return levels.filter((l) => l.dbfs >= minDbfs && l.dbfs >= top - within).map((l) => l.freq);
}
