/**
 * sd_notify (src/node/sd-notify.ts) on the VirtualClock with a recording sender: nothing without
 * NOTIFY_SOCKET; READY=1 with STATUS=; WATCHDOG=1 every half of WATCHDOG_USEC and only for our
 * pid; one message at a time in order, pings not piling up behind a slow one; STOPPING=1 ends the
 * pings; a sender failure is said once. The real systemd-notify program: test/e2e/systemd-service.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { createNotifier, watchdogMs, type NotifySender } from '../../../src/node/sd-notify.js';

const flush = () => new Promise((r) => setImmediate(r));

function recorder(delayMs = 0, clock?: VirtualClock): { sent: string[][]; send: NotifySender; inFlight: () => number } {
  const sent: string[][] = [];
  let busy = 0;
  return {
    sent, inFlight: () => busy,
    send: async (a) => { busy++; sent.push(a); if (delayMs && clock) await clock.sleep(delayMs); busy--; return undefined; },
  };
}

test('no NOTIFY_SOCKET: no notifier (a phone started by hand sends nothing)', () => {
  const clock = new VirtualClock();
  assert.equal(createNotifier({ env: {}, clock, log: memoryLogger() }), undefined);
});

test('WATCHDOG_USEC: our pid only; the watchdog period in ms', () => {
  assert.equal(watchdogMs({ WATCHDOG_USEC: '30000000' }), 30_000);
  assert.equal(watchdogMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) }), 30_000);
  assert.equal(watchdogMs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }), undefined);
  assert.equal(watchdogMs({}), undefined);
  assert.equal(watchdogMs({ WATCHDOG_USEC: 'x' }), undefined);
});

test('READY=1 with STATUS=, pings every WatchdogSec/2, status lines in order, STOPPING=1 stops the pings', async () => {
  const clock = new VirtualClock();
  const r = recorder();
  const n = createNotifier({ env: { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '30000000' }, clock, log: memoryLogger(), send: r.send })!;
  n.ready('registering (10.0.0.1:2000)\nsecond line');
  n.status('registered to 10.0.0.1:2000');
  await flush();
  assert.deepEqual(r.sent, [['READY=1', 'STATUS=registering (10.0.0.1:2000) second line'], ['STATUS=registered to 10.0.0.1:2000']]);
  await clock.advance(14_999); await flush();
  assert.equal(r.sent.length, 2, 'no ping before 15 s');
  await clock.advance(1); await flush();
  await clock.advance(15_000); await flush();
  assert.deepEqual(r.sent.slice(2), [['WATCHDOG=1'], ['WATCHDOG=1']]);
  await n.stopping();
  assert.deepEqual(r.sent.at(-1), ['STOPPING=1', 'STATUS=stopping']);
  const count = r.sent.length;
  await clock.advance(60_000); await flush();
  assert.equal(r.sent.length, count, 'no ping after STOPPING=1');
});

test('a slow sender: one message at a time, pings do not pile up', async () => {
  const clock = new VirtualClock();
  const r = recorder(40_000, clock); // each send takes longer than the ping period
  const n = createNotifier({ env: { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '10000000' }, clock, log: memoryLogger(), send: r.send })!;
  let maxInFlight = 0;
  for (let i = 0; i < 40; i++) { await clock.advance(1000); await flush(); maxInFlight = Math.max(maxInFlight, r.inFlight()); }
  assert.equal(maxInFlight, 1);
  assert.ok(r.sent.length >= 1 && r.sent.length <= 2, `${r.sent.length} pings in 40 s of 40 s sends`);
  void n;
});

test('a failing sender is reported once, with what systemd will do', async () => {
  const clock = new VirtualClock();
  const log = memoryLogger('info');
  let calls = 0;
  const n = createNotifier({ env: { NOTIFY_SOCKET: '/run/x', WATCHDOG_USEC: '2000000' }, clock, log,
    send: async () => { calls++; return 'systemd-notify not found (it comes with the systemd package)'; } })!;
  n.ready('x');
  for (let i = 0; i < 5; i++) { await clock.advance(1000); await flush(); }
  assert.equal(calls, 1, 'no more children after the first failure');
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!, /WARN {2}systemd notification READY=1 not sent: systemd-notify not found .*systemd will restart the phone when WatchdogSec runs out/);
  await n.stopping();
});
