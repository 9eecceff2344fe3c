import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToneGenerator, toneSpec } from '../../firmware/media/tones.js';
import { identifyTone, onRuns, present } from '../../src/scenario/hearing.js';
import { abbreviates, softkeyUnder } from '../../src/scenario/runner.js';
import type { PhoneUnderTest } from '../../src/scenario/rig.js';

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

test('each call-progress tone is identified from its frequencies and cadence', () => {
  assert.equal(identifyTone(tone('dial', 200), RATE), 'dial');
  assert.equal(identifyTone(tone('ringback', 300), RATE), 'ringback');
  assert.equal(identifyTone(tone('busy', 1600, 200), RATE), 'busy');
  assert.equal(identifyTone(tone('reorder', 1600, 100), RATE), 'reorder');
  assert.equal(identifyTone(new Int16Array(1600), RATE), 'none');
  // Ringback during its 4 s silent phase is not "heard".
  assert.equal(identifyTone(tone('ringback', 300, 2500), RATE), 'none');
});

test('busy and reorder are told apart by their on-runs, not by frequency', () => {
  assert.deepEqual(onRuns([false, true, true, false, true, true, false]), [100, 100]);
  assert.deepEqual(onRuns([true, true, false]), []); // a run cut by the window start is not complete
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
