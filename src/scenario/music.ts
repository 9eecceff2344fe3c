/**
 * "Is music on hold heard?" from earpiece samples (docs/scenarios.md "Music on hold"). Music here
 * is sound that is
 *  1. sustained: at least 60 % of the window's 10 ms steps above PRESENT_DBFS (the built-in melody
 *     is silent only in its release gaps and its one-beat rest at the loop's end);
 *  2. not a known tone: in at least 60 % of the sounding 100 ms blocks, less than half the block's
 *     power is in one known tone (Goertzel, 100 ms blocks: ~20 Hz wide) — a phone's microphone
 *     frequency, a call-progress pair (dial 350+440, ringback 440+480, busy/reorder 480+620 Hz,
 *     each component carrying ≥ 15 % of the power) or the call-waiting 440 Hz. A pair must be a
 *     pair: the melody's F4 (349 Hz) alone is not dial tone;
 *  3. moving: the sounding steps' levels span at least 3 dB, or the blocks' strongest semitone
 *     (100–2000 Hz) takes at least two values. A steady sine of any pitch is not music; the melody
 *     decays 6 dB over every beat and changes note every 200–800 ms.
 */
import { detectTones } from '../../firmware/media/tone-detect.js';
import { PRESENT_DBFS, TONE_PLANS } from './hearing.js';

export interface MusicVerdict { music: boolean; why: string }

/** The window `hears: music` listens to unless `window:` says otherwise. */
export const MUSIC_WINDOW_MS = 1500;
const STEP_MS = 10;
const BLOCK_MS = 100;
const SUSTAINED = 0.6;
const UNEXPLAINED = 0.6;
const MOVING_DB = 3;
/** Semitones from 100 Hz (≈ G2) to 2000 Hz: the candidate pitches of a block. */
const PITCHES = Array.from({ length: 52 }, (_, i) => 100 * Math.pow(2, i / 12));
/** Call-progress tones as sets of components: the plan's pairs and call waiting's 440 Hz alone. */
const PLAN_SETS: readonly (readonly number[])[] = [...Object.values(TONE_PLANS).map((p) => p.freqs), [440]];
/** Share of a block's power each component of a known tone must carry. */
const COMPONENT_SHARE = 0.15;

function dbOfPower(meanSquare: number): number {
  const peak = Math.sqrt(2 * meanSquare); // a sine of this mean square has this peak
  return peak > 0 ? 20 * Math.log10(peak / 32767) : Number.NEGATIVE_INFINITY;
}

function meanSquare(x: Int16Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length ? s / x.length : 0;
}

/** Judges `samples` at `rate`; `exclude` = the phones' microphone frequencies. */
export function musicHeard(samples: Int16Array, rate: number, exclude: readonly number[]): MusicVerdict {
  const step = Math.round((rate * STEP_MS) / 1000);
  const levels: number[] = [];
  for (let i = 0; i + step <= samples.length; i += step) levels.push(dbOfPower(meanSquare(samples.subarray(i, i + step))));
  if (levels.length === 0) return { music: false, why: 'no audio' };
  const on = levels.filter((l) => l >= PRESENT_DBFS);
  const sustained = on.length / levels.length;
  if (sustained < SUSTAINED) return { music: false, why: `sound in ${(100 * sustained).toFixed(0)} % of the window (music: ≥ ${100 * SUSTAINED} %)` };

  const sets = [...PLAN_SETS, ...exclude.map((f) => [f])];
  const freqs = [...new Set(sets.flat())];
  const block = Math.round((rate * BLOCK_MS) / 1000);
  let sounding = 0; let unexplained = 0;
  const pitches = new Set<number>();
  for (let i = 0; i + block <= samples.length; i += block) {
    const seg = samples.subarray(i, i + block);
    const power = meanSquare(seg);
    if (dbOfPower(power) < PRESENT_DBFS) continue;
    sounding++;
    const at = new Map(detectTones(seg, rate, freqs).map((l) => [l.freq, (l.level * l.level) / 2] as const));
    const known = Math.max(...sets.map((set) => set.every((f) => at.get(f)! >= COMPONENT_SHARE * power) ? set.reduce((s, f) => s + at.get(f)!, 0) : 0));
    if (known >= 0.5 * power) continue;
    unexplained++;
    const levelsP = detectTones(seg, rate, PITCHES);
    let best = 0;
    for (let k = 1; k < levelsP.length; k++) if (levelsP[k]!.level > levelsP[best]!.level) best = k;
    pitches.add(best);
  }
  const share = sounding ? unexplained / sounding : 0;
  if (share < UNEXPLAINED) {
    return { music: false, why: `${(100 * (1 - share)).toFixed(0)} % of the sound is a known tone (a phone's ${exclude.join('/')} Hz or a call-progress tone)` };
  }
  const span = Math.max(...on) - Math.min(...on);
  if (span < MOVING_DB && pitches.size < 2) return { music: false, why: `a steady sound (level within ${span.toFixed(1)} dB, one pitch): not music` };
  return { music: true, why: `music (sound in ${(100 * sustained).toFixed(0)} % of the window, ${pitches.size} pitch(es), levels span ${span.toFixed(1)} dB)` };
}
