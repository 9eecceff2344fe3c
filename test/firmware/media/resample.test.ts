/** 2:1 rate conversion (resample.ts): pass band kept, images/aliases removed, state across calls. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectTones } from '../../../firmware/media/tone-detect.js';
import { Downsampler2, Upsampler2, rateConverter } from '../../../firmware/media/resample.js';
import { tone } from '../../support/signals.js';

const db = (x: number) => 20 * Math.log10(x);

test('8 → 16 kHz: a 1 kHz tone keeps its level, its 7 kHz image is ≥ 50 dB down; chunking does not matter', () => {
  const x = tone(1600, 8000, 1000, 10000);
  const whole = new Int16Array(3200);
  new Upsampler2().process(x, 0, x.length, whole, 0);
  const parts = new Int16Array(3200);
  const u = new Upsampler2();
  for (let o = 0; o < 1600; o += 160) u.process(x, o, 160, parts, o * 2);   // one 20 ms period at a time
  assert.deepEqual(parts, whole);
  const [f, img] = detectTones(whole.subarray(800), 16000, [1000, 7000]);
  assert.ok(Math.abs(db(f!.level / 10000)) < 0.2, `1 kHz gain ${db(f!.level / 10000).toFixed(2)} dB`);
  assert.ok(db(img!.level / 10000) < -50, `7 kHz image ${db(img!.level / 10000).toFixed(1)} dB`);
});

test('16 → 8 kHz: 3 kHz passes (±0.5 dB), 6 kHz (would alias to 2 kHz) is ≥ 50 dB down', () => {
  for (const [freq, check] of [[3000, (g: number) => Math.abs(g) < 0.5], [6000, (g: number) => g < -50]] as const) {
    const x = tone(3200, 16000, freq, 10000);
    const y = new Int16Array(1600);
    assert.equal(new Downsampler2().process(x, 0, x.length, y, 0), 1600);
    const probe = freq === 3000 ? 3000 : 2000;
    const [l] = detectTones(y.subarray(400), 8000, [probe]);
    assert.ok(check(db(l!.level / 10000)), `${freq} Hz → ${probe} Hz at ${db(l!.level / 10000).toFixed(1)} dB`);
  }
});

test('rateConverter: none for equal rates, 2:1 either way, an error naming the rates otherwise', () => {
  assert.equal(rateConverter(8000, 8000), undefined);
  assert.ok(rateConverter(8000, 16000) instanceof Upsampler2);
  assert.ok(rateConverter(16000, 8000) instanceof Downsampler2);
  assert.throws(() => rateConverter(8000, 48000), /8000 Hz to 48000 Hz/);
});
