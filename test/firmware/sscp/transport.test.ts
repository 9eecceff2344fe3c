import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SscpEndpoint, SscpTimeoutError, type SscpPeer } from '../../../firmware/sscp/transport.js';
import { encodeSscp, SscpEncodeError, type SscpDecoded } from '../../../firmware/sscp/codec.js';
import { LossProxy } from '../../support/loss-proxy.js';

const realTick = (ms = 3): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Lets real UDP I/O settle, then moves virtual time, until `done()` or the step budget runs out.
 * `activity` (e.g. datagrams seen) must be unchanged over a real tick before time moves, so a busy
 * CPU cannot make virtual retransmission timers outrun real loopback delivery.
 */
async function drive(clock: VirtualClock, done: () => boolean, stepMs = 100, steps = 400,
  activity: () => number = () => 0): Promise<void> {
  for (let i = 0; i < steps && !done(); i++) {
    let last = activity();
    for (let settle = 0; settle < 50; settle++) {
      await realTick(settle === 0 ? 1 : 4);
      const now = activity();
      if (now === last && settle > 0) break;
      last = now;
    }
    await clock.advance(stepMs);
  }
}

async function lossyRun(loopback: string): Promise<void> {
  const clock = new VirtualClock();
  const got: number[] = [];
  const server = new SscpEndpoint({ clock, bind: { address: loopback }, onMessage: (m: SscpDecoded) => {
    got.push(m.fields.index as number);
  } });
  const srvAddr = await server.start();
  const proxy = new LossProxy(srvAddr, 3, 5, loopback.includes(':') ? 'udp6' : 'udp4');
  const proxyAddr = await proxy.start(loopback);
  const phone = new SscpEndpoint({ clock, bind: { address: loopback }, peer: proxyAddr, device: 'SEP0001', window: 4, retries: 8,
    onMessage: () => {} });
  await phone.start();
  try {
    const N = 40;
    let acked = 0;
    const errors: Error[] = [];
    const sends = Array.from({ length: N }, (_, i) =>
      phone.send({ name: 'SpeedDial', fields: { index: i } }).then(() => { acked++; }, (e: Error) => { errors.push(e); }));
    await drive(clock, () => (acked === N && got.length === N) || errors.length > 0, 100, 400,
      () => server.stats.received + phone.stats.received);
    await Promise.all(sends);
    assert.deepEqual(errors, []);
    assert.deepEqual(got, Array.from({ length: N }, (_, i) => i), 'all delivered exactly once, in order');
    assert.ok(proxy.dropped >= N / 3, `proxy dropped ${proxy.dropped}`);
    assert.ok(proxy.duplicated > 0);
    assert.ok(phone.stats.retransmits > 0, 'losses were repaired by retransmission');
    assert.ok(server.stats.duplicates > 0, 'duplicates were suppressed');
  } finally {
    await phone.close(); await server.close(); await proxy.close();
  }
}

test('lossy, duplicating path on 127.0.0.1: exactly once, in order', () => lossyRun('127.0.0.1'));
test('lossy, duplicating path on ::1 (udp6)', () => lossyRun('::1'));

test('retransmission backs off exponentially, then rejects with SscpTimeoutError', async () => {
  const clock = new VirtualClock();
  const sink = createSocket('udp4');
  const times: number[] = [];
  sink.on('message', () => times.push(clock.now()));
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  const peer: SscpPeer = { address: '127.0.0.1', port: sink.address().port };
  const ep = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, peer, retries: 4, initialRtoMs: 500, maxRtoMs: 2000, jitter: 0,
    onMessage: () => {} });
  await ep.start();
  let err: unknown;
  const p = ep.send({ name: 'KeepAlive', fields: {} }).catch((e) => { err = e; });
  const p2 = ep.send({ name: 'OffHook', fields: {} }).catch((e) => e as Error);
  await drive(clock, () => err !== undefined, 250, 100);
  await p;
  assert.ok(err instanceof SscpTimeoutError, String(err));
  assert.equal(err.attempts, 5);
  assert.match(err.message, /KeepAlive seq 1 .* not acknowledged after 5 transmissions/);
  assert.match(String(await p2), /abandoned/);
  // each message: sent at 0, then after 500, 1000, 2000 (capped), 2000 → 0, 500, 1500, 3500, 5500
  const firstMsg = times.filter((_, i) => i % 2 === 0);
  assert.deepEqual(firstMsg, [0, 500, 1500, 3500, 5500]);
  assert.equal(ep.stats.timeouts, 1);
  await ep.close();
  await new Promise<void>((r) => sink.close(() => r()));
});

test('unexpected peers, oversize and malformed datagrams are dropped and counted', async () => {
  const clock = new VirtualClock();
  const got: string[] = [];
  const drops: string[] = [];
  const stranger = createSocket('udp4');
  await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
  const friend = createSocket('udp4');
  await new Promise<void>((r) => friend.bind(0, '127.0.0.1', () => r()));
  const ep = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, peer: { address: '127.0.0.1', port: friend.address().port },
    maxDatagram: 600, onMessage: (m) => got.push(m.name), onDrop: (r) => drops.push(r) });
  const me = await ep.start();
  const ka = encodeSscp({ name: 'KeepAliveAck', seq: 1, sid: 'abcd', fields: {} });
  stranger.send(ka, me.port, me.address);
  friend.send(Buffer.concat([ka, Buffer.alloc(700, 0x20)]), me.port, me.address);
  friend.send(Buffer.from('<SSCP name="Bogus"/>'), me.port, me.address);
  friend.send(ka, me.port, me.address);
  await drive(clock, () => got.length > 0 && drops.length >= 3, 10, 200, () => ep.stats.received);
  assert.deepEqual(got, ['KeepAliveAck']);
  assert.deepEqual(drops.sort(), ['malformed', 'oversize', 'unexpectedPeer']);
  assert.equal(ep.stats.droppedUnexpectedPeer, 1);
  assert.equal(ep.stats.droppedOversize, 1);
  assert.equal(ep.stats.droppedMalformed, 1);
  // outgoing oversize is refused before it hits the wire
  await assert.rejects(
    ep.send({ name: 'PhoneBookResult', fields: { users: Array.from({ length: 8 }, (_, i) => ({ userId: `${i}`.repeat(60) })) } }),
    (e: unknown) => e instanceof SscpEncodeError && /exceeds 600/.test(e.message));
  assert.equal(ep.stats.sent, 0, 'nothing went on the wire');
  await ep.close();
  await new Promise<void>((r) => stranger.close(() => r()));
  await new Promise<void>((r) => friend.close(() => r()));
});

test('keepalive hook fires on the clock and reports loss; new sid after restart is accepted', async () => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  const server = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, onMessage: (m) => seen.push(`${m.name}:${m.sid}`) });
  const srv = await server.start();
  const phone = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, peer: srv, retries: 2, onMessage: () => {} });
  await phone.start();
  const lost: Error[] = [];
  const stop = phone.startKeepalive({ intervalMs: 30_000, message: () => ({ name: 'KeepAlive', fields: {} }), onLost: (e) => lost.push(e) });
  await drive(clock, () => seen.length >= 2, 1000, 200, () => server.stats.received + phone.stats.received);
  assert.equal(seen.length, 2, 'two keepalives in ~60 s');
  assert.ok(server.lastHeard(phone.local)! > 0);
  await server.close();                                 // server gone: next keepalive times out
  await drive(clock, () => lost.length > 0, 1000, 200, () => phone.stats.sent);
  assert.equal(lost.length, 1);
  assert.ok(lost[0] instanceof SscpTimeoutError);
  stop();
  await phone.close();
});
