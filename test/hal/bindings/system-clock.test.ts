import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

test('SystemClock.setInterval: intervals of one period share one Node timer and one wake-up; a member joining mid-pass waits for the next pass', async () => {
  const clock = new SystemClock();
  const real = globalThis.setTimeout;
  let created = 0;
  globalThis.setTimeout = ((...a: Parameters<typeof setTimeout>) => { created++; return real(...a); }) as typeof setTimeout;
  const order: string[] = [];
  let late: ReturnType<typeof clock.setInterval> | undefined;
  let lateJoinedAt = -1;
  let passes = 0;
  let stopped!: () => void;
  const done = new Promise<void>((r) => { stopped = r; });
  let a: ReturnType<typeof clock.setInterval>;
  let b: ReturnType<typeof clock.setInterval>;
  try {
    a = clock.setInterval(() => {
      order.push('a');
      passes++;
      if (passes === 3) { late = clock.setInterval(() => order.push('late'), 2); lateJoinedAt = order.length; }
      if (passes === 12) stopped();
    }, 2);
    b = clock.setInterval(() => { order.push('b'); }, 2);
    await done;
  } finally { globalThis.setTimeout = real; }
  clock.clearInterval(a!); clock.clearInterval(b!); clock.clearInterval(late);
  assert.ok(created <= 4, `${created} Node timers for three intervals of 2 ms over 12 passes`);
  assert.deepEqual(order.slice(0, 6), ['a', 'b', 'a', 'b', 'a', 'b'], 'a and b run together, in join order');
  assert.equal(order[lateJoinedAt], 'b', 'the joining interval did not run in the pass it joined in');
  assert.equal(order[lateJoinedAt + 3], 'late', 'it runs from the next pass on, after the earlier members');
});

test('SystemClock.setInterval: a throwing member does not stop the others of its period; clearing one leaves the rest running', () => {
  // In a child process: the test runner would take the timer's uncaught error as this test's failure.
  const script = `
    import { SystemClock } from ${JSON.stringify(new URL('../../../hal/bindings/system-clock.js', import.meta.url).href)};
    const clock = new SystemClock();
    let ok = 0, errors = 0;
    process.on('uncaughtException', (e) => { if (e.message === 'boom') errors++; else throw e; });
    const bad = clock.setInterval(() => { throw new Error('boom'); }, 2);
    const good = clock.setInterval(() => { ok++; }, 2);
    await clock.sleep(20);
    clock.clearInterval(bad);
    const errs = errors, at = ok;
    await clock.sleep(12);
    clock.clearInterval(good);
    console.log(JSON.stringify({ errs, errorsAfter: errors - errs, at, after: ok - at }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const f = JSON.parse(r.stdout) as { errs: number; errorsAfter: number; at: number; after: number };
  assert.ok(f.errs >= 3, `the error surfaced as an uncaught timer error on each pass (${f.errs})`);
  assert.ok(f.at >= f.errs - 1, `the other member ran in the passes where the bad one threw (${f.at} runs, ${f.errs} errors)`);
  assert.equal(f.errorsAfter, 0, 'no error after the bad member was cleared');
  assert.ok(f.after >= 1, 'the other member kept ticking after the bad one was cleared');
});
