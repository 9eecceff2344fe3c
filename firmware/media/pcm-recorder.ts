/**
 * A PcmSink that records: the last N seconds of what was written, in one preallocated ring, as a
 * copy or a WAV file. The voicemail recorder and the emulated rigs' speakers.
 */
import { writeWhole } from '../../lib/fs/fs-async.js';
import type { PcmFormat, PcmSink } from '../../hal/api/pcm.js';
import { wavFile } from './wav.js';

/** 8 kHz, 20 ms periods: the G.711 packet time default (RFC 3551 §4.5.14 / §4.2 default ptime 20 ms). */
export const DEFAULT_FORMAT: PcmFormat = Object.freeze({ sampleRate: 8000, channels: 1, periodFrames: 160 });

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
    await writeWhole(path, wavFile(data, this.format.sampleRate));
  }

  async close(): Promise<void> {}
  onError(_cb: (err: Error) => void): () => void { return () => {}; }
}
