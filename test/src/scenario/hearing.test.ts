import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToneGenerator, toneSpec } from '../../../firmware/media/tones.js';
import { ulawDecode, ulawEncode } from '../../../firmware/media/g711.js';
import { cadenceRuns, identifyTone, present, TONE_PLANS, type HeardTone, type PlannedTone } from '../../../src/scenario/hearing.js';
import { abbreviates, softkeyUnder } from '../../../src/scenario/runner.js';
import type { PhoneUnderTest } from '../../../src/scenario/rig.js';
import { prng } from '../../support/prng.js';

const RATE = 8000;
/** `ms` of a named call-progress tone as the phone's own tone generator plays it, from `offsetMs` into its cadence. */
function tone(name: string, ms: number, offsetMs = 0): Int16Array {
  const g = new ToneGenerator(RATE);
  g.start(toneSpec(name)!);
  const skip = new Int16Array(Math.round((offsetMs * RATE) / 1000));
  if (skip.length) g.fill(skip, 0, skip.length);
  const out = new Int16Array(Math.round((ms * RATE) / 1000));
  g.fill(out, 0, out.length);
  return out;
}


/** T1.401 levels per component in dBm0 (dial −13, ringback −19, busy/reorder −24); 0 dBm0 = −3.17 dBFS (G.711). */
const LEVEL_DBM0: Record<PlannedTone, number> = { dial: -13, ringback: -19, busy: -24, reorder: -24 };

interface Recording { samples: Int16Array; expected: HeardTone; what: string }

/**
 * One synthetic recording of `name`: every on/off step ±10 % of its plan length (optionally rounded
 * to 20 ms frames, as RTP tone sources play them), each burst's component levels ±10 %, random sine
 * phases, the window starting at a random point of the cadence, optionally through G.711 µ-law,
 * with ±2 LSB of noise. `expected` is what was really in the window ('none' if no tone was on in it).
 */
function synth(name: PlannedTone, windowMs: number, rnd: () => number, round20: boolean, ulaw: boolean): Recording | undefined {
  const plan = TONE_PLANS[name];
  const jitter = (v: number): number => { const x = v * (0.9 + 0.2 * rnd()); return round20 ? Math.max(20, Math.round(x / 20) * 20) : x; };
  const period = plan.onMs + plan.offMs;
  const phaseMs = period ? rnd() * period * 1.5 : 0;
  const totalMs = phaseMs + windowMs;
  const segs: { on: boolean; from: number; to: number; amp: number[]; ph: number[] }[] = [];
  for (let t = 0, on = true; t < totalMs; on = !on) {
    const len = period ? jitter(on ? plan.onMs : plan.offMs) : totalMs;
    const amp = plan.freqs.map(() => 32767 * 10 ** ((LEVEL_DBM0[name] + 3.17) / 20) * (0.9 + 0.2 * rnd()));
    segs.push({ on, from: t, to: t + len, amp, ph: plan.freqs.map(() => rnd() * 2 * Math.PI) });
    t += len;
  }
  const n = Math.round((windowMs * RATE) / 1000);
  const out = new Int16Array(n);
  let onMs = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = phaseMs + (i * 1000) / RATE;
    while (segs[k]!.to <= t) k++;
    const s = segs[k]!;
    let v = Math.round((rnd() - 0.5) * 4);
    if (s.on) {
      onMs += 1000 / RATE;
      plan.freqs.forEach((f, j) => { v += s.amp[j]! * Math.sin(2 * Math.PI * f * (t / 1000) + s.ph[j]!); });
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  if (onMs > 0 && onMs < 100) return undefined; // a sliver of tone at the window's edge: nobody could tell
  if (ulaw) {
    const codes = new Uint8Array(n);
    ulawEncode(out, 0, n, codes, 0);
    ulawDecode(codes, 0, n, out, 0);
  }
  return { samples: out, expected: onMs > 0 ? name : 'none',
    what: `${name} window ${windowMs} ms from ${phaseMs.toFixed(0)} ms${round20 ? ', 20 ms steps' : ''}${ulaw ? ', µ-law' : ''}` };
}

test('1,200 synthetic recordings of every tone (random edge phases, ±10 % timing and level, 20 ms steps): 0 misclassified', () => {
  const rnd = prng(0x5eed);
  const cases: Array<[PlannedTone, number]> = [['dial', 200], ['dial', 1600], ['ringback', 300], ['ringback', 1600], ['busy', 1600], ['reorder', 1600]];
  const wrong: string[] = [];
  let done = 0;
  const seen = new Map<HeardTone, number>();
  while (done < 1200) {
    const [name, windowMs] = cases[done % cases.length]!;
    const r = synth(name, windowMs, rnd, (done >> 1) % 2 === 0, done % 2 === 0);
    if (!r) continue;
    done++;
    const got = identifyTone(r.samples, RATE);
    seen.set(r.expected, (seen.get(r.expected) ?? 0) + 1);
    if (got !== r.expected) wrong.push(`${r.what}: heard ${got}, expected ${r.expected}`);
  }
  assert.deepEqual(wrong, [], `${wrong.length} of ${done} misclassified:\n${wrong.slice(0, 20).join('\n')}`);
  // The set really covers every tone (and ringback's silent phase).
  for (const t of ['dial', 'ringback', 'busy', 'reorder', 'none'] as const) assert.ok((seen.get(t) ?? 0) >= 40, `${t}: ${seen.get(t)} recordings`);
});

test('each call-progress tone is identified from its frequencies and cadence', () => {
  assert.equal(identifyTone(tone('dial', 200), RATE), 'dial');
  assert.equal(identifyTone(tone('ringback', 300), RATE), 'ringback');
  assert.equal(identifyTone(tone('busy', 1600, 200), RATE), 'busy');
  assert.equal(identifyTone(tone('reorder', 1600, 100), RATE), 'reorder');
  assert.equal(identifyTone(new Int16Array(1600), RATE), 'none');
  // Ringback during its 4 s silent phase is not "heard".
  assert.equal(identifyTone(tone('ringback', 300, 2500), RATE), 'none');
});

test('busy and reorder are told apart by their run lengths; an edge cut run is not complete', () => {
  const runs = cadenceRuns(tone('busy', 1600, 200), RATE);
  assert.deepEqual(runs.map((r) => [r.on, r.complete]), [[true, false], [false, true], [true, true], [false, false]]);
  for (const r of runs.filter((x) => x.complete)) assert.ok(Math.abs(r.ms - 500) <= 20, `run of ${r.ms} ms`);
  // 480+620 Hz steady for a whole window has no cadence: it is neither busy nor reorder.
  const steady = Int16Array.from({ length: 12_800 }, (_, i) => Math.round(3000 * (Math.sin((2 * Math.PI * 480 * i) / RATE) + Math.sin((2 * Math.PI * 620 * i) / RATE))));
  assert.equal(identifyTone(steady, RATE), 'other');
  // 480+620 Hz at 1 s / 1 s fits neither cadence.
  const slow = Int16Array.from(steady, (v, i) => (Math.floor(i / 8000) % 2 === 0 ? v : 0));
  assert.equal(identifyTone(slow.subarray(4000), RATE), 'other');
});

test('the far end\'s voice (one sine) is not a call-progress tone', () => {
  const voice = Int16Array.from({ length: 3200 }, (_, i) => Math.round(3277 * Math.sin((2 * Math.PI * 1000 * i) / RATE)));
  assert.equal(identifyTone(voice, RATE), 'none');
});

test('a tone 30 dB below the threshold is not present; a -20 dBFS one is', () => {
  const quiet = Int16Array.from({ length: 1600 }, (_, i) => Math.round(10 * Math.sin((2 * Math.PI * 1000 * i) / RATE)));
  const loud = Int16Array.from({ length: 1600 }, (_, i) => Math.round(3277 * Math.sin((2 * Math.PI * 1000 * i) / RATE)));
  assert.equal(present(quiet, RATE, [1000]), false);
  assert.equal(present(loud, RATE, [1000]), true);
  assert.equal(present(loud, RATE, [1500]), false);
});

test('softkeys are found under full or abbreviated labels', () => {
  assert.ok(abbreviates('ansr', 'answer'));
  assert.ok(abbreviates('redl', 'redial'));
  assert.ok(!abbreviates('end', 'answer'));
  assert.ok(!abbreviates('nsr', 'answer'));
  const phone = { lcd: () => ['', '', '', 'Redl New  CFwd DND  '], softkeyCount: () => 4 } as unknown as PhoneUnderTest;
  assert.equal(softkeyUnder(phone, 'Redial'), 1);
  assert.equal(softkeyUnder(phone, 'NewCall'), 2);
  assert.equal(softkeyUnder(phone, 'DND'), 4);
  assert.equal(softkeyUnder(phone, 'Answer'), undefined);
});
