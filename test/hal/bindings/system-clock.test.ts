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
