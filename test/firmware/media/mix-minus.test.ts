/** mixMinusOne: each output is the sum of the other inputs, saturated to 16 bits, clipping counted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixMinusOne } from '../../../firmware/media/mix-minus.js';

test('N−1: every output is the sum of all the other inputs (checked against a plain loop)', () => {
  let seed = 7;
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed % 20001) - 10000; };
  for (const count of [1, 2, 3, 6]) {
    const n = 160;
    const inputs = Array.from({ length: count }, () => Int16Array.from({ length: n }, rnd));
    const outputs = Array.from({ length: count }, () => new Int16Array(n).fill(1234));
    const clipped = mixMinusOne(inputs, outputs, count, n, new Int32Array(n));
    let expectClip = 0;
    for (let p = 0; p < count; p++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let q = 0; q < count; q++) if (q !== p) s += inputs[q]![i]!;
        const sat = Math.max(-32768, Math.min(32767, s));
        if (sat !== s) expectClip++;
        assert.equal(outputs[p]![i], sat, `count ${count}, participant ${p}, sample ${i}`);
      }
    }
    assert.equal(clipped, expectClip);
    if (count === 1) assert.ok(outputs[0]!.every((x) => x === 0), 'alone: silence');
  }
});

test('saturation: loud inputs clip at ±32767/−32768 and are counted; only n samples are touched', () => {
  const a = new Int16Array(4).fill(30000);
  const b = new Int16Array(4).fill(30000);
  const c = new Int16Array(4).fill(-30000);
  const outs = [new Int16Array(4), new Int16Array(4), new Int16Array(4)];
  const clipped = mixMinusOne([a, b, c], outs, 3, 3, new Int32Array(4));
  assert.deepEqual([...outs[0]!], [0, 0, 0, 0]);          // b + c
  assert.deepEqual([...outs[2]!], [32767, 32767, 32767, 0]); // a + b = 60000 → clipped
  assert.equal(clipped, 3);
  const neg = [new Int16Array(2).fill(-30000), new Int16Array(2).fill(-30000), new Int16Array(2)];
  const o = [new Int16Array(2), new Int16Array(2), new Int16Array(2)];
  assert.equal(mixMinusOne(neg, o, 3, 2, new Int32Array(2)), 2);
  assert.deepEqual([...o[2]!], [-32768, -32768]);
});
