/**
 * docs/security.md §2-3 at the socket level: a real CM, a real SccpStation phone, and raw attacker
 * sockets on other loopback addresses (127.0.0.2, 127.0.0.3 play other hosts on the LAN).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { startCallManager } from '../../callmanager/start.js';
import type { CallManagerConfig } from '../../callmanager/config.js';
import { SccpStation } from '../../firmware/sccp/station.js';
import { FakeMedia, waitUntil } from '../support/fake-cm.js';
import { encodeMessage } from '../../firmware/sccp/codec.js';
import { ALICE, exampleConfig } from '../support/callmanager.js';
import { names, RawStation } from '../support/raw-station.js';

async function secureRig(edit: (c: CallManagerConfig) => void = () => {}) {
  const config = exampleConfig();
  edit(config);
  const clock = new VirtualClock();
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`I ${m}`), warn: (m: string) => logs.push(`W ${m}`) };
  const cm = await startCallManager({ config, host: '127.0.0.1', port: 0, clock, log });
  const raws: RawStation[] = [];
  const phones: SccpStation[] = [];
  return {
    cm, clock, logs, config,
    async attacker(from: string): Promise<RawStation> { const r = await RawStation.connect(cm.port, from); raws.push(r); return r; },
    async phone(name: string): Promise<SccpStation> {
      const st = new SccpStation({ deviceName: name, servers: [{ host: '127.0.0.1', port: cm.port }], clock, media: new FakeMedia() });
      phones.push(st);
      await st.start();
      await waitUntil(() => st.state === 'registered', `${name} registered`);
      return st;
    },
    async stop() { for (const r of raws) r.close(); for (const p of phones) await p.stop(); await cm.close(); },
  };
}

const REGISTER = { userId: 0, instance: 1, stationIpAddr: '127.0.0.2', deviceType: 7, maxStreams: 5, activeStreams: 0, protocolVer: 11 };

test('defect 2: a second Register for a live device from another address is refused; the real phone keeps its session', async () => {
  const r = await secureRig();
  try {
    const alice = await r.phone(ALICE);
    const before = r.cm.devices().find((d) => d.name === ALICE)!.peer;
    const x = await r.attacker('127.0.0.2');
    x.send('Register', { deviceName: ALICE, ...REGISTER });
    const got = await x.until('RegisterReject');
    assert.deepEqual(names(got), ['RegisterReject']);
    await x.waitClosed();
    assert.equal(alice.state, 'registered');
    assert.equal(r.cm.devices().find((d) => d.name === ALICE)!.peer, before, 'the registration stays with the real phone');
    assert.ok(r.logs.some((l) => /registered and alive/.test(l)), r.logs.join('\n'));
    // Same address (the phone restarting) may take over at once.
    const again = await RawStation.connect(r.cm.port, '127.0.0.1');
    try {
      await again.register(ALICE);
      await waitUntil(() => r.cm.devices().find((d) => d.name === ALICE)!.peer === `127.0.0.1:${again.socket.localPort}`, 'moved');
    } finally { again.close(); }
  } finally { await r.stop(); }
});

test('defect 2: a device whose session went quiet (2 keepalive intervals) may be registered from elsewhere', async () => {
  const r = await secureRig();
  try {
    const old = await RawStation.connect(r.cm.port, '127.0.0.1');
    await old.register(ALICE);
    await new Promise((res) => setTimeout(res, 50)); // CapabilitiesRes reaches the CM before time moves on
    await r.clock.advance(2 * 30_000);
    const x = await r.attacker('127.0.0.2');
    const seq = await x.register(ALICE);
    assert.ok(names(seq).includes('RegisterAck'), r.logs.join('\n'));
    await old.waitClosed();
    old.close();
  } finally { await r.stop(); }
});

test('defect 2: server and device permit/deny (Asterisk skinny.conf style)', async () => {
  const r = await secureRig((c) => {
    c.server.deny = ['0.0.0.0/0'];
    c.server.permit = ['127.0.0.1/32', '127.0.0.2/32'];
    c.devices.find((d) => d.name === ALICE)!.permit = ['127.0.0.1'];
    c.devices.find((d) => d.name === ALICE)!.deny = ['0.0.0.0/0'];
  });
  try {
    const denied = await r.attacker('127.0.0.3');
    denied.send('Register', { deviceName: ALICE, ...REGISTER });
    await denied.waitClosed();
    assert.deepEqual(denied.rx, [], 'a denied host gets no byte');
    const lan = await r.attacker('127.0.0.2');
    lan.send('Register', { deviceName: ALICE, ...REGISTER });
    assert.match((await lan.next('RegisterReject')).text, /No Authority/);
    await lan.waitClosed();
    assert.ok(r.logs.some((l) => /may not register from 127\.0\.0\.2 \(device permit\/deny\)/.test(l)));
    await r.phone(ALICE); // from 127.0.0.1: allowed
  } finally { await r.stop(); }
});

test('defect 8: an unregistered connection gets no KeepAliveAck and is dropped at authTimeout however chatty', async () => {
  const r = await secureRig((c) => { c.server.authTimeout = 10; });
  try {
    const x = await r.attacker('127.0.0.2');
    for (let t = 0; t < 9; t++) {
      x.send('KeepAlive');
      x.sendRaw(encodeMessage('KeepAlive', {}).subarray(0, 1)); // and a byte now and then
      await r.clock.advance(1000);
    }
    assert.deepEqual(await x.drain(100), [], 'nothing answered before Register');
    assert.equal(x.closed, false);
    await r.clock.advance(1000);
    await x.waitClosed();
    assert.ok(r.logs.some((l) => /not registered within authTimeout 10 s/.test(l)));
  } finally { await r.stop(); }
});

test('defect 8: connections are capped per address and in total; registered phones are unaffected', async () => {
  const r = await secureRig((c) => { c.server.maxConnectionsPerAddress = 3; c.server.maxConnections = 5; });
  try {
    const alice = await r.phone(ALICE);  // 1 connection from 127.0.0.1
    const a = await Promise.all([1, 2, 3, 4].map(() => r.attacker('127.0.0.2')));
    await a[3]!.waitClosed();
    assert.deepEqual(a.slice(0, 3).map((s) => s.closed), [false, false, false]);
    const b = await r.attacker('127.0.0.3');   // 5th connection: allowed
    const c = await r.attacker('127.0.0.3');   // 6th: over the total
    await c.waitClosed();
    assert.equal(b.closed, false);
    assert.equal(alice.state, 'registered');
    for (const s of a) s.close();
    await waitUntil(() => r.cm.devices().length > 0 && a.every((s) => s.closed), 'closed');
    await new Promise((res) => setTimeout(res, 50));
    const d = await r.attacker('127.0.0.2'); // room again
    d.send('Register', { deviceName: 'SEP0000DEADBEEF', ...REGISTER });
    assert.match((await d.next('RegisterReject')).text, /No Authority/);
  } finally { await r.stop(); }
});
