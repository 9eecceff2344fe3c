/**
 * The built-in music-on-hold melody (used when config `moh.file` is absent): the opening of the
 * "Ode to Joy" theme (Beethoven, Symphony No. 9, 1824; public domain), two phrases in C major,
 * played with a soft bell-like voice (fundamental + a quieter octave, 15 ms attack, gentle decay,
 * 40 ms release so repeated notes are heard as two). Generated once, at 8 and 16 kHz, on demand.
 */

/** Equal-tempered pitches (A4 = 440 Hz, ISO 16): f = 440 · 2^((n − 69) / 12), n the MIDI note number. */
const midiHz = (n: number): number => 440 * Math.pow(2, (n - 69) / 12);
export const NOTE_HZ = { C4: midiHz(60), D4: midiHz(62), E4: midiHz(64), F4: midiHz(65), G4: midiHz(67) } as const;
export type NoteName = keyof typeof NOTE_HZ;

/** One beat (a crotchet) at 150 bpm: 400 ms, so every note (≥ ½ beat) is whole 20 ms RTP frames. */
export const BEAT_MS = 400;

/** [note, beats]; a phrase of 15 notes, 16 beats. */
const PHRASE_A: ReadonlyArray<readonly [NoteName, number]> = [
  ['E4', 1], ['E4', 1], ['F4', 1], ['G4', 1], ['G4', 1], ['F4', 1], ['E4', 1], ['D4', 1],
  ['C4', 1], ['C4', 1], ['D4', 1], ['E4', 1], ['E4', 1.5], ['D4', 0.5], ['D4', 2],
];
const PHRASE_B: ReadonlyArray<readonly [NoteName, number]> = [...PHRASE_A.slice(0, 12), ['D4', 1.5], ['C4', 0.5], ['C4', 2]];

export interface MelodyNote { note: NoteName; hz: number; startMs: number; ms: number }

/** The notes of one loop with their start times (the loop ends with one beat of rest). */
export const MELODY: readonly MelodyNote[] = (() => {
  const out: MelodyNote[] = [];
  let t = 0;
  for (const [note, beats] of [...PHRASE_A, ...PHRASE_B]) {
    const ms = beats * BEAT_MS;
    out.push({ note, hz: NOTE_HZ[note], startMs: t, ms });
    t += ms;
  }
  return out;
})();
export const MELODY_LOOP_MS = MELODY[MELODY.length - 1]!.startMs + MELODY[MELODY.length - 1]!.ms + BEAT_MS;

/** Peak level of the melody: −12 dBFS, well below clipping and about speech level on a phone. */
const PEAK = 32767 * Math.pow(10, -12 / 20);
const ATTACK_MS = 15;
const RELEASE_MS = 40;

/** One loop of the melody at `rate` (8000 or 16000 Hz). */
export function renderMelody(rate: number): Int16Array {
  const out = new Int16Array((MELODY_LOOP_MS * rate) / 1000);
  for (const n of MELODY) {
    const start = (n.startMs * rate) / 1000;
    const len = (n.ms * rate) / 1000;
    const att = (ATTACK_MS * rate) / 1000;
    const rel = (RELEASE_MS * rate) / 1000;
    const w = (2 * Math.PI * n.hz) / rate;
    for (let i = 0; i < len; i++) {
      // Attack ramp, exponential decay (−6 dB over a beat), linear release at the note's end.
      const env = Math.min(1, i / att, (len - i) / rel) * Math.pow(0.5, i / ((BEAT_MS * rate) / 1000));
      const v = Math.sin(w * i) + 0.25 * Math.sin(2 * w * i);
      out[start + i] = Math.round((PEAK / 1.25) * env * v);
    }
  }
  return out;
}
