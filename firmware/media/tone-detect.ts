/** Tone detection (Goertzel): "is 1000 Hz heard?" for the scenario runner's hearing checks and tests. */

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
