import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';

test('timers fire in time order, ties in scheduling order', async () => {
  const c = new VirtualClock();
  const seen: string[] = [];
  c.setTimeout(() => seen.push(`b@${c.now()}`), 20);
  c.setTimeout(() => seen.push(`a@${c.now()}`), 10);
  c.setTimeout(() => seen.push(`c@${c.now()}`), 20);
  await c.advance(15);
  assert.deepEqual(seen, ['a@10']);
  assert.equal(c.now(), 15);
  await c.advance(5);
  assert.deepEqual(seen, ['a@10', 'b@20', 'c@20']);
  assert.equal(c.pending(), 0);
});

test('sleep chains progress within one advance; intervals repeat; clear works', async () => {
  const c = new VirtualClock({ startDate: new Date('2025-03-01T12:00:00Z') });
  const marks: number[] = [];
  const chain = (async () => { await c.sleep(5); marks.push(c.now()); await c.sleep(5); marks.push(c.now()); })();
  let ticks = 0;
  const h = c.setInterval(() => { ticks++; }, 3);
  await c.advance(12);
  await chain;
  assert.deepEqual(marks, [5, 10]);
  assert.equal(ticks, 4); // 3, 6, 9, 12
  c.clearInterval(h);
  await c.advance(10);
  assert.equal(ticks, 4);
  assert.equal(c.wallTime().toISOString(), '2025-03-01T12:00:00.022Z');
});

test('a throwing timer does not stop time; the error is rethrown', async () => {
  const c = new VirtualClock();
  let later = false;
  c.setTimeout(() => { throw new Error('boom'); }, 1);
  c.setTimeout(() => { later = true; }, 2);
  await assert.rejects(c.advance(5), /boom/);
  assert.equal(later, true);
  assert.equal(c.now(), 5);
});
