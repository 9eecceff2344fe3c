import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { SystemClock } from '../../../hal/bindings/system-clock.js';

test('SystemClock: sleep waits real time; cleared timers never fire', async () => {
  const clock = new SystemClock();
  const t0 = clock.now();
  let fired = false;
  const h = clock.setTimeout(() => { fired = true; }, 5);
  clock.clearTimeout(h);
  await clock.sleep(20);
  assert.ok(clock.now() - t0 >= 19, `elapsed ${clock.now() - t0}`);
  assert.equal(fired, false);
  assert.ok(Math.abs(clock.wallTime().getTime() - Date.now()) < 1000);
});

test('SystemClock.setInterval: drift-free over 2 s, on one reused Node timer (no timer allocated per tick)', async () => {
  const clock = new SystemClock();
  const timers = { created: 0 };
  // Count the Node timers made while the interval runs (async_hooks sees every Timeout).
  const hook = createHook({ init: (_id, type) => { if (type === 'Timeout') timers.created++; } }).enable();
  const every = 20; // the media tick
  const t0 = clock.now();
  let ticks = 0;
  let worst = 0;
  const h = clock.setInterval(() => { ticks++; worst = Math.max(worst, clock.now() - (t0 + ticks * every)); }, every);
  await new Promise((r) => setTimeout(r, 2000));
  clock.clearInterval(h);
  hook.disable();
  const elapsed = clock.now() - t0;
  // Drift-free: the tick count follows elapsed time (Node's own setInterval loses about 5-10 % here).
  const expected = Math.floor(elapsed / every);
  assert.ok(ticks >= expected - 3 && ticks <= expected + 1, `ticks ${ticks}, expected ~${expected} in ${elapsed.toFixed(0)} ms`);
  // A fresh setTimeout per tick made ≥ 1 Timeout per tick (~100); here only corrections make one (a
  // late wake-up of a loaded machine, about 1 in 4 ticks at load 20 on 2 cores, rare when idle).
  assert.ok(timers.created < ticks / 2, `${timers.created} Node timers for ${ticks} ticks`);
  const after = ticks;
  await new Promise((r) => setTimeout(r, 3 * every));
  assert.equal(ticks, after, 'no tick after clearInterval');
});

test('SystemClock.setInterval: the callback may clear its own interval', async () => {
  const clock = new SystemClock();
  let n = 0;
  const h = clock.setInterval(() => { n++; if (n === 3) clock.clearInterval(h); }, 2);
  for (let i = 0; i < 200 && n < 3; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(n, 3);
});
