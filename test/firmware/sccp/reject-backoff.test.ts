/**
 * A call manager that refuses the device (RegisterReject "No Authority") is retried with a
 * growing pause, past the 8 s reconnect cap of a lost connection, up to 60 s: the phone backs off
 * instead of knocking every few seconds forever (checked on the virtual clock, exactly).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import { FakeCm, FakeMedia, waitUntil } from '../../support/fake-cm.js';

test('RegisterReject: retries after 0.5, 1, 2, 4, 8, 16, 32, 60, 60 s', async () => {
  const cm = await FakeCm.start({ register: () => ({ reject: 'No Authority: SEP001122AABBCC' }) });
  const clock = new VirtualClock();
  const st = new SccpStation({
    mac: '00:11:22:aa:bb:cc', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media: new FakeMedia(),
    reconnect: { initialMs: 500, maxMs: 8000 }, // what src/node/phone-stack.ts uses
  });
  try {
    await st.start();
    await waitUntil(() => cm.count('Register') === 1 && st.state === 'rejected', 'first rejection');
    for (const [i, delay] of [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000].entries()) {
      await clock.advance(delay - 1);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(cm.count('Register'), i + 1, `retry ${i + 1} not before ${delay} ms`);
      await clock.advance(1);
      await waitUntil(() => cm.count('Register') === i + 2 && st.state === 'rejected', `retry ${i + 1} after ${delay} ms`);
    }
  } finally {
    await st.stop();
    await cm.close();
  }
});
