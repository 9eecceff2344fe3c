import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('SystemClock.setInterval: reuses its Node timers (refresh) instead of arming a fresh one per tick; clearing inside the callback stops it', async () => {
  const clock = new SystemClock();
  const real = globalThis.setTimeout;
  let created = 0;
  globalThis.setTimeout = ((...a: Parameters<typeof setTimeout>) => { created++; return real(...a); }) as typeof setTimeout;
  let ticks = 0;
  let stopped!: () => void;
  const done = new Promise<void>((r) => { stopped = r; });
  try {
    const h = clock.setInterval(() => { if (++ticks === 40) { clock.clearInterval(h); stopped(); } }, 1);
    await done;
  } finally { globalThis.setTimeout = real; }
  // Delays are whole ms within 0..1 (plus a resync after a stall): at most a few objects for 40 ticks.
  assert.ok(created >= 1 && created <= 3, `${created} Node timers for 40 ticks`);
  await clock.sleep(10);
  assert.equal(ticks, 40, 'no tick after clearInterval');
});

test('SystemClock.setInterval: cleared from outside, none of its timers fire again', async () => {
  const clock = new SystemClock();
  let ticks = 0;
  const h = clock.setInterval(() => { ticks++; }, 2);
  await clock.sleep(15);
  clock.clearInterval(h);
  const at = ticks;
  await clock.sleep(15);
  assert.equal(ticks, at);
  assert.ok(at >= 1);
});
