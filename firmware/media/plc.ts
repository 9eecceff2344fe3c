/**
 * Packet-loss concealment after the decoder, after ITU-T G.711 Appendix I (09/1999): keep a short
 * history of decoded audio; on an erasure find the pitch period by normalised cross-correlation,
 * repeat the last pitch period(s) with a 1/4-period overlap-add at the loop point, widen the
 * repeated span to 2 and 3 periods after 10 and 20 ms, attenuate 20 % per 10 ms after the first
 * 10 ms, and go silent after 60 ms. The first good frame after an erasure is cross-faded with the
 * synthetic continuation over 1/4 period (+ 4 ms per extra 10 ms of erasure, capped at 10 ms).
 *
 * Sample-rate generic: all App I constants are given at 8 kHz and scaled by rate / 8000 (so a
 * G.722 decoder's 16 kHz output uses twice the samples). Differences from App I: no 3.75 ms
 * output delay (the loop point is smoothed inside the pitch buffer instead), integer pitch only.
 * All buffers are allocated in the constructor; good()/conceal() allocate nothing.
 */

/** App I §I.2.1: pitch search range 40..120 samples at 8 kHz (200 Hz .. 66.7 Hz). */
const PITCH_MIN_8K = 40;
const PITCH_MAX_8K = 120;
/** App I: history 3.25 × PITCH_MAX = 390 samples at 8 kHz (48.75 ms). */
const HIST_8K = 390;
/** App I: correlation window 20 ms (160 samples at 8 kHz). */
const CORR_8K = 160;
/** App I: attenuation starts after 10 ms and is 20 % per further 10 ms; silence after 60 ms. */
const ATTEN_START_MS = 10;
const ATTEN_PER_10MS = 0.2;
const MAX_ERASURE_MS = 60;
/** App I: the repeated span grows by one pitch period at 10 ms and 20 ms (3 periods max). */
const MAX_PERIODS = 3;
/** App I: extra end-of-erasure overlap of 4 ms per 10 ms of erasure beyond the first, capped at 10 ms. */
const EXTRA_OLA_MS_PER_10MS = 4;
const MAX_END_OLA_MS = 10;
/** Fixed-point unity gain (Q15). */
const Q15 = 32768;

export interface PlcStats {
  /** Samples synthesised (attenuated or not, silence included). */
  concealedSamples: number;
  /** Erasures (runs of consecutive concealed frames). */
  erasures: number;
}

export class Plc {
  readonly sampleRate: number;
  readonly stats: PlcStats = { concealedSamples: 0, erasures: 0 };
  private readonly pitchMin: number;
  private readonly pitchMax: number;
  private readonly corrLen: number;
  private readonly perMs: number;
  private readonly hist: Float32Array;            // newest sample at hist[histLen − 1]
  private readonly histLen: number;
  private readonly pbuf: Float32Array;            // repeated span (≤ 3 pitch periods)
  private readonly synth: Float32Array;           // ring of this erasure's output (histLen)
  private synthPos = 0;
  private pitch = 0;
  private periods = 0;                           // periods currently in pbuf
  private pPos = 0;                              // read position in pbuf
  private erased = 0;                            // samples of the current erasure (0 = not erasing)
  private filled = 0;                            // valid history samples (≤ histLen)

  constructor(sampleRate: number) {
    if (!(sampleRate === 8000 || sampleRate === 16000)) {
      throw new Error(`plc: unsupported sample rate ${sampleRate} (8000 or 16000)`);
    }
    const f = sampleRate / 8000;
    this.sampleRate = sampleRate;
    this.perMs = sampleRate / 1000;
    this.pitchMin = PITCH_MIN_8K * f;
    this.pitchMax = PITCH_MAX_8K * f;
    this.corrLen = CORR_8K * f;
    this.histLen = HIST_8K * f;
    this.hist = new Float32Array(this.histLen);
    this.pbuf = new Float32Array(MAX_PERIODS * this.pitchMax);
    this.synth = new Float32Array(this.histLen);
  }

  /** True while frames are being concealed (until the next good frame). */
  get erasing(): boolean { return this.erased > 0; }

  reset(): void {
    this.hist.fill(0); this.filled = 0; this.erased = 0; this.pitch = 0; this.periods = 0; this.pPos = 0;
    this.synthPos = 0;
  }

  /**
   * A correctly decoded frame. After an erasure its first samples are cross-faded (in place)
   * with the synthetic continuation. Then it enters the history.
   */
  good(frame: Int16Array, off = 0, n = frame.length - off): void {
    if (this.erased > 0) {
      const extra10 = Math.max(0, Math.floor(this.erased / (10 * this.perMs)) - 1);
      let ola = (this.pitch >> 2) + extra10 * EXTRA_OLA_MS_PER_10MS * this.perMs;
      ola = Math.min(ola, MAX_END_OLA_MS * this.perMs, n);
      let g = this.gainQ15(this.erased) / Q15;
      const dg = (this.gainQ15(this.erased + ola) / Q15 - g) / Math.max(1, ola);
      for (let i = 0; i < ola; i++) {
        const w = (i + 1) / (ola + 1);                   // linear cross-fade synthetic → real
        const syn = this.nextSynth() * g;
        g += dg;
        const v = w * frame[off + i]! + (1 - w) * syn;
        frame[off + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
      }
      this.flushSynth();
      this.erased = 0;
    }
    this.append(frame, off, n);
  }

  /** Writes n concealed samples into out[off..] and records them in the history. */
  conceal(out: Int16Array, off = 0, n = out.length - off): void {
    if (this.erased === 0) this.startErasure();
    this.stats.concealedSamples += n;
    for (let i = 0; i < n; i++) {
      const e = this.erased;
      // App I: one more pitch period of history joins the repeated span at 10 and 20 ms.
      const want = 1 + Math.min(MAX_PERIODS - 1, Math.floor(e / (10 * this.perMs)));
      if (want > this.periods && this.filled >= want * this.pitch + (this.pitch >> 2)) this.widen(want);
      const g = this.gainQ15(e) / Q15;
      const v = g === 0 ? 0 : this.nextSynth() * g;
      out[off + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
      this.erased = e + 1;
    }
    // The history stays frozen during the erasure (App I takes the 2nd/3rd period from real
    // audio); the synthetic samples are kept aside and enter the history when the erasure ends.
    const r = this.synth; const R = this.histLen;
    for (let i = 0; i < n; i++) { r[this.synthPos] = out[off + i]!; this.synthPos = this.synthPos + 1 === R ? 0 : this.synthPos + 1; }
  }

  /**
   * Linear App I attenuation after e erased samples: 1 for 10 ms, then −20 % per 10 ms, 0 from
   * 60 ms. Returned in Q15 (32768 = 1): an integer return value stays unboxed (no HeapNumber).
   */
  private gainQ15(e: number): number {
    const ms = e / this.perMs;
    if (ms >= MAX_ERASURE_MS) return 0;
    if (ms <= ATTEN_START_MS) return Q15;
    const g = 1 - ((ms - ATTEN_START_MS) / 10) * ATTEN_PER_10MS;
    return g > 0 ? (g * Q15) | 0 : 0;
  }

  private nextSynth(): number {
    const len = this.periods * this.pitch;
    if (len === 0) return 0;
    const v = this.pbuf[this.pPos]!;
    this.pPos = this.pPos + 1 >= len ? 0 : this.pPos + 1;
    return v;
  }

  /** Moves the erasure's synthetic samples (the last histLen of them) into the history. */
  private flushSynth(): void {
    const R = this.histLen; const n = Math.min(this.erased, R);
    const h = this.hist;
    h.copyWithin(0, n);
    let p = this.synthPos - n; if (p < 0) p += R;
    for (let i = 0; i < n; i++) { h[R - n + i] = this.synth[p]!; p = p + 1 === R ? 0 : p + 1; }
    this.synthPos = 0;
    this.filled = Math.min(R, this.filled + n);
  }

  private append(src: Int16Array | Float32Array, off: number, n: number): void {
    const h = this.hist; const L = this.histLen;
    if (n >= L) {
      for (let i = 0; i < L; i++) h[i] = src[off + n - L + i]!;
    } else {
      h.copyWithin(0, n);                                 // no allocation: in-place move
      for (let i = 0; i < n; i++) h[L - n + i] = src[off + i]!;
    }
    this.filled = Math.min(L, this.filled + n);
  }

  private startErasure(): void {
    this.stats.erasures++;
    this.pitch = this.findPitch();
    this.periods = 0;
    this.synthPos = 0;
    this.widen(1);
  }

  /**
   * Loads the last `k` pitch periods of the (frozen) history into pbuf. The last 1/4 period is
   * cross-faded into the quarter period that precedes the span in history, so looping from the
   * end of pbuf back to its start continues the waveform (App I's loop-point overlap-add; the
   * 3.25 × PITCH_MAX history is exactly 3 periods plus that quarter).
   */
  private widen(k: number): void {
    const P = this.pitch; const span = k * P; const h = this.hist; const L = this.histLen;
    const start = L - span;
    for (let i = 0; i < span; i++) this.pbuf[i] = h[start + i]!;
    const ola = P >> 2;
    for (let i = 0; i < ola; i++) {
      const w = (i + 1) / (ola + 1);                       // 0 → 1 across the tail
      this.pbuf[span - ola + i] = (1 - w) * h[L - ola + i]! + w * h[start - ola + i]!;
    }
    // Keep the phase: the same sample of the newest period (App I continues, then goes back).
    const phase = this.periods === 0 ? 0 : this.pPos % P;
    this.periods = k;
    this.pPos = (k - 1) * P + phase;
  }

  /**
   * App I §I.2.2: pitch = lag with the highest normalised correlation over the last 20 ms.
   * Coarse search over every second lag on every second sample (App I's 2:1 decimation), then
   * ±1 at full resolution. One function on purpose: a helper returning a double would box a
   * HeapNumber per lag whenever V8 declines to inline it.
   */
  private findPitch(): number {
    const h = this.hist; const N = this.corrLen;
    const end = this.histLen - N;                            // window = hist[end .. histLen − 1]
    let best = this.pitchMax; let bestScore = -1e300;
    let lo = this.pitchMin; let hi = this.pitchMax; let step = 2;
    for (let pass = 0; pass < 2; pass++) {
      for (let lag = lo; lag <= hi; lag += step) {
        let xy = 0; let yy = 1e-3;
        for (let i = 0; i < N; i += step) {
          const y = h[end - lag + i]!;
          xy += h[end + i]! * y;
          yy += y * y;
        }
        const sc = xy / Math.sqrt(yy);
        if (sc > bestScore) { bestScore = sc; best = lag; }
      }
      lo = Math.max(this.pitchMin, best - 1); hi = Math.min(this.pitchMax, best + 1); step = 1;
      bestScore = -1e300;
    }
    return best;
  }
}
