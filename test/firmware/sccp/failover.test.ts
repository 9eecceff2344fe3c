import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeCm, FakeMedia, waitUntil, type CmBehaviour } from '../../support/fake-cm.js';

async function twoCms(b1: Partial<CmBehaviour> = {}, b2: Partial<CmBehaviour> = {}) {
  const cm1 = await FakeCm.start(b1);
  const cm2 = await FakeCm.start(b2);
  const clock = new VirtualClock();
  const media = new FakeMedia();
  const events: SignallingEvent[] = [];
  const logs: string[] = [];
  const st = new SccpStation({
    deviceName: 'SEP0000DEADBEEF', clock, media,
    servers: [{ host: '127.0.0.1', port: cm1.port }, { host: '127.0.0.1', port: cm2.port }],
    reconnect: { initialMs: 500, maxMs: 4000 },
    log: (level, msg) => { logs.push(`${level} ${msg}`); },
  });
  st.onEvent((e) => events.push(e));
  const done = async () => { await st.stop(); await cm1.close(); await cm2.close(); };
  return { cm1, cm2, clock, media, events, logs, st, done };
}

const states = (ev: SignallingEvent[]) => ev.flatMap((e) => (e.type === 'registration' ? [e.state] : []));

test('three missed KeepAliveAcks → lost → registers with the second CM after the backoff', async () => {
  const t = await twoCms({ keepAliveAck: false, keepAliveInterval: 10 });
  try {
    await t.st.start();
    await waitUntil(() => t.st.state === 'registered' && t.cm1.count('TimeDateReq') === 1, 'registered with cm1');
    for (let i = 1; i <= 3; i++) {
      await t.clock.advance(10_000);
      await waitUntil(() => t.cm1.count('KeepAlive') === i, `KeepAlive ${i}`);
      assert.equal(t.st.state, 'registered', `still registered after ${i} unanswered`);
    }
    await t.clock.advance(10_000); // the 3rd KeepAlive had a full interval to be acked
    assert.equal(t.st.state, 'lost');
    const lost = t.events.find((e) => e.type === 'registration' && e.state === 'lost');
    assert.ok(lost?.type === 'registration' && /KeepAliveAck/.test(lost.reason ?? ''), JSON.stringify(lost));
    assert.equal(t.cm2.count('Register'), 0, 'waits for the backoff');
    await t.clock.advance(500);
    await waitUntil(() => t.st.state === 'registered', 'registered with cm2');
    assert.equal(t.cm2.count('Register'), 1);
    assert.equal(t.st.server, `127.0.0.1:${t.cm2.port}`);
  } finally { await t.done(); }
});

test('TCP drop → failover to the next CM; media survives re-registration', async () => {
  const t = await twoCms();
  try {
    await t.st.start();
    await waitUntil(() => t.st.state === 'registered', 'registered with cm1');
    // A call is up: the CM opened our receive side and started transmission.
    t.cm1.send('OpenReceiveChannel', { conferenceId: 7, passThruPartyId: 7, millisecondPacketSize: 20, compressionType: 4 });
    await waitUntil(() => t.cm1.count('OpenReceiveChannelAck') === 1, 'ORC ack');
    t.cm1.send('StartMediaTransmission', { conferenceId: 7, passThruPartyId: 7, remoteIpAddr: '127.0.0.1', remotePortNumber: 5004,
      millisecondPacketSize: 20, compressionType: 4 });
    await waitUntil(() => t.media.calls.some((c) => c.op === 'startTransmit'), 'startTransmit');

    t.cm1.dropAll();
    await waitUntil(() => t.st.state === 'lost', 'lost');
    await t.clock.advance(500);
    await waitUntil(() => t.st.state === 'registered' && t.cm2.count('TimeDateReq') === 1, 'registered with cm2');
    assert.deepEqual(states(t.events), ['registering', 'registered', 'lost', 'registering', 'registered']);
    // No teardown of media by signalling, and the new CM learns there is an active stream.
    assert.deepEqual(t.media.calls.map((c) => c.op), ['openReceive', 'startTransmit']);
    assert.deepEqual(t.media.activeStreams(), [7]);
    assert.equal(t.cm2.last('Register')!.fields.activeStreams, 1);
    // Only the CM stops media.
    t.cm2.send('StopMediaTransmission', { conferenceId: 0, passThruPartyId: 7 });
    t.cm2.send('CloseReceiveChannel', { conferenceId: 0, passThruPartyId: 7 });
    await waitUntil(() => t.media.calls.length === 4, 'stop + close');
    assert.deepEqual(t.media.calls.slice(2).map((c) => [c.op, c.id]), [['stopTransmit', 7], ['closeReceive', 7]]);
  } finally { await t.done(); }
});

test('connection refused → round robin with exponential backoff, capped', async () => {
  const t = await twoCms();
  await t.cm1.close();
  await t.cm2.close();
  try {
    await t.st.start();
    const lost = () => states(t.events).filter((x) => x === 'lost').length;
    await waitUntil(() => lost() === 1, 'first refusal');
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = t.clock.nextDue()! - t.clock.now();
      delays.push(wait);
      await t.clock.advance(wait);
      await waitUntil(() => lost() === i + 2, `refusal ${i + 2}`);
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000, 4000]);
    const servers = t.events.flatMap((e) => (e.type === 'registration' && e.state === 'registering' ? [e.server] : []));
    assert.equal(servers[0], servers[2]);
    assert.notEqual(servers[0], servers[1]);
  } finally { await t.st.stop(); }
});

test('garbage from the CM: logged with the stream offset, connection dropped, re-registered, no crash', async () => {
  const t = await twoCms();
  try {
    await t.st.start();
    await waitUntil(() => t.st.state === 'registered' && t.cm1.count('TimeDateReq') === 1, 'registered');
    // A valid DisplayText followed by a header whose length (1) is below the minimum of 4 (§1).
    const bad = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0x99, 0, 0, 0]);
    t.cm1.sendRaw(bad);
    await waitUntil(() => t.st.state === 'lost', 'lost after garbage');
    assert.ok(t.logs.some((l) => /^error .*malformed.*offset \d+/i.test(l)), t.logs.join('\n'));
    await t.clock.advance(500);
    await waitUntil(() => t.st.state === 'registered', 're-registered on cm2');

    // A known message whose body is too short for its fields (CallState needs 12 bytes): decode error.
    const short = Buffer.alloc(16);
    short.writeUInt32LE(8, 0); short.writeUInt32LE(0x111, 8); short.writeUInt32LE(5, 12);
    t.cm2.sendRaw(short);
    await waitUntil(() => t.st.state === 'lost', 'lost after short CallState');
    assert.ok(t.logs.some((l) => /CallState/.test(l) && /^error/.test(l)), t.logs.join('\n'));
    await t.clock.advance(1000);
    await waitUntil(() => t.st.state === 'registered', 're-registered on cm1');
  } finally { await t.done(); }
});

test('Reset from the CM → re-register with the same CM at once', async () => {
  const t = await twoCms();
  try {
    await t.st.start();
    await waitUntil(() => t.st.state === 'registered', 'registered');
    t.cm1.send('Reset', { resetType: 2 });
    await waitUntil(() => t.cm1.count('Register') === 2, 'second Register on cm1');
    await waitUntil(() => t.st.state === 'registered', 're-registered');
    assert.equal(t.cm2.count('Register'), 0);
  } finally { await t.done(); }
});
