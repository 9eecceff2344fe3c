import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeCm, FakeMedia, waitUntil, type CmBehaviour } from '../../support/fake-cm.js';

async function setup(b: Partial<CmBehaviour> = {}) {
  const cm = await FakeCm.start(b);
  const clock = new VirtualClock();
  const media = new FakeMedia();
  const events: SignallingEvent[] = [];
  const logs: string[] = [];
  const st = new SccpStation({
    mac: '00:11:22:aa:bb:cc', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media,
    log: (level, msg) => { logs.push(`${level} ${msg}`); },
  });
  st.onEvent((e) => events.push(e));
  return { cm, clock, media, events, logs, st };
}

test('registration follows the documented order and accepts SetLamp before RegisterAck', async () => {
  const { cm, events, st } = await setup();
  try {
    await st.start();
    await waitUntil(() => cm.count('TimeDateReq') === 1 && events.some((e) => e.type === 'timeDate'), 'TimeDateReq + DefineTimeDate');
    assert.equal(st.state, 'registered');
    // The CM's CapabilitiesReq is answered too; drop that second CapabilitiesRes for the order check.
    assert.equal(cm.count('CapabilitiesRes'), 2);
    const names = cm.names();
    names.splice(names.lastIndexOf('CapabilitiesRes'), 1);
    assert.deepEqual(names, [
      'Register', 'IpPort', 'CapabilitiesRes', 'ButtonTemplateReq', 'SoftKeyTemplateReq', 'SoftKeySetReq',
      'LineStatReq', 'SpeedDialStatReq', 'SpeedDialStatReq', 'ForwardStatReq', 'RegisterAvailableLines', 'TimeDateReq',
    ]);
    const sd = cm.rx.filter((m) => m.name === 'SpeedDialStatReq').map((m) => m.fields.speedDialNumber);
    assert.deepEqual(sd, [1, 2]);
    assert.equal(cm.last('LineStatReq')!.fields.lineNumber, 1);
    assert.equal(cm.last('RegisterAvailableLines')!.fields.maxNumOfAvailLines, 1);

    // Register: ≥ 52 body bytes (length field ≥ 56), header version 0, SEP + MAC, 7960, protocol 11.
    const reg = cm.last('Register')!;
    assert.ok(reg.raw.readUInt32LE(0) >= 56, `Register length ${reg.raw.readUInt32LE(0)}`);
    assert.equal(reg.fields.deviceName, 'SEP001122AABBCC');
    assert.equal(reg.fields.deviceType, 7);
    assert.equal(reg.fields.protocolVer, 11);
    assert.equal(reg.raw[12 + 40], 11, 'protocolVer byte at body offset 40 (§3)');
    assert.equal(reg.fields.stationIpAddr, '127.0.0.1');
    for (const m of cm.rx) assert.equal(m.headerVersion, 0, `${m.name} header version`);

    // CapabilitiesRes from media.capabilities(): PCMU→4, PCMA→2, G722→6, maxFramesPerPacket = ptime.
    const caps = cm.last('CapabilitiesRes')!.fields;
    assert.equal(caps.capCount, 3);
    assert.deepEqual(caps.caps.map((c: any) => [c.payloadCapability, c.maxFramesPerPacket]), [[4, 20], [2, 30], [6, 20]]);

    // Lamps arrived before the 'registered' event.
    const firstLamp = events.findIndex((e) => e.type === 'lamp');
    const registered = events.findIndex((e) => e.type === 'registration' && e.state === 'registered');
    assert.ok(firstLamp >= 0 && firstLamp < registered, `lamp at ${firstLamp}, registered at ${registered}`);
    assert.deepEqual(events[firstLamp], { type: 'lamp', target: 'message', instance: 1, mode: 'off', stimulus: 15 });
    assert.deepEqual(events.find((e) => e.type === 'lineStatus'),
      { type: 'lineStatus', line: 1, number: '100', label: 'Alice 100', displayName: 'Alice' });
    assert.deepEqual(events.filter((e) => e.type === 'speedDial').map((e) => e.type === 'speedDial' && e.number), ['201', '202']);
    const td = events.find((e) => e.type === 'timeDate');
    assert.ok(td?.type === 'timeDate');
    assert.deepEqual([td.date.getFullYear(), td.date.getMonth() + 1, td.date.getDate(), td.date.getHours(), td.date.getMinutes()],
      [2026, 3, 17, 9, 41]);
    // Idle softkeys from the template: set 0 = Redial, NewCall with labels decoded, both enabled (mask 0x3).
    const sk = events.filter((e) => e.type === 'softkeys').at(-1);
    assert.ok(sk?.type === 'softkeys');
    assert.deepEqual(sk.keys.map((k) => [k.event, k.enabled]), [[1, true], [2, true]]);
    assert.match(sk.keys[1]!.label, /new ?call/i);
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('KeepAlive is sent every keepAliveInterval seconds of the injected clock', async () => {
  const { cm, clock, st } = await setup({ keepAliveInterval: 30 });
  try {
    await st.start();
    await waitUntil(() => st.state === 'registered' && cm.count('TimeDateReq') === 1, 'registration');
    assert.equal(cm.count('KeepAlive'), 0);
    await clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(cm.count('KeepAlive'), 0, 'no keepalive before 30 s');
    await clock.advance(1);
    await waitUntil(() => cm.count('KeepAlive') === 1, 'first KeepAlive at 30 s');
    await clock.advance(30_000);
    await waitUntil(() => cm.count('KeepAlive') === 2, 'second KeepAlive at 60 s');
    await clock.advance(30_000);
    await waitUntil(() => cm.count('KeepAlive') === 3, 'third KeepAlive at 90 s');
    assert.equal(st.state, 'registered', 'acks keep the registration');
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('RegisterReject → state rejected with the CM text, then a retry after the backoff', async () => {
  const { cm, clock, events, st } = await setup({
    register: (conn: number) => (conn === 0 ? { reject: 'No Authority: SEP001122AABBCC' } : 'ack'),
  });
  try {
    await st.start();
    await waitUntil(() => st.state === 'rejected', 'rejected');
    const rej = events.find((e) => e.type === 'registration' && e.state === 'rejected');
    assert.ok(rej?.type === 'registration');
    assert.equal(rej.reason, 'No Authority: SEP001122AABBCC');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(cm.count('Register'), 1, 'no retry before the backoff elapses');
    await clock.advance(1000); // reconnect.initialMs default
    await waitUntil(() => st.state === 'registered', 'registered on retry');
    assert.equal(cm.count('Register'), 2);
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('stop() unregisters and closes; no further traffic', async () => {
  const { cm, clock, events, st } = await setup();
  try {
    await st.start();
    await waitUntil(() => st.state === 'registered', 'registered');
    await st.stop();
    await waitUntil(() => cm.count('Unregister') === 1, 'Unregister');
    assert.equal(st.state, 'unregistered');
    assert.equal(events.at(-1)?.type, 'registration');
    const n = cm.rx.length;
    await clock.advance(600_000);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(cm.rx.length, n);
  } finally {
    await cm.close();
  }
});

test('defect 9: a hostile ButtonTemplate (buttonOffset 0xfffffffe) over the socket is refused at once; no phantom line', async () => {
  const { cm, events, logs, st } = await setup();
  try {
    await st.start();
    await waitUntil(() => st.state === 'registered' && cm.count('TimeDateReq') === 1, 'registered');
    const lines = () => (st as unknown as { templates: { lines: number[] } }).templates.lines;
    const before = [...lines()];
    cm.send('ButtonTemplate', { buttonOffset: 0xfffffffe, buttonCount: 2, totalButtonCount: 0xffffffff,
      buttons: [{ instanceNumber: 7, buttonDefinition: 9 }, { instanceNumber: 8, buttonDefinition: 9 }] });
    cm.send('SetRinger', { ringMode: 2, unknown1: 1, lineInstance: 1, callReference: 0 });
    await waitUntil(() => events.some((e) => e.type === 'ringer' && e.mode !== 'off'), 'the next message is handled at once (no freeze)', 2000);
    assert.deepEqual(lines(), before, 'no phantom lines 7/8');
    assert.ok(!lines().includes(7));
    assert.ok(logs.some((l) => /ButtonTemplate: offset 4294967294, count 2, total 4294967295 out of range/.test(l)), logs.join('\n'));
  } finally { await st.stop(); await cm.close(); }
});
