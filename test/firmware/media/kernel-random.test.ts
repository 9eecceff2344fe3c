import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillRandom } from '../../../firmware/media/kernel-random.js';

test('fillRandom: three words from the kernel differ from call to call and are not all zero', () => {
  const seen = new Set<string>();
  const w = new Uint32Array(3);
  for (let i = 0; i < 50; i++) {
    fillRandom(w);
    seen.add(Array.from(w).join(','));
  }
  assert.equal(seen.size, 50);                        // 96 random bits: a repeat in 50 draws means a broken source
  let ones = 0;
  for (const s of seen) for (const x of s.split(',')) ones += Number(x).toString(2).replace(/0/g, '').length;
  const bits = 50 * 96;
  assert.ok(ones > bits * 0.45 && ones < bits * 0.55, `${ones} of ${bits} bits set`);  // ~50 % ± 10 σ
});

test('fillRandom: reads the words at the view\'s offset, byte for byte from the source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rand-'));
  const f = join(dir, 'bytes');
  writeFileSync(f, Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]));
  const backing = new Uint32Array(5);
  fillRandom(backing.subarray(1, 4), f);
  const le = new DataView(backing.buffer);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => le.getUint32(i * 4, true)), [0, 1, 2, 0xffffffff, 0]);
});

test('fillRandom: a short or missing source is an error naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rand-'));
  const short = join(dir, 'short');
  writeFileSync(short, Buffer.from([1, 2, 3]));
  assert.throws(() => fillRandom(new Uint32Array(3), short), (e: Error) => e.message.includes(short) && /ended after 3 of 12 bytes/.test(e.message));
  const missing = join(dir, 'none');
  assert.throws(() => fillRandom(new Uint32Array(3), missing), (e: Error) => e.message.includes(missing) && /cannot open/.test(e.message));
});
