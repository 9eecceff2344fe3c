/**
 * Plc (G.711 Appendix I style) on a 1 kHz tone with 10 % seeded random frame loss: with PLC the
 * tone stays detectable in every 20 ms frame; the same loss played as silence leaves gaps.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PCMU } from '../../../firmware/media/codecs.js';
import { detectTones } from '../../../firmware/media/tone-detect.js';
import { Plc } from '../../../firmware/media/plc.js';
import { bytesPerCall } from '../../support/alloc.js';
import { prng, tone } from '../../support/signals.js';

const FRAME = 160;          // 20 ms at 8 kHz
const FRAMES = 400;         // 8 s

function lossPattern(seed: number, rate: number, n: number): boolean[] {
  const r = prng(seed);
  const lost: boolean[] = [];
  for (let i = 0; i < n; i++) lost.push(i >= 5 && r() < rate);    // first 100 ms clean (history)
  return lost;
}

/** Decoded G.711 stream of a 1 kHz tone, frame by frame, with lost frames concealed or silent. */
function play(lost: boolean[], usePlc: boolean): Int16Array {
  const pcm = tone(FRAMES * FRAME, 8000, 1000, 12000);
  const codes = new Uint8Array(pcm.length);
  PCMU.encode(pcm, 0, pcm.length, codes, 0);
  const out = new Int16Array(pcm.length);
  const plc = new Plc(8000);
  const frame = new Int16Array(FRAME);
  for (let f = 0; f < FRAMES; f++) {
    if (lost[f]) {
      if (usePlc) plc.conceal(frame); else frame.fill(0);
    } else {
      PCMU.decode(codes, f * FRAME, FRAME, frame, 0);
      if (usePlc) plc.good(frame);
    }
    out.set(frame, f * FRAME);
  }
  return out;
}

function frameLevelsDb(x: Int16Array): number[] {
  const db: number[] = [];
  for (let f = 0; f < FRAMES; f++) db.push(detectTones(x.subarray(f * FRAME, (f + 1) * FRAME), 8000, [1000])[0]!.dbfs);
  return db;
}

test('PLC keeps a 1 kHz tone detectable through 10 % random loss; silence substitution does not', () => {
  const lost = lossPattern(0xc0ffee, 0.1, FRAMES);
  const nLost = lost.filter(Boolean).length;
  let runs2 = 0;
  for (let i = 1; i < FRAMES; i++) if (lost[i] && lost[i - 1]) runs2++;
  assert.ok(nLost >= 25 && nLost <= 60, `pattern has ${nLost} losses`);
  assert.ok(runs2 >= 1, 'pattern should contain back-to-back losses');
  const ref = 20 * Math.log10(12000 / 32767);                            // −8.7 dBFS
  const withPlc = frameLevelsDb(play(lost, true));
  const without = frameLevelsDb(play(lost, false));
  const weakPlc = withPlc.filter((d) => d < ref - 20).length;
  const gaps = without.filter((d) => d < ref - 20).length;
  assert.equal(weakPlc, 0, `with PLC ${weakPlc} frames lose the tone (min ${Math.min(...withPlc).toFixed(1)} dBFS)`);
  assert.equal(gaps, nLost, 'without PLC every lost frame is a gap');
  // Concealed frames of a single loss are close to the original level (first 10 ms unattenuated).
  for (let f = 1; f < FRAMES - 1; f++) {
    if (lost[f] && !lost[f - 1] && !lost[f + 1]) {
      assert.ok(withPlc[f]! > ref - 3, `isolated lost frame ${f} at ${withPlc[f]!.toFixed(1)} dBFS`);
    }
  }
});

test('PLC follows App I: 60 ms of erasure fades to silence; a good frame resumes the signal', () => {
  const plc = new Plc(8000);
  const good = tone(FRAME, 8000, 1000, 10000);
  for (let i = 0; i < 5; i++) plc.good(tone(FRAME, 8000, 1000, 10000, i * FRAME));
  const out = new Int16Array(FRAME);
  const levels: number[] = [];
  for (let f = 0; f < 4; f++) { plc.conceal(out); levels.push(Math.max(...out.map(Math.abs))); }
  assert.ok(levels[0]! > 9000, `first concealed frame peak ${levels[0]}`);
  assert.ok(levels[1]! < levels[0]!, 'attenuating in 20..40 ms');
  assert.equal(levels[3], 0, '60..80 ms is silent');
  assert.equal(plc.stats.erasures, 1);
  assert.equal(plc.stats.concealedSamples, 4 * FRAME);
  const resume = good.slice();
  plc.good(resume);
  assert.equal(plc.erasing, false);
  // Past the end-of-erasure cross-fade, the good frame passes through unchanged.
  assert.deepEqual(resume.subarray(100), good.subarray(100));
});

test('PLC finds the pitch of a periodic signal (repetition error small vs the real continuation)', () => {
  const plc = new Plc(8000);
  // 133.3 Hz sawtooth-like harmonic signal: period 60 samples.
  const sig = new Int16Array(FRAME * 6);
  for (let i = 0; i < sig.length; i++) {
    const ph = (2 * Math.PI * i) / 60;
    sig[i] = Math.round(6000 * Math.sin(ph) + 3000 * Math.sin(2 * ph) + 1500 * Math.sin(3 * ph));
  }
  for (let f = 0; f < 5; f++) plc.good(sig.subarray(f * FRAME, (f + 1) * FRAME).slice());
  const out = new Int16Array(80);                      // first 10 ms: no attenuation yet
  plc.conceal(out);
  let err = 0; let pow = 0;
  for (let i = 0; i < 80; i++) { const r = sig[5 * FRAME + i]!; err += (out[i]! - r) ** 2; pow += r * r; }
  assert.ok(10 * Math.log10(pow / err) > 20, `repetition SNR ${(10 * Math.log10(pow / err)).toFixed(1)} dB`);
});

test('PLC allocates nothing in steady state (good and concealed frames)', () => {
  const plc = new Plc(16000);
  const f = tone(320, 16000, 700, 9000);
  let k = 0;
  const per = bytesPerCall(() => { if ((k++ & 7) === 3) plc.conceal(f); else plc.good(f); });
  assert.ok(per < 2, `PLC allocates ${per.toFixed(2)} B per frame`);
});

test('PLC rejects unsupported rates with context', () => {
  assert.throws(() => new Plc(44100), /plc: unsupported sample rate 44100/);
});
