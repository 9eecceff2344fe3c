/**
 * Answers "is this tone heard?" from speaker samples. Tone plans: ANSI T1.401 / ITU-T E.180 North
 * American precise tones (the phone plays them; Asterisk's `indications.conf` "us" zone plays the
 * same over RTP).
 *
 * identifyTone() works on the whole window, the way a person listens to a cadence:
 *  1. on/off per 10 ms step from the step's power (on: within 20 dB of the loudest step and above
 *     PRESENT_DBFS), giving runs of "on" and "off";
 *  2. the dominant pair: Goertzel levels of the plan frequencies over the *interior* of each on-run
 *     (20 ms trimmed at each edge the run has inside the window, so blocks straddling an on/off edge,
 *     which leak energy into neighbouring frequencies, never vote), the two strongest win;
 *  3. the cadence: every complete run (bounded by the opposite state on both sides) must be within
 *     the plan's on/off length ± (40 ms + 10 %); a run cut by the window edge must not be longer than
 *     that. The 40 ms cover tone steps rounded to 20 ms RTP frames (Asterisk plays 250 ms as 240 or
 *     260 ms) plus one 10 ms step of measurement at each edge; the 10 % cover generators whose timing
 *     drifts.
 * Busy and reorder share 480+620 Hz and differ only in cadence (0.5 / 0.5 s against 0.25 / 0.25 s).
 */
import { detectTones } from '../../firmware/media/tone-detect.js';

export const TONE_PLANS = {
  dial: { freqs: [350, 440], onMs: 0, offMs: 0 },           // continuous
  ringback: { freqs: [440, 480], onMs: 2000, offMs: 4000 }, // 2 s on, 4 s off
  busy: { freqs: [480, 620], onMs: 500, offMs: 500 },       // 0.5 s on, 0.5 s off
  reorder: { freqs: [480, 620], onMs: 250, offMs: 250 },    // 0.25 s on, 0.25 s off
} as const;
export type PlannedTone = keyof typeof TONE_PLANS;
/** 'none': no tone; 'other': a sound made of plan frequencies whose cadence fits no plan. */
export type HeardTone = PlannedTone | 'none' | 'other';

/** Level above which a frequency counts as present. */
export const PRESENT_DBFS = -40;
/** On/off resolution of the cadence. */
const STEP_MS = 10;
/** Trimmed from each inner edge of an on-run before its frequencies are measured (edge blocks). */
const EDGE_MS = 20;
/** Shortest on-run interior that votes for the pair (below that the Goertzel bins are too wide). */
const MIN_INTERIOR_MS = 30;
/** A step is "on" within this many dB of the loudest step. */
const ON_RANGE_DB = 20;
const CANDIDATES = [350, 440, 480, 620] as const;

/** Cadence tolerance for a nominal run length: ± (40 ms + 10 %). */
export function cadenceTolerance(nominalMs: number): number { return 40 + 0.1 * nominalMs; }

export function present(samples: Int16Array, rate: number, freqs: readonly number[]): boolean {
  if (samples.length === 0) return false;
  const levels = detectTones(samples, rate, [...freqs]);
  return levels.every((l) => l.dbfs >= PRESENT_DBFS);
}

export interface Run { on: boolean; startMs: number; ms: number; complete: boolean }

/** Power of each 10 ms step as the dBFS of a sine of that power (a sine's peak level). */
function stepLevels(samples: Int16Array, rate: number): { levels: number[]; step: number } {
  const step = Math.max(1, Math.round((rate * STEP_MS) / 1000));
  const levels: number[] = [];
  for (let i = 0; i + step <= samples.length; i += step) {
    let sum = 0;
    for (let j = i; j < i + step; j++) sum += samples[j]! * samples[j]!;
    const peak = Math.sqrt((2 * sum) / step);
    levels.push(peak > 0 ? 20 * Math.log10(peak / 32767) : Number.NEGATIVE_INFINITY);
  }
  return { levels, step };
}

/** The on/off runs of the window; `complete` = bounded by the opposite state on both sides. */
export function cadenceRuns(samples: Int16Array, rate: number): Run[] {
  const { levels } = stepLevels(samples, rate);
  const loudest = Math.max(Number.NEGATIVE_INFINITY, ...levels);
  const threshold = Math.max(PRESENT_DBFS, loudest - ON_RANGE_DB);
  const runs: Run[] = [];
  for (let i = 0; i < levels.length; i++) {
    const on = levels[i]! >= threshold;
    const last = runs[runs.length - 1];
    if (last && last.on === on) last.ms += STEP_MS;
    else runs.push({ on, startMs: i * STEP_MS, ms: STEP_MS, complete: false });
  }
  for (let i = 1; i < runs.length - 1; i++) runs[i]!.complete = true;
  return runs;
}

/** The two strongest plan frequencies over the on-runs' interiors (ascending), with their levels. */
export function dominantPair(samples: Int16Array, rate: number, runs: readonly Run[]): { freqs: [number, number]; dbfs: [number, number] } | undefined {
  const power = CANDIDATES.map(() => 0);
  let total = 0;
  runs.forEach((r, i) => {
    if (!r.on) return;
    // Only edges inside the window are on/off edges; the window's own ends cut a steady tone.
    const from = r.startMs + (i > 0 ? EDGE_MS : 0);
    const to = r.startMs + r.ms - (i < runs.length - 1 ? EDGE_MS : 0);
    if (to - from < MIN_INTERIOR_MS) return;
    const seg = samples.subarray(Math.round((from * rate) / 1000), Math.round((to * rate) / 1000));
    detectTones(seg, rate, CANDIDATES).forEach((l, k) => { power[k]! += l.level * l.level * seg.length; });
    total += seg.length;
  });
  if (total === 0) return undefined;
  const ranked = CANDIDATES.map((f, i) => ({ f, level: Math.sqrt(power[i]! / total) })).sort((a, b) => b.level - a.level);
  const [a, b] = [ranked[0]!, ranked[1]!].sort((x, y) => x.f - y.f) as [typeof ranked[0], typeof ranked[0]];
  const db = (l: number): number => (l > 0 ? 20 * Math.log10(l / 32767) : Number.NEGATIVE_INFINITY);
  return { freqs: [a.f, b.f], dbfs: [db(a.level), db(b.level)] };
}

/** True when every run fits the plan's on/off lengths (complete runs ± tolerance, cut runs not longer). */
function fitsCadence(runs: readonly Run[], onMs: number, offMs: number): boolean {
  return runs.every((r) => {
    const nominal = r.on ? onMs : offMs;
    const tol = cadenceTolerance(nominal);
    return r.complete ? Math.abs(r.ms - nominal) <= tol : r.ms <= nominal + tol;
  });
}

/** Which planned tone the window contains (busy/reorder need ≥ 1 complete run: give them ≥ 1.5 s). */
export function identifyTone(samples: Int16Array, rate: number): HeardTone {
  const runs = cadenceRuns(samples, rate);
  if (!runs.some((r) => r.on)) return 'none';
  const pair = dominantPair(samples, rate, runs);
  if (!pair || pair.dbfs[1] < PRESENT_DBFS || pair.dbfs[0] < PRESENT_DBFS) {
    // Something is heard, but not two plan frequencies (the far end's voice, a beep): no call-progress tone.
    return 'none';
  }
  const [lo, hi] = pair.freqs;
  const same = (p: PlannedTone): boolean => TONE_PLANS[p].freqs[0] === lo && TONE_PLANS[p].freqs[1] === hi;
  if (same('dial')) return runs.some((r) => !r.on && r.complete) ? 'other' : 'dial';
  if (same('ringback')) return fitsCadence(runs, TONE_PLANS.ringback.onMs, TONE_PLANS.ringback.offMs) ? 'ringback' : 'other';
  if (same('busy')) {
    if (!runs.some((r) => r.complete)) return 'other'; // a cut run alone cannot tell 0.5 s from 0.25 s
    if (fitsCadence(runs, TONE_PLANS.busy.onMs, TONE_PLANS.busy.offMs)) return 'busy';
    if (fitsCadence(runs, TONE_PLANS.reorder.onMs, TONE_PLANS.reorder.offMs)) return 'reorder';
  }
  return 'other';
}

/** Dominant levels for a report: which of the plan frequencies and extra ones are present. */
export function describeHeard(samples: Int16Array, rate: number, extra: readonly number[]): string {
  const freqs = [...new Set([350, 440, 480, 620, ...extra])].sort((a, b) => a - b);
  const tail = samples.subarray(Math.max(0, samples.length - Math.round(rate * 0.2)));
  const heard = detectTones(tail, rate, freqs).filter((l) => l.dbfs >= PRESENT_DBFS).map((l) => `${l.freq} Hz`);
  return heard.length ? heard.join(', ') : 'silence';
}
