/**
 * `hears: music` (src/scenario/music.ts): the built-in melody through µ-law is music at every point
 * of its loop; silence, a phone's microphone tone, the call-progress tones and a steady sine are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToneGenerator, toneSpec } from '../../../firmware/media/tones.js';
import { ulawDecode, ulawEncode } from '../../../firmware/media/g711.js';
import { renderMelody, MELODY_LOOP_MS } from '../../../callmanager/media/melody.js';
import { musicHeard, MUSIC_WINDOW_MS } from '../../../src/scenario/music.js';

const RATE = 8000;
const N = (MUSIC_WINDOW_MS * RATE) / 1000;
const MICS = [1000, 1500, 2000];

function ulaw(x: Int16Array): Int16Array {
  const codes = new Uint8Array(x.length); const out = new Int16Array(x.length);
  ulawEncode(x, 0, x.length, codes, 0); ulawDecode(codes, 0, x.length, out, 0);
  return out;
}
function sine(hz: number, dbfs: number, n = N): Int16Array {
  const a = 32767 * Math.pow(10, dbfs / 20);
  return Int16Array.from({ length: n }, (_, i) => Math.round(a * Math.sin((2 * Math.PI * hz * i) / RATE)));
}
function tone(name: string, n = N): Int16Array {
  const g = new ToneGenerator(RATE);
  g.start(toneSpec(name)!);
  const out = new Int16Array(n);
  g.fill(out, 0, n);
  return out;
}

test('the melody through µ-law is music wherever the window starts in its loop (every 100 ms)', () => {
  const loop = ulaw(renderMelody(RATE));
  const twice = new Int16Array(2 * loop.length);
  twice.set(loop); twice.set(loop, loop.length);
  for (let ms = 0; ms < MELODY_LOOP_MS; ms += 100) {
    const v = musicHeard(twice.subarray((ms * RATE) / 1000, (ms * RATE) / 1000 + N), RATE, MICS);
    assert.ok(v.music, `at ${ms} ms: ${v.why}`);
  }
});

test('the melody mixed under a quieter phone tone is still music; the phone tone alone is not', () => {
  const m = renderMelody(RATE).subarray(0, N);
  const mic = sine(1000, -30);
  assert.ok(musicHeard(m.map((v, i) => v + mic[i]!), RATE, MICS).music);
  const v = musicHeard(ulaw(sine(1000, -10)), RATE, MICS);
  assert.equal(v.music, false);
  assert.match(v.why, /100 % of the sound is a known tone/);
});

test('silence, low noise and a short burst are not music', () => {
  assert.equal(musicHeard(new Int16Array(N), RATE, MICS).music, false);
  assert.equal(musicHeard(Int16Array.from({ length: N }, (_, i) => (i % 7) - 3), RATE, MICS).music, false);
  const burst = new Int16Array(N); burst.set(renderMelody(RATE).subarray(0, N / 4));
  const v = musicHeard(burst, RATE, MICS);
  assert.equal(v.music, false);
  assert.match(v.why, /sound in \d+ %/);
  assert.equal(musicHeard(new Int16Array(0), RATE, MICS).music, false);
});

test('call-progress tones (dial, ringback, busy, reorder, call waiting) are not music', () => {
  for (const name of ['dial', 'ringback', 'busy', 'reorder', 'callwaiting']) {
    const v = musicHeard(ulaw(tone(name)), RATE, MICS);
    assert.equal(v.music, false, `${name}: ${v.why}`);
  }
});

test('a steady sine of no known tone is not music; the same pitch fading is', () => {
  const v = musicHeard(sine(700, -12), RATE, MICS);
  assert.equal(v.music, false);
  assert.match(v.why, /steady/);
  const fading = sine(700, -12).map((x, i) => Math.round(x * Math.pow(0.5, i / (0.4 * RATE))));
  assert.ok(musicHeard(fading, RATE, MICS).music);
});

test('at 16 kHz (a G.722 earpiece) the melody is music', () => {
  const m = renderMelody(16000);
  assert.ok(musicHeard(m.subarray(0, 2 * N), 16000, MICS).music);
});
