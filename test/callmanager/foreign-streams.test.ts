/**
 * docs/security.md §8 "Failover": a CM closes streams it did not open. A phone that registers after
 * a failover names its streams with OpenReceiveChannelAck; when it goes on hook the CM sends
 * StopMediaTransmission and CloseReceiveChannel for exactly those, and new calls do not reuse the ids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, rig } from '../support/callmanager.js';
import { ForeignStreams } from '../../callmanager/foreign-streams.js';

async function until(pred: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('ForeignStreams: per-device ids, shared ids held until every holder is taken', () => {
  const f = new ForeignStreams();
  assert.equal(f.note('A', 1), true);
  assert.equal(f.note('A', 1), false, 'a repeat is not new');
  assert.equal(f.note('B', 1), true);
  assert.equal(f.note('B', 2), true);
  assert.deepEqual(f.take('A'), [1]);
  assert.equal(f.has(1), true, 'B still holds 1');
  assert.deepEqual(f.take('B').sort(), [1, 2]);
  assert.equal(f.has(1), false);
  assert.deepEqual(f.take('B'), []);
});

test('a stream named after registering is closed at on-hook, and its id is not handed out meanwhile', async () => {
  const r = await rig();
  const named: unknown[] = [];
  const closed: unknown[] = [];
  r.cm.events.on('foreign-stream', (e) => named.push(e));
  r.cm.events.on('foreign-streams-closed', (e) => closed.push(e));
  try {
    const a = await r.station(ALICE);
    const b = await r.station(BOB);
    // Alice still plays a call another CM set up: receive stream 1 (this CM's first ref would be 1).
    a.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 20000, passThruPartyId: 1, callReference: 1 });
    await until(() => named.length === 1, 'the CM noted the stream');
    assert.deepEqual(named, [{ device: ALICE, passThruPartyId: 1 }]);
    // Meanwhile Bob calls out: his leg must not get id 1.
    b.send('OffHook', { lineInstance: 1, callReference: 0 });
    const cs = await b.next('CallState');
    assert.notEqual(cs.callReference, 1, 'the foreign id is skipped');
    b.send('OnHook', { lineInstance: 1, callReference: 0 });
    assert.deepEqual(closed, [], 'Bob held nothing foreign');

    a.send('OnHook', { lineInstance: 1, callReference: 0 });
    const stop = await a.next('StopMediaTransmission');
    assert.equal(stop.passThruPartyId, 1);
    const close = await a.next('CloseReceiveChannel');
    assert.equal(close.passThruPartyId, 1);
    assert.deepEqual(closed, [{ device: ALICE, passThruPartyIds: [1] }]);
    // Once closed it is forgotten: a second OnHook sends nothing.
    a.send('OnHook', { lineInstance: 1, callReference: 0 });
    assert.ok(!(await a.drain()).some((m) => m.name === 'CloseReceiveChannel'));
    // A failed open (status ≠ 0) is not a stream.
    a.send('OpenReceiveChannelAck', { status: 8, ipAddr: '0.0.0.0', portNumber: 0, passThruPartyId: 9, callReference: 9 });
    await until(() => r.logs.some((l) => l.includes('unknown passThruPartyId 9')), 'the failed open logged');
    assert.equal(named.length, 1);
  } finally { await r.stop(); }
});
