import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeCm, FakeMedia, waitUntil } from '../../support/fake-cm.js';

let cm: FakeCm;
let st: SccpStation;
const media = new FakeMedia();
const events: SignallingEvent[] = [];
const logs: string[] = [];

before(async () => {
  cm = await FakeCm.start();
  st = new SccpStation({ deviceName: 'sep00aabbccddee', servers: [{ host: '127.0.0.1', port: cm.port }], clock: new VirtualClock(),
    media, localAddress: '10.1.2.3', log: (l, m) => logs.push(`${l} ${m}`) });
  st.onEvent((e) => events.push(e));
  await st.start();
  await waitUntil(() => st.state === 'registered' && cm.count('TimeDateReq') === 1 && events.some((e) => e.type === 'softkeys') && events.some((e) => e.type === 'timeDate'), 'registered');
});
after(async () => { await st.stop(); await cm.close(); });

/** Sends CM messages, then waits for `n` new events and returns them. */
async function cmSays(msgs: Array<[string, Record<string, unknown>?]>, n: number): Promise<SignallingEvent[]> {
  const from = events.length;
  for (const [name, f] of msgs) cm.send(name, f ?? {});
  await waitUntil(() => events.length >= from + n, `${n} events after ${msgs.map((m) => m[0]).join(',')}`);
  await new Promise((r) => setTimeout(r, 10));
  return events.slice(from);
}
/** Runs `act`, waits for `n` more messages at the CM and returns them (name + fields). */
async function stationSends(act: () => void, n: number) {
  const from = cm.rx.length;
  act();
  await waitUntil(() => cm.rx.length >= from + n, `${n} station messages`);
  return cm.rx.slice(from).map((m): Record<string, any> => ({ name: m.name, ...m.fields }));
}

test('deviceName override is validated and uppercased; Register carries localAddress', () => {
  assert.equal(st.deviceName, 'SEP00AABBCCDDEE');
  assert.equal(cm.last('Register')!.fields.deviceName, 'SEP00AABBCCDDEE');
  assert.equal(cm.last('Register')!.fields.stationIpAddr, '10.1.2.3');
});

test('incoming call: CM messages become SignallingEvents', async () => {
  const ev = await cmSays([
    ['CallState', { callState: 4, lineInstance: 1, callReference: 5 }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: 5, softKeySetIndex: 3, validKeyMask: 0b011 }],
    ['DisplayPromptStatus', { timeOutValue: 0, promptStatus: '\x80\x17100', lineInstance: 1, callReference: 5 }],
    ['DisplayPriNotify', { timeOutValue: 10, priority: 5, notify: '\x80\x17100' }],
    ['CallInfo', { callingPartyName: 'Alice', callingParty: '100', calledPartyName: 'Bob', calledParty: '101',
      lineInstance: 1, callReference: 5, callType: 1 }],
    ['SetLamp', { stimulus: 9, stimulusInstance: 1, lampMode: 5 }],
    ['SetRinger', { ringMode: 2, ringDuration: 1, lineInstance: 1, callReference: 0 }],
    ['ActivateCallPlane', { lineInstance: 1 }],
  ], 8);
  assert.deepEqual(ev[0], { type: 'callState', line: 1, callRef: 5, state: 'ringin' });
  assert.ok(ev[1]!.type === 'softkeys');
  assert.deepEqual(ev[1].keys.map((k) => [k.label, k.event, k.enabled]),
    [['Answer', 11, true], ['Endcall', 9, true], ['Magic', 77, false]]);
  assert.deepEqual(ev[2], { type: 'prompt', text: 'From 100', timeoutS: 0, line: 1, callRef: 5 });
  assert.deepEqual(ev[3], { type: 'notify', text: 'From 100', timeoutS: 10, priority: 5 });
  assert.deepEqual(ev[4], { type: 'callInfo', line: 1, callRef: 5, callingName: 'Alice', calling: '100', calledName: 'Bob',
    called: '101', direction: 'inbound' });
  assert.deepEqual(ev[5], { type: 'lamp', target: 'line', instance: 1, mode: 'blink', stimulus: 9 });
  assert.deepEqual(ev[6], { type: 'ringer', mode: 'inside', once: false });
  assert.deepEqual(ev[7], { type: 'callPlane', line: 1, active: true });
});

test('softkey slot → the template event code; disabled slot ignored; offHook answers the ringing call', async () => {
  // Slot 2 (Magic, 77) is disabled by validKeyMask 0b011: nothing is sent.
  const before = cm.rx.length;
  st.softkey(2);
  st.softkey(9);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(cm.rx.length, before);
  assert.ok(logs.some((l) => /slot 2 .*disabled/.test(l)));
  const [sk] = await stationSends(() => st.softkey(0), 1);
  assert.deepEqual(sk, { name: 'SoftKeyEvent', softKeyEvent: 11, lineInstance: 1, callReference: 5 });
  const [oh] = await stationSends(() => st.offHook(), 1);
  assert.deepEqual(oh, { name: 'OffHook', lineInstance: 1, callReference: 5 });
});

test('connected call: keypad, hook flash, on hook carry line and call reference', async () => {
  await cmSays([['CallState', { callState: 5, lineInstance: 1, callReference: 5 }], ['SetRinger', { ringMode: 1, ringDuration: 2 }]], 2);
  assert.deepEqual(events.at(-1), { type: 'ringer', mode: 'off', once: true });
  const keys = await stationSends(() => { for (const k of ['1', '*', '#', 'B', '0']) st.keypad(k); }, 5);
  assert.deepEqual(keys.map((k) => [k.kpButton, k.lineInstance, k.callReference]), [[1, 1, 5], [14, 1, 5], [15, 1, 5], [11, 1, 5], [0, 1, 5]]);
  st.keypad('x'); // not a key: ignored with a warning
  const [hf] = await stationSends(() => st.hookFlash(), 1);
  assert.deepEqual(hf, { name: 'HookFlash', lineInstance: 1, callReference: 5 });
  const [on] = await stationSends(() => st.onHook(), 1);
  assert.deepEqual(on, { name: 'OnHook', lineInstance: 1, callReference: 5 });
  await cmSays([['CallState', { callState: 2, lineInstance: 1, callReference: 5 }]], 1);
  const [oh] = await stationSends(() => st.offHook(1), 1);
  assert.deepEqual(oh, { name: 'OffHook', lineInstance: 1, callReference: 0 }, 'no ringing call → callReference 0');
});

test('dial, line button, speed dial, headset', async () => {
  const out = await stationSends(() => { st.dial('0123456789'); st.lineButton(2); st.speedDial(3); st.headset(true); st.headset(false); }, 5);
  assert.deepEqual(out[0], { name: 'EnblocCall', calledParty: '0123456789', lineInstance: 1 });
  assert.equal(out[1]!.name, 'Stimulus'); assert.equal(out[1]!.stimulus, 9); assert.equal(out[1]!.lineInstance, 2);
  assert.equal(out[2]!.stimulus, 2); assert.equal(out[2]!.lineInstance, 3);
  assert.deepEqual(out.slice(3).map((m) => [m.name, m.headsetStatus]), [['HeadsetStatus', 1], ['HeadsetStatus', 2]]);
  const n = cm.rx.length;
  st.dial('1'.repeat(25)); // longer than EnblocCall.calledParty char[24]
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(cm.rx.length, n);
});

test('tones, prompts, display, speaker/mic, time', async () => {
  const ev = await cmSays([
    ['StartTone', { tone: 0x21, toneOutputDirection: 0, lineInstance: 1, callReference: 6 }],
    ['StartTone', { tone: 0x24 }], ['StartTone', { tone: 0x0e }], ['StartTone', { tone: 0x4a }],
    ['StopTone', { lineInstance: 1, callReference: 6 }],
    ['DialedNumber', { dialedNumber: '101', lineInstance: 1, callReference: 6 }],
    ['ClearPromptStatus', { lineInstance: 1, callReference: 6 }],
    ['DisplayNotify', { timeOutValue: 3, notify: 'Hi' }], ['ClearNotify'], ['ClearPriNotify', { priority: 5 }],
    ['DisplayText', { text: '\x80\x18' }], ['ClearDisplay'],
    ['SetSpeakerMode', { speakerMode: 1 }], ['SetMicroMode', { micMode: 2 }], ['DeactivateCallPlane'],
    ['SetLamp', { stimulus: 2, stimulusInstance: 3, lampMode: 3 }], ['SetLamp', { stimulus: 15, stimulusInstance: 0, lampMode: 4 }],
  ], 17);
  assert.deepEqual(ev.map((e) => e.type === 'tone' ? `${e.tone}/${e.code}` : e.type), [
    'dial/33', 'ringback/36', 'dtmf-*/14', 'other/74', 'toneStop', 'dialedNumber', 'promptClear', 'notify', 'notifyClear',
    'notifyClear', 'displayText', 'displayClear', 'speaker', 'microphone', 'callPlane', 'lamp', 'lamp']);
  assert.deepEqual(ev[0], { type: 'tone', tone: 'dial', code: 0x21, line: 1, callRef: 6 });
  assert.deepEqual(ev[5], { type: 'dialedNumber', line: 1, callRef: 6, number: '101' });
  assert.deepEqual(ev[9], { type: 'notifyClear', priority: 5 });
  assert.deepEqual(ev[10], { type: 'displayText', text: 'Connected' });
  assert.deepEqual([ev[12], ev[13]], [{ type: 'speaker', on: true }, { type: 'microphone', on: false }]);
  assert.deepEqual(ev[15], { type: 'lamp', target: 'speeddial', instance: 3, mode: 'wink', stimulus: 2 });
  assert.deepEqual(ev[16], { type: 'lamp', target: 'message', instance: 0, mode: 'flash', stimulus: 15 });
  // Out-of-range values are logged and ignored, not turned into events.
  const n = events.length;
  cm.send('SetLamp', { stimulus: 9, stimulusInstance: 1, lampMode: 9 });
  cm.send('CallState', { callState: 99, lineInstance: 1, callReference: 1 });
  cm.send('DisplayText', { text: 'after' });
  await waitUntil(() => events.length > n, 'displayText after bad values');
  assert.deepEqual(events.slice(n), [{ type: 'displayText', text: 'after' }]);
  assert.ok(logs.some((l) => /lampMode 9/.test(l)) && logs.some((l) => /callState 99/.test(l)));
});

test('media: ORC ack echoes passThruPartyId at body offset 12; SMT/stop/close/statistics reach the engine', async () => {
  cm.send('OpenReceiveChannel', { conferenceId: 42, passThruPartyId: 0x01020304, millisecondPacketSize: 30, compressionType: 2 });
  await waitUntil(() => cm.count('OpenReceiveChannelAck') === 1, 'ORC ack');
  const ack = cm.last('OpenReceiveChannelAck')!;
  assert.equal(ack.raw.readUInt32LE(12 + 12), 0x01020304, 'passThruPartyId at body offset 12 (§3)');
  assert.deepEqual([ack.fields.status, ack.fields.ipAddr, ack.fields.portNumber], [0, '127.0.0.1', 40000 + (0x01020304 % 10000)]);
  assert.deepEqual(media.calls.at(-1), { op: 'openReceive', id: 0x01020304, args: [{ codec: 'PCMA', ptimeMs: 30 }] });

  cm.send('StartMediaTransmission', { conferenceId: 42, passThruPartyId: 0x01020304, remoteIpAddr: '192.0.2.7', remotePortNumber: 17000,
    millisecondPacketSize: 20, compressionType: 4 });
  await waitUntil(() => media.calls.at(-1)?.op === 'startTransmit', 'startTransmit');
  assert.deepEqual(media.calls.at(-1)!.args, [{ address: '192.0.2.7', port: 17000 }, { codec: 'PCMU', ptimeMs: 20 }]);

  cm.send('ConnectionStatisticsReq', { directoryNum: '100', callReference: 0, statsProcessingMode: 0 });
  await waitUntil(() => cm.count('ConnectionStatisticsRes') === 1, 'stats');
  const sr = cm.last('ConnectionStatisticsRes')!.fields;
  assert.deepEqual([sr.directoryNum, sr.packetsSent, sr.octetsReceived, sr.packetsLost, sr.jitter], ['100', 10, 1440, 1, 2]);

  // Unsupported codec (G.729 = 11) → MediaStatus 6 InvalidCodec; engine failure → 8 OutOfSockets; both echo the id.
  cm.send('OpenReceiveChannel', { conferenceId: 43, passThruPartyId: 43, millisecondPacketSize: 20, compressionType: 11 });
  await waitUntil(() => cm.count('OpenReceiveChannelAck') === 2, 'nack codec');
  assert.deepEqual([cm.last('OpenReceiveChannelAck')!.fields.status, cm.last('OpenReceiveChannelAck')!.fields.passThruPartyId], [6, 43]);
  media.failOpen = true;
  cm.send('OpenReceiveChannel', { conferenceId: 44, passThruPartyId: 44, millisecondPacketSize: 20, compressionType: 4 });
  await waitUntil(() => cm.count('OpenReceiveChannelAck') === 3, 'nack socket');
  assert.deepEqual([cm.last('OpenReceiveChannelAck')!.fields.status, cm.last('OpenReceiveChannelAck')!.fields.passThruPartyId], [8, 44]);
  media.failOpen = false;

  cm.send('StopMediaTransmission', { conferenceId: 0, passThruPartyId: 0x01020304 });
  cm.send('CloseReceiveChannel', { conferenceId: 0, passThruPartyId: 0x01020304 });
  await waitUntil(() => media.calls.at(-1)?.op === 'closeReceive', 'close');
  assert.deepEqual(media.calls.slice(-2).map((c) => c.op), ['stopTransmit', 'closeReceive']);
  assert.equal(st.state, 'registered');
});
