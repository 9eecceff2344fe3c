/**
 * Answers "is this tone heard?" from speaker samples: Goertzel levels per 50 ms block, then the
 * cadence of the on/off runs to tell busy (0.5 s on / 0.5 s off) from reorder (0.25 / 0.25).
 * Tone plans: ANSI T1.401 / ITU-T E.180 North American precise tones (the same the phone plays).
 */
import { detectTones } from '../../firmware/media/tone-detect.js';

export const TONE_PLANS = {
  dial: { freqs: [350, 440], onMs: 0 },          // continuous
  ringback: { freqs: [440, 480], onMs: 2000 },   // 2 s on, 4 s off
  busy: { freqs: [480, 620], onMs: 500 },        // 0.5 s on, 0.5 s off
  reorder: { freqs: [480, 620], onMs: 250 },     // 0.25 s on, 0.25 s off
} as const;
export type PlannedTone = keyof typeof TONE_PLANS;

/** Level above which a frequency counts as present. */
export const PRESENT_DBFS = -40;
const BLOCK_MS = 50;

export function present(samples: Int16Array, rate: number, freqs: readonly number[]): boolean {
  if (samples.length === 0) return false;
  const levels = detectTones(samples, rate, [...freqs]);
  return levels.every((l) => l.dbfs >= PRESENT_DBFS);
}

/** Per-block presence of all `freqs` over the samples. */
export function blocks(samples: Int16Array, rate: number, freqs: readonly number[]): boolean[] {
  const n = Math.round((rate * BLOCK_MS) / 1000);
  const out: boolean[] = [];
  for (let i = 0; i + n <= samples.length; i += n) out.push(present(samples.subarray(i, i + n), rate, freqs));
  return out;
}

/** Lengths (ms) of complete "on" runs: runs bounded by "off" blocks on both sides. */
export function onRuns(pattern: boolean[]): number[] {
  const runs: number[] = [];
  let start = -1;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] && start < 0 && i > 0 && !pattern[i - 1]) start = i;
    if (!pattern[i] && start >= 0) { runs.push((i - start) * BLOCK_MS); start = -1; }
  }
  return runs;
}

/** Which planned tone the samples contain, judged over the last window (needs ≥ 1.5 s for cadence). */
export function identifyTone(samples: Int16Array, rate: number): PlannedTone | 'none' {
  const tail = samples.subarray(Math.max(0, samples.length - Math.round(rate * 0.2)));
  if (present(tail, rate, TONE_PLANS.dial.freqs)) return 'dial';
  const rb = blocks(samples, rate, TONE_PLANS.ringback.freqs);
  if (rb.some(Boolean)) return 'ringback';
  const runs = onRuns(blocks(samples, rate, TONE_PLANS.busy.freqs));
  if (runs.length) {
    const avg = runs.reduce((a, b) => a + b, 0) / runs.length;
    return avg >= 375 ? 'busy' : 'reorder'; // midway between the 250 ms and 500 ms cadences
  }
  return 'none';
}

/** Dominant levels for a report: which of the plan frequencies and extra ones are present. */
export function describeHeard(samples: Int16Array, rate: number, extra: readonly number[]): string {
  const freqs = [...new Set([350, 440, 480, 620, ...extra])].sort((a, b) => a - b);
  const tail = samples.subarray(Math.max(0, samples.length - Math.round(rate * 0.2)));
  const heard = detectTones(tail, rate, freqs).filter((l) => l.dbfs >= PRESENT_DBFS).map((l) => `${l.freq} Hz`);
  return heard.length ? heard.join(', ') : 'silence';
}
