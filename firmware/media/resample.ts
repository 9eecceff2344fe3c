/**
 * 2:1 sample-rate conversion between 8 kHz and 16 kHz (narrowband audio devices ↔ G.722's 16 kHz,
 * or a 16 kHz device ↔ G.711's 8 kHz). Half-band FIR (every second tap zero except the centre),
 * windowed sinc, applied polyphase so only the non-zero taps are computed. State is preallocated:
 * calls convert caller-owned ranges, keep their history across calls and never allocate.
 *
 * Filter: N = 95 taps (2·HALF_TAPS odd taps + the centre), Blackman window (−58 dB side lobes,
 * transition ≈ 5.5·16 kHz/N ≈ 0.93 kHz around 4 kHz): the 3.4 kHz telephone band passes, images and
 * aliases above ≈ 4.5 kHz are cut. Delay K = 47 samples at 16 kHz (2.9 ms) each way.
 */

/** Odd (non-zero) taps on each side of the centre; total length 4·HALF_TAPS − 1 taps. */
const HALF_TAPS = 24;
/** Filter half-length K (taps run n = −K..K; only odd n and n = 0 are non-zero). */
const K = 2 * HALF_TAPS - 1;

/** c[j] = h[n] for the odd n = −K + 2j (j = 0 .. 2·HALF_TAPS−1); h[0] = 1/2 (half-band). */
const ODD = new Float64Array(2 * HALF_TAPS);
(() => {
  let sum = 0;
  for (let j = 0; j < ODD.length; j++) {
    const n = -K + 2 * j;
    const w = 0.42 + 0.5 * Math.cos((Math.PI * n) / (K + 1)) + 0.08 * Math.cos((2 * Math.PI * n) / (K + 1)); // Blackman
    ODD[j] = (Math.sin((Math.PI * n) / 2) / (Math.PI * n)) * w;                                         // ½·sinc(n/2)
    sum += ODD[j]!;
  }
  for (let j = 0; j < ODD.length; j++) ODD[j] = (ODD[j]! * 0.5) / sum;   // odd taps sum to ½ (unity DC gain with the ½ centre)
})();

const sat = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v));

/** 8 kHz → 16 kHz. Output length is exactly 2 × input length; delay K samples at 16 kHz. */
export class Upsampler2 {
  /** Last 2·HALF_TAPS inputs, stored twice (x at i and i+H) so a window is always contiguous. */
  private readonly hist = new Float64Array(4 * HALF_TAPS);
  private pos = 0;

  reset(): void { this.hist.fill(0); this.pos = 0; }

  /** Converts in[iOff..iOff+n) into out[oOff..oOff+2n). Returns 2n. */
  process(input: Int16Array, iOff: number, n: number, out: Int16Array, oOff: number): number {
    const H = 2 * HALF_TAPS;
    const h = this.hist;
    let o = oOff;
    for (let i = 0; i < n; i++) {
      const x = input[iOff + i]!;
      this.pos = this.pos === 0 ? H - 1 : this.pos - 1;       // newest sample at the lowest index
      h[this.pos] = x; h[this.pos + H] = x;
      // Even output (zero-stuffed position carries the odd taps): y = 2 Σ c_j x[m − (2L−1−j)].
      let acc = 0;
      const p = this.pos;
      for (let j = 0; j < H; j++) acc += ODD[j]! * h[p + H - 1 - j]!;
      out[o++] = sat(2 * acc);
      // Odd output: only the centre tap (½ × 2) hits a real sample, x[m − (L−1)].
      out[o++] = h[p + HALF_TAPS - 1]!;
    }
    return 2 * n;
  }
}

/** 16 kHz → 8 kHz (anti-alias filter, then keep every second sample). Output = input / 2 (odd remainders carry over). */
export class Downsampler2 {
  /** Last 2K+1 inputs, stored twice (see Upsampler2). */
  private readonly hist = new Float64Array(2 * (2 * K + 1));
  private pos = 0;
  private phase = 0;

  reset(): void { this.hist.fill(0); this.pos = 0; this.phase = 0; }

  /** Converts in[iOff..iOff+n) into out[oOff..]; returns samples written (n/2 for even n). */
  process(input: Int16Array, iOff: number, n: number, out: Int16Array, oOff: number): number {
    const H = 2 * K + 1;
    const h = this.hist;
    let o = oOff;
    for (let i = 0; i < n; i++) {
      this.pos = this.pos === 0 ? H - 1 : this.pos - 1;
      const x = input[iOff + i]!;
      h[this.pos] = x; h[this.pos + H] = x;
      this.phase ^= 1;
      if (this.phase !== 0) continue;                          // one output per two inputs
      const p = this.pos;                                      // h[p + d] = v[t − d]
      // y = ½ v[t − K] + Σ_j c_j v[t − K − n_j], n_j = −K + 2j → delay d = 2K − 2j.
      let acc = 0.5 * h[p + K]!;
      for (let j = 0; j < 2 * HALF_TAPS; j++) acc += ODD[j]! * h[p + 2 * K - 2 * j]!;
      out[o++] = sat(acc);
    }
    return o - oOff;
  }
}

/** Converts n samples at `fromRate` to `toRate` (equal, or 2:1 either way). */
export interface RateConverter {
  process(input: Int16Array, iOff: number, n: number, out: Int16Array, oOff: number): number;
  reset(): void;
}

/**
 * A converter from `fromRate` to `toRate`, or undefined when no conversion is needed. Throws for
 * ratios other than 1 and 2 (the engine names the device and codec in its error).
 */
export function rateConverter(fromRate: number, toRate: number): RateConverter | undefined {
  if (fromRate === toRate) return undefined;
  if (toRate === 2 * fromRate) return new Upsampler2();
  if (fromRate === 2 * toRate) return new Downsampler2();
  throw new Error(`cannot convert ${fromRate} Hz to ${toRate} Hz (only equal rates or 2:1, e.g. 8000 ↔ 16000)`);
}
