/**
 * G.711 against the external tools themselves (docs/media.md "External peers and checkers"): encoder bit-exact with
 * `sox -D` over all 65,536 inputs, decoders equal to sox and ffmpeg for all 256 codes.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { alawDecode, alawEncode, ulawDecode, ulawEncode } from '../../../firmware/media/g711.js';
import { PCMA, PCMU, codecByName, codecByPayloadType } from '../../../firmware/media/codecs.js';
import { codecOfCompressionType } from '../../../firmware/sccp/codecs.js';
import { requireTool, run, tempDir } from '../../support/oracles.js';

const RAMP = new Int16Array(65536).map((_, i) => i - 32768);
const CODES = Uint8Array.from({ length: 256 }, (_, i) => i);

function rawS16(samples: Int16Array): Buffer {
  const b = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i]!, i * 2);
  return b;
}
function fromS16(b: Buffer): Int16Array {
  const out = new Int16Array(b.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = b.readInt16LE(i * 2);
  return out;
}
function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>, label: (i: number) => string): string | undefined {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  let n = 0; let first = -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { n++; if (first < 0) first = i; }
  return n === 0 ? undefined : `${n} mismatches, first at ${label(first)}: ours ${a[first]} vs tool ${b[first]}`;
}

for (const [law, enc, encoding] of [['µ-law', ulawEncode, 'u-law'], ['A-law', alawEncode, 'a-law']] as const) {
  test(`${law} encoder is bit-exact with sox -D over all 65,536 inputs`, (t) => {
    if (!requireTool(t, 'sox')) return;
    const dir = tempDir('g711');
    writeFileSync(join(dir, 'in.raw'), rawS16(RAMP));
    // -D: no dither (SoX dithers by default when reducing to 13/14 bits, not repeatably).
    run('sox', ['-D', '-t', 'raw', '-r', '8000', '-e', 'signed', '-b', '16', '-c', '1', join(dir, 'in.raw'),
      '-t', 'raw', '-e', encoding, '-b', '8', join(dir, 'out.raw')]);
    const ref = readFileSync(join(dir, 'out.raw'));
    const ours = new Uint8Array(65536);
    assert.equal(enc(RAMP, 0, RAMP.length, ours, 0), 65536);
    const bad = firstMismatch(ours, ref, (i) => `input ${RAMP[i]}`);
    assert.equal(bad, undefined, `${law} vs sox -D: ${bad}`);
  });
}

for (const [law, dec, soxEnc, ffFmt] of [['µ-law', ulawDecode, 'u-law', 'mulaw'], ['A-law', alawDecode, 'a-law', 'alaw']] as const) {
  test(`${law} decoder equals sox and ffmpeg for all 256 codes`, (t) => {
    if (!requireTool(t, 'sox') || !requireTool(t, 'ffmpeg')) return;
    const dir = tempDir('g711d');
    writeFileSync(join(dir, 'codes.raw'), CODES);
    run('sox', ['-t', 'raw', '-r', '8000', '-e', soxEnc, '-b', '8', '-c', '1', join(dir, 'codes.raw'),
      '-t', 'raw', '-e', 'signed', '-b', '16', join(dir, 'sox.s16')]);
    run('ffmpeg', ['-loglevel', 'error', '-y', '-f', ffFmt, '-ar', '8000', '-ac', '1', '-i', join(dir, 'codes.raw'),
      '-f', 's16le', join(dir, 'ff.s16')]);
    const ours = new Int16Array(256);
    assert.equal(dec(CODES, 0, 256, ours, 0), 256);
    for (const [tool, file] of [['sox', 'sox.s16'], ['ffmpeg', 'ff.s16']]) {
      const bad = firstMismatch(ours, fromS16(readFileSync(join(dir, file!))), (i) => `code 0x${i.toString(16)}`);
      assert.equal(bad, undefined, `${law} decode vs ${tool}: ${bad}`);
    }
  });
}

test('encode/decode write only the requested ranges', () => {
  const pcm = Int16Array.from([0, 1000, -1000, 32767, -32768]);
  const out = new Uint8Array(9).fill(0xee);
  ulawEncode(pcm, 1, 3, out, 2);
  assert.deepEqual([out[0], out[1], out[5], out[6]], [0xee, 0xee, 0xee, 0xee]);
  const back = new Int16Array(7).fill(7);
  ulawDecode(out, 2, 3, back, 2);
  assert.deepEqual([back[0], back[1], back[5], back[6]], [7, 7, 7, 7]);
  // round trip is within one µ-law step: 1000 lies in a segment of step 32 (16-bit units)
  assert.ok(Math.abs(back[2]! - 1000) <= 32, `1000 → ${back[2]}`);
  assert.ok(Math.abs(back[3]! + 1000) <= 32, `-1000 → ${back[3]}`);
  const a = new Uint8Array(5);
  alawEncode(pcm, 0, 5, a, 0);
  const ab = new Int16Array(5);
  alawDecode(a, 0, 5, ab, 0);
  assert.ok(Math.abs(ab[1]! - 1000) <= 32 && Math.abs(ab[2]! + 1000) <= 32, `A-law 1000 → ${ab[1]}, -1000 → ${ab[2]}`);
});

test('codec registry: lookups by name, payload type and SCCP compression type', () => {
  assert.equal(codecByName('pcmu'), PCMU);
  assert.equal(codecByPayloadType(8), PCMA);
  assert.equal(codecOfCompressionType(4), PCMU);   // docs/sccp.md §4: 4 = G.711 µ-law 64k
  assert.equal(codecOfCompressionType(2), PCMA);   // 2 = G.711 A-law 64k
  assert.equal(codecByName('G729'), undefined);
  assert.equal(PCMU.payloadBytes(20), 160);
  assert.equal(PCMA.payloadType, 8);
});
