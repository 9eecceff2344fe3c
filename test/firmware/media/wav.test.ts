/** parseWav: reads what wavFile writes, skips foreign chunks, and explains what it cannot read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWav, wavFile } from '../../../firmware/media/wav.js';

test('round trip with wavFile; LIST chunks (odd length, padded) before data are skipped', () => {
  const x = Int16Array.from({ length: 101 }, (_, i) => (i * 653) % 65536 - 32768);
  assert.deepEqual(parseWav(wavFile(x, 16000)), { sampleRate: 16000, samples: x, truncated: false });
  const w = wavFile(x, 8000);
  const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0', 'latin1')]);
  const withList = Buffer.concat([w.subarray(0, 36), list, w.subarray(36)]);
  withList.writeUInt32LE(withList.length - 8, 4);
  assert.deepEqual(parseWav(withList).samples, x);
});

test('errors name the file and say what is wrong', () => {
  const w = wavFile(new Int16Array(4), 8000);
  assert.throws(() => parseWav(Buffer.from('hello world!'), 'a.wav'), /wav: a\.wav: not a RIFF\/WAVE file/);
  const stereo = Buffer.from(w); stereo.writeUInt16LE(2, 22);
  assert.throws(() => parseWav(stereo, 'b.wav'), /b\.wav: 2 channels, only mono.*hint: convert/);
  const float = Buffer.from(w); float.writeUInt16LE(3, 20);
  assert.throws(() => parseWav(float, 'c.wav'), /format code 3, only PCM/);
  assert.throws(() => parseWav(w.subarray(0, 36), 'd.wav'), /no "data" chunk/);
});
