/** Deterministic test signals for the G.722 and PLC tests (seeded, so failures reproduce). */

/** xorshift32 (G. Marsaglia, J. Stat. Softw. 8(14), 2003): uniform 32-bit values from a seed. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** Log sine sweep f0 → f1 over n samples at `rate`, peak `amp`. */
export function sweep(n: number, rate: number, f0: number, f1: number, amp: number): Int16Array {
  const out = new Int16Array(n);
  let ph = 0;
  for (let i = 0; i < n; i++) {
    const f = f0 * Math.pow(f1 / f0, i / n);
    ph += (2 * Math.PI * f) / rate;
    out[i] = Math.round(amp * Math.sin(ph));
  }
  return out;
}

/** Uniform white noise in [−amp, amp] from a seeded PRNG. */
export function noise(n: number, seed: number, amp: number): Int16Array {
  const r = prng(seed);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round((r() * 2 - 1) * amp);
  return out;
}

/** Full-scale square wave (+32767 / −32768) of `period` samples: drives every limiter. */
export function fullScaleSquare(n: number, period: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = (i % period) < period / 2 ? 32767 : -32768;
  return out;
}

/** Sine of `freq` Hz at `rate`, peak `amp`, starting at sample index `start` (phase-continuous). */
export function tone(n: number, rate: number, freq: number, amp: number, start = 0): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amp * Math.sin((2 * Math.PI * freq * (start + i)) / rate));
  return out;
}

export function toBuffer(s: Int16Array): Buffer {
  return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
}

export function fromBuffer(b: Buffer): Int16Array {
  const out = new Int16Array(b.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(2 * i);
  return out;
}
