/**
 * docs/security.md §2-5 for SSCP at the socket level: the real call manager, real SscpStation
 * phones and raw attacker UDP sockets on other loopback addresses, on a virtual clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager } from '../../callmanager/start.js';
import { SscpStation } from '../../firmware/sscp/station.js';
import { decodeSscp, encodeSscp, type SscpDecoded } from '../../firmware/sscp/codec.js';
import type { SscpFields } from '../../firmware/sscp/messages.js';
import type { SignallingEvent } from '../../firmware/station/signalling.js';
import { FakeMedia } from '../support/fake-cm.js';
import { FakeSscpCm, drive } from '../support/fake-sscp-cm.js';

const CONFIG = `
server: { keepalive: 30 }
lines: [{ number: "200", name: Dana }, { number: "201", name: Erik }]
devices:
  - { name: SEP000000000200, protocol: sscp, lines: ["200"] }
  - { name: SEP000000000201, protocol: sscp, lines: ["201"], secret: "correct horse battery" }
`;
const DANA = 'SEP000000000200';
const ERIK = 'SEP000000000201';

class Attacker {
  readonly rx: Array<{ m: SscpDecoded; bytes: number }> = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (buf) => { this.rx.push({ m: decodeSscp(buf), bytes: buf.length }); });
  }
  static async open(address: string): Promise<Attacker> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, address, () => r()));
    return new Attacker(s);
  }
  send(port: number, name: string, o: { seq?: number; sid?: string; device?: string; fields?: SscpFields } = {}): number {
    const buf = encodeSscp({ name, fields: o.fields ?? {}, ...(o.seq !== undefined ? { seq: o.seq, sid: o.sid ?? 'feed' } : {}),
      ...(o.device ? { device: o.device } : {}) });
    this.socket.send(buf, port, '127.0.0.1');
    return buf.length;
  }
  close(): Promise<void> { return new Promise((r) => this.socket.close(() => r())); }
}

async function rig(extra = '') {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const cm = await startCallManager({ config: parseCallManagerConfig(CONFIG.replace('server: { keepalive: 30 }', `server: { keepalive: 30${extra} }`)), host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost: '127.0.0.1',
    clock, log: { info: (m) => logs.push(`I ${m}`), warn: (m) => logs.push(`W ${m}`) } });
  const phones: SscpStation[] = [];
  const attackers: Attacker[] = [];
  const phone = async (device: string, secret?: string): Promise<SscpStation> => {
    const st = new SscpStation({ deviceName: device, servers: [{ host: '127.0.0.1', port: cm.sscp!.port }], clock, media: new FakeMedia(),
      localAddress: '127.0.0.1', transport: { jitter: 0 }, ...(secret ? { secret } : {}) });
    phones.push(st);
    await st.start();
    return st;
  };
  const attacker = async (address: string) => { const a = await Attacker.open(address); attackers.push(a); return a; };
  const stop = async () => { for (const p of phones) await p.stop(); for (const a of attackers) await a.close(); await cm.close(); };
  return { clock, cm, logs, phone, attacker, stop, port: cm.sscp!.port };
}

test('defects 6 and 7: strangers leave no state and get at most one unretransmitted, rate-limited answer', async () => {
  const r = await rig();
  try {
    const dana = await r.phone(DANA);
    await drive(r.clock, () => dana.state === 'registered', 'Dana registered');
    const before = r.cm.sscp!.state().transportPeers;
    const attackers = await Promise.all(Array.from({ length: 40 }, () => r.attacker('127.0.0.2')));
    let sent = 0;
    attackers.forEach((a, i) => {
      for (let k = 0; k < 10; k++) {
        sent += a.send(r.port, 'KeepAlive', { seq: k + 1, sid: `a${i}b${k}`, device: DANA });
        sent += a.send(r.port, 'OffHook', { seq: k + 1, sid: `c${i}d${k}`, device: DANA, fields: { line: 1 } });
        sent += a.send(r.port, 'Register', { seq: 1, sid: `e${i}f${k}`, device: 'SEP0000000009FF',
          fields: { model: 'x', firmware: 'y', lines: 1, codecs: 'PCMU' } });
        a.send(r.port, 'DisplayText', { device: DANA, fields: { text: 'unsequenced' } });
      }
    });
    // 20 s of virtual time: a retransmitting reply would have gone out 5 more times by now.
    await drive(r.clock, () => false, 'nothing', 50, 20_000).catch(() => {});
    const answers = attackers.flatMap((a) => a.rx);
    const back = answers.reduce((n, x) => n + x.bytes, 0);
    for (const a of attackers) assert.ok(a.rx.length <= 1, `one answer per sender in 10 s, got ${a.rx.map((x) => x.m.name)}`);
    assert.ok(answers.every((x) => x.m.name === 'Reset' || x.m.name === 'RegisterReject'), 'no Ack to a stranger');
    assert.ok(back < sent, `reflection: ${back} bytes back for ${sent} sent`);
    assert.ok(answers.length <= 40 && answers.length >= 1);
    const st = r.cm.sscp!.state();
    assert.equal(st.transportPeers, before, 'no transport state for any of the 40 senders');
    assert.ok(st.replyLimitEntries <= 40);
    assert.ok(st.suppressedReplies > 0);
    assert.equal(dana.state, 'registered');
    assert.equal(r.cm.devices().find((d) => d.name === DANA)!.call, 'idle', 'no OffHook from a stranger reached the call core');
  } finally { await r.stop(); }
});

test('defect 3: a Register for a live device from another address is refused; the phone keeps its registration', async () => {
  const r = await r0();
  try {
    const dana = await r.phone(DANA);
    await drive(r.clock, () => dana.state === 'registered', 'Dana registered');
    const peer = r.cm.devices().find((d) => d.name === DANA)!.peer;
    const x = await r.attacker('127.0.0.2');
    x.send(r.port, 'Register', { seq: 1, sid: 'beef', device: DANA, fields: { model: 'x', firmware: 'y', lines: 1, codecs: 'PCMU' } });
    await drive(r.clock, () => x.rx.length > 0, 'reject');
    assert.equal(x.rx[0]!.m.name, 'RegisterReject');
    assert.match(String(x.rx[0]!.m.fields.reason), /registered and alive at another address/);
    assert.equal(r.cm.devices().find((d) => d.name === DANA)!.peer, peer);
    assert.equal(dana.state, 'registered');
  } finally { await r.stop(); }
});

test('defect 3: a device with a shared secret registers only with the right digest', async () => {
  const r = await r0();
  try {
    const wrong = await r.phone(ERIK, 'not the secret');
    await drive(r.clock, () => wrong.state === 'rejected', 'wrong secret rejected');
    assert.ok(r.logs.some((l) => /SEP000000000201: authentication failed/.test(l)));
    await wrong.stop();
    const none = await r.attacker('127.0.0.3');
    none.send(r.port, 'Register', { seq: 1, sid: 'beef', device: ERIK, fields: { model: 'x', firmware: 'y', lines: 1, codecs: 'PCMU' } });
    await drive(r.clock, () => none.rx.length > 0, 'reject');
    assert.match(String(none.rx[0]!.m.fields.reason), /authentication failed/);
    const erik = await r.phone(ERIK, 'correct horse battery');
    await drive(r.clock, () => erik.state === 'registered', 'Erik registered with the secret');
  } finally { await r.stop(); }
});

const r0 = rig;

test('defect 4: datagrams forged with the CM address but outside its session never reach the phone', async () => {
  const clock = new VirtualClock();
  const cm = await FakeSscpCm.start(clock);
  const events: SignallingEvent[] = [];
  const st = new SscpStation({ mac: '00:11:22:aa:bb:cc', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media: new FakeMedia(),
    transport: { jitter: 0 } });
  st.onEvent((e) => events.push(e));
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered', 'registered');
    const phone = cm.phone!;
    // The CM's own socket stands in for a spoofed source address.
    const raw = (cm.endpoint as unknown as { socket: Socket }).socket;
    const forge = (m: Parameters<typeof encodeSscp>[0]) => raw.send(encodeSscp(m), phone.port, phone.address);
    const from = events.length;
    forge({ name: 'DisplayText', fields: { text: 'PAY NOW' } });
    forge({ name: 'Ringer', fields: { mode: 'inside' } });
    forge({ name: 'Lamp', fields: { target: 'line', instance: 1, mode: 'blink' } });
    await drive(clock, () => (st.stats?.droppedUnsequenced ?? 0) >= 3, 'unsequenced dropped');
    // A made-up session (new sid, seq 1) is not accepted either: the phone registers again instead.
    forge({ name: 'DisplayText', seq: 1, sid: 'bad1', fields: { text: 'PAY NOW' } });
    await drive(clock, () => cm.count('Register') === 2 && st.state === 'registered', 're-registered');
    const acted = events.slice(from).filter((e) => e.type === 'displayText' || e.type === 'ringer' || e.type === 'lamp');
    assert.deepEqual(acted, [], 'no forged LCD text, ringer or lamp');
    cm.send('DisplayText', { text: 'hello' });
    await drive(clock, () => events.some((e) => e.type === 'displayText' && e.text === 'hello'), 'real CM text');
  } finally { await st.stop(); await cm.close(); }
});

test('defect 3: server permit/deny and device permit/deny apply to SSCP', async () => {
  const r = await rig(', deny: ["0.0.0.0/0"], permit: ["127.0.0.1", "127.0.0.2"]');
  try {
    const far = await r.attacker('127.0.0.3');
    far.send(r.port, 'Register', { seq: 1, sid: 'beef', device: DANA, fields: { model: 'x', firmware: 'y', lines: 1, codecs: 'PCMU' } });
    await drive(r.clock, () => (r.cm.sscp!.state().stats.droppedUnexpectedPeer ?? 0) >= 1, 'dropped unread');
    assert.deepEqual(far.rx, [], 'a denied host gets nothing back');
    const dana = await r.phone(DANA);
    await drive(r.clock, () => dana.state === 'registered', 'Dana from 127.0.0.1 is permitted');
  } finally { await r.stop(); }
});
