/**
 * G.722 bit-exactness against ffmpeg 5.1 (adpcm_g722) both ways, plus framing invariance and a
 * no-allocation check. Oracle command lines (verified on this machine):
 *   ffmpeg -f s16le -ar 16000 -ac 1 -i in.raw -acodec g722 -f g722 out.g722
 *   ffmpeg -f g722 -i in.g722 -f s16le out.raw
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { G722Decoder, G722Encoder } from '../../../firmware/media/g722.js';
import { requireTool, run, tempDir } from '../../support/oracles.js';
import { bytesPerCall } from '../../support/alloc.js';
import { fromBuffer, fullScaleSquare, noise, prng, sweep, toBuffer } from '../../support/signals.js';

const RATE = 16000;

function ffEncode(dir: string, name: string, pcm: Int16Array): Buffer {
  const inp = join(dir, `${name}.raw`);
  const out = join(dir, `${name}.g722`);
  writeFileSync(inp, toBuffer(pcm));
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 's16le', '-ar', '16000', '-ac', '1', '-i', inp,
    '-acodec', 'g722', '-f', 'g722', out]);
  return readFileSync(out);
}

function ffDecode(dir: string, name: string, codes: Uint8Array): Int16Array {
  const inp = join(dir, `${name}.in.g722`);
  const out = join(dir, `${name}.dec.raw`);
  writeFileSync(inp, codes);
  run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'g722', '-i', inp, '-f', 's16le', out]);
  return fromBuffer(readFileSync(out));
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  let n = 0; let first = -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { n++; if (first < 0) first = i; }
  return n === 0 ? '' : `${n} mismatches, first at ${first}: ours ${a[first]} ffmpeg ${b[first]}`;
}

const signals: Array<[string, Int16Array]> = [
  ['sweep', sweep(RATE * 2, RATE, 50, 7900, 29000)],
  ['noise', noise(RATE * 2, 0x5eed, 20000)],
  ['silence', new Int16Array(RATE)],
  ['fullscale', fullScaleSquare(RATE, 40)],
  ['loudnoise', noise(RATE, 0xbeef, 32767)],
];

test('G.722 encoder is bit-exact with ffmpeg adpcm_g722', (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tempDir('g722enc');
  for (const [name, pcm] of signals) {
    const ref = ffEncode(dir, name, pcm);
    const ours = new Uint8Array(pcm.length >> 1);
    const enc = new G722Encoder();
    assert.equal(enc.encode(pcm, 0, pcm.length, ours, 0), pcm.length >> 1);
    assert.equal(firstDiff(ours, ref), '', `encoder vs ffmpeg on '${name}'`);
  }
});

test('G.722 decoder is bit-exact with ffmpeg on encoded signals and on random code bytes', (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const dir = tempDir('g722dec');
  const r = prng(42);
  const random = new Uint8Array(16000);
  for (let i = 0; i < random.length; i++) random[i] = (r() * 256) | 0;
  const streams: Array<[string, Uint8Array]> = [['random', random]];
  for (const [name, pcm] of signals) {
    const codes = new Uint8Array(pcm.length >> 1);
    new G722Encoder().encode(pcm, 0, pcm.length, codes, 0);
    streams.push([name, codes]);
  }
  for (const [name, codes] of streams) {
    const ref = ffDecode(dir, name, codes);
    const ours = new Int16Array(codes.length * 2);
    assert.equal(new G722Decoder().decode(codes, 0, codes.length, ours, 0), codes.length * 2);
    assert.equal(firstDiff(ours, ref), '', `decoder vs ffmpeg on '${name}'`);
  }
});

test('G.722 state carries across frames: 20 ms frames equal one-shot coding', () => {
  const pcm = noise(RATE, 7, 12000);
  const whole = new Uint8Array(pcm.length >> 1);
  new G722Encoder().encode(pcm, 0, pcm.length, whole, 0);
  const framed = new Uint8Array(pcm.length >> 1);
  const enc = new G722Encoder();
  for (let off = 0; off < pcm.length; off += 320) enc.encode(pcm, off, 320, framed, off >> 1);  // 20 ms = 320 samples
  assert.deepEqual(framed, whole);
  const dec = new G722Decoder();
  const a = new Int16Array(pcm.length);
  for (let off = 0; off < whole.length; off += 160) dec.decode(whole, off, 160, a, off * 2);
  const b = new Int16Array(pcm.length);
  new G722Decoder().decode(whole, 0, whole.length, b, 0);
  assert.deepEqual(a, b);
  // reset() returns to the initial state: the same input codes the same again
  enc.reset();
  const again = new Uint8Array(160);
  enc.encode(pcm, 0, 320, again, 0);
  assert.deepEqual(again, whole.subarray(0, 160));
});

test('G.722 round trip keeps a 1 kHz tone (SNR > 35 dB after the QMF delay)', () => {
  const n = RATE;
  const pcm = sweep(n, RATE, 1000, 1000.0001, 16000);
  const codes = new Uint8Array(n >> 1);
  new G722Encoder().encode(pcm, 0, n, codes, 0);
  const out = new Int16Array(n);
  new G722Decoder().decode(codes, 0, codes.length, out, 0);
  // Transmit + receive QMF: two 24-tap linear-phase FIRs, 2 × 11.5 = 23 taps of group delay,
  // less one for the decoder's output order within a pair (measured: peak SNR at 22).
  const delay = 22;
  let sig = 0; let err = 0;
  for (let i = 2000; i < n - delay; i++) { sig += pcm[i]! ** 2; err += (out[i + delay]! - pcm[i]!) ** 2; }
  const snr = 10 * Math.log10(sig / err);
  assert.ok(snr > 35, `SNR ${snr.toFixed(1)} dB`);
});

test('G.722 encode/decode allocate nothing per frame', () => {
  const enc = new G722Encoder(); const dec = new G722Decoder();
  const pcm = noise(320, 3, 10000); const codes = new Uint8Array(160); const out = new Int16Array(320);
  const perFrame = bytesPerCall(() => { enc.encode(pcm, 0, 320, codes, 0); dec.decode(codes, 0, 160, out, 0); }, 300);
  // A single boxed number or typed-array view per frame would show as ≥ 16 B.
  assert.ok(perFrame < 2, `G.722 allocates ${perFrame.toFixed(2)} B per 20 ms frame`);
  // The meter itself can fail: a frame that allocates a view is seen.
  let sink: Int16Array | undefined;
  const leaky = bytesPerCall(() => { sink = new Int16Array(8); dec.decode(codes, 0, 160, sink.length ? out : sink, 0); }, 300);
  assert.ok(leaky >= 16, `meter blind: a new array per frame measured ${leaky.toFixed(2)} B`);
  assert.ok(sink);
});

test('G722 registry entry: PT 9, 16 kHz audio, 8000 Hz RTP clock, SCCP 6, per-stream instances', async () => {
  const { codecByName, codecByPayloadType, G722 } = await import('../../../firmware/media/codecs.js');
  const { codecOfCompressionType } = await import('../../../firmware/sccp/codecs.js');
  assert.equal(codecByPayloadType(9), G722);
  assert.equal(codecOfCompressionType(6), G722);
  assert.equal(codecByName('g722'), G722);
  assert.equal(G722.sampleRate, 16000);
  assert.equal(G722.clockRate, 8000);
  assert.equal(G722.tsPerMs * 20, 160);             // RFC 3551 §4.5.2: +160 per 20 ms
  assert.equal(G722.payloadBytes(20), 160);
  assert.equal(G722.samplesPerMs * 20, 320);
  // Two instances keep separate state: interleaving two streams equals coding each alone.
  const a = G722.instance!(); const b = G722.instance!();
  const x = noise(640, 1, 9000); const y = noise(640, 2, 9000);
  const ax = new Uint8Array(320); const by = new Uint8Array(320);
  for (let off = 0; off < 640; off += 320) { a.encode(x, off, 320, ax, off >> 1); b.encode(y, off, 320, by, off >> 1); }
  const ref = new Uint8Array(320);
  new G722Encoder().encode(x, 0, 640, ref, 0);
  assert.deepEqual(ax, ref);
  a.resetState!();
  const again = new Uint8Array(160);
  a.encode(x, 0, 320, again, 0);
  assert.deepEqual(again, ref.subarray(0, 160));
});
