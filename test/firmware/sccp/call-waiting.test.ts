/**
 * Several calls on an SCCP phone, end to end on the phone side: the SCCP station against a scripted
 * call manager that sends what Asterisk chan_skinny sends (channels/chan_skinny.c setsubstate:
 * SUBSTATE_CALLWAIT, SUBSTATE_HOLD, SUBSTATE_CONNECTED, SUBSTATE_ONHOOK, docs/sccp.md §5), the
 * phone application on the emulated laptop board (20x4 HD44780 read back from the emulator, line
 * lamps and ringer read back from the GPIO lines), on the VirtualClock.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { composeEmulatedBoard, type EmulatedBoard } from '../../../hal/board/compose.js';
import { loadBoardConfig } from '../../../hal/board/load.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import { PhoneApp } from '../../../firmware/phone/phone-app.js';
import { FakeCm, FakeMedia } from '../../support/fake-cm.js';
import { RecordingTones, boardWaits, maxTransmitting } from '../../support/multi-call.js';

/** Template as chan_skinny labels it (0x80 + phrase code, docs/sccp.md §1); events are docs/sccp.md §4. */
const KEYS = [
  { softKeyLabel: '\x80\x01', softKeyEvent: 1 }, { softKeyLabel: '\x80\x02', softKeyEvent: 2 },
  { softKeyLabel: '\x80\x03', softKeyEvent: 3 }, { softKeyLabel: '\x80\x09', softKeyEvent: 9 },
  { softKeyLabel: '\x80\x0A', softKeyEvent: 10 }, { softKeyLabel: '\x80\x0B', softKeyEvent: 11 },
];
/** Sets 0 OnHook, 1 Connected, 2 OnHold, 3 RingIn, 4 OffHook (1-based template indexes). */
const SETS = [[1, 2], [3, 4], [5, 2, 4], [6, 4], [1, 4]];
const SET = { onHook: 0, connected: 1, onHold: 2, ringIn: 3, offHook: 4 } as const;
const CS = { offhook: 1, onhook: 2, ringin: 4, connected: 5, hold: 8, callwait: 9 } as const;
const LAMP = { off: 1, on: 2, wink: 3, blink: 5 } as const;
const LINE = 9;

let cm: FakeCm;
let clock: VirtualClock;
let board: EmulatedBoard;
let station: SccpStation;
let app: PhoneApp;
const media = new FakeMedia();
const tones = new RecordingTones();

const { until, screen: lcd, shows: lcdShows, lampIs, started } = boardWaits({
  get clock() { return clock; }, screen: () => board.emulators.screen(), lamp: (n) => board.emulators.lamps[n]!(),
});
async function cmGets(name: string, n = 1): Promise<Record<string, unknown>> {
  await until(`${n} × ${name} at the CM`, () => cm.count(name) >= n);
  return cm.rx.filter((m) => m.name === name)[n - 1]!.fields;
}
const say = (...msgs: Array<[string, Record<string, unknown>?]>): void => { for (const [n, f] of msgs) cm.send(n, f ?? {}); };

/** chan_skinny SUBSTATE_CONNECTED for `ref`: ringer off, call plane, stop tone, info, state, prompt, keys, then media. */
function connect(ref: number, party: { name: string; number: string }): void {
  say(['SetRinger', { ringMode: 1, ringDuration: 1 }], ['ActivateCallPlane', { lineInstance: 1 }],
    ['StopTone', { lineInstance: 1, callReference: ref }],
    ['CallInfo', { callingPartyName: party.name, callingParty: party.number, calledPartyName: 'Alice', calledParty: '100', lineInstance: 1, callReference: ref, callType: 1 }],
    ['CallState', { callState: CS.connected, lineInstance: 1, callReference: ref }],
    ['DisplayPromptStatus', { timeOutValue: 0, promptStatus: '\x80\x18', lineInstance: 1, callReference: ref }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: ref, softKeySetIndex: SET.connected, validKeyMask: 0xffff }],
    // Asterisk's OpenReceiveChannel carries callReference 0 and passThruPartyId = its call id (docs/sccp.md §3).
    ['OpenReceiveChannel', { conferenceId: ref, passThruPartyId: ref, millisecondPacketSize: 20, compressionType: 4, callReference: 0 }]);
}
function startMedia(ref: number): void {
  say(['StartMediaTransmission', { conferenceId: ref, passThruPartyId: ref, remoteIpAddr: '127.0.0.1', remotePortNumber: 30000 + ref,
    millisecondPacketSize: 20, compressionType: 4, callReference: ref }]);
}
/** chan_skinny SUBSTATE_HOLD for `ref`. */
function hold(ref: number): void {
  say(['ActivateCallPlane', { lineInstance: 1 }], ['CloseReceiveChannel', { conferenceId: 0, passThruPartyId: ref, callReference: ref }],
    ['StopMediaTransmission', { conferenceId: 0, passThruPartyId: ref, callReference: ref }],
    ['CallState', { callState: CS.hold, lineInstance: 1, callReference: ref }],
    ['SetLamp', { stimulus: LINE, stimulusInstance: 1, lampMode: LAMP.wink }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: ref, softKeySetIndex: SET.onHold, validKeyMask: 0xffff }]);
}

before(async () => {
  cm = await FakeCm.start({ softKeys: KEYS, softKeySets: SETS });
  clock = new VirtualClock({ startDate: new Date('2026-03-17T09:41:00Z') });
  board = await composeEmulatedBoard(loadBoardConfig('board-configs/laptop-emulated.yaml'), { clock, log: () => {} });
  station = new SccpStation({ deviceName: 'SEP00AABBCC0011', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media, localAddress: '127.0.0.1' });
  app = new PhoneApp({ hardware: board.hardware, signalling: station, clock, tones, log: { warn: () => {} }, options: { utc: true } });
  await started(app.start()); // the HD44780's power-on waits run on the virtual clock
  await station.start();
  await until('registered with softkeys', () => station.state === 'registered' && cm.count('TimeDateReq') === 1);
  await lcdShows({ 3: 'Redl New' });
});
after(async () => { await app.stop(); await station.stop(); await cm.close(); await board.close(); });

test('call waiting: tone not ringer, the new call listed and selected, Answer holds the first and connects the second', async () => {
  // Call 1 rings in on hook (SUBSTATE_RINGIN) and is answered by lifting the handset.
  say(['CallState', { callState: CS.ringin, lineInstance: 1, callReference: 1 }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: 1, softKeySetIndex: SET.ringIn, validKeyMask: 0xffff }],
    ['DisplayPromptStatus', { timeOutValue: 0, promptStatus: '\x80\x17101', lineInstance: 1, callReference: 1 }],
    ['CallInfo', { callingPartyName: 'Bob', callingParty: '101', calledPartyName: 'Alice', calledParty: '100', lineInstance: 1, callReference: 1, callType: 1 }],
    ['SetLamp', { stimulus: LINE, stimulusInstance: 1, lampMode: LAMP.blink }], ['SetRinger', { ringMode: 2, ringDuration: 1 }],
    ['ActivateCallPlane', { lineInstance: 1 }]);
  await lcdShows({ 1: 'From 101 Bob', 3: 'Ansr End' });
  await until('ringing', () => board.emulators.ringer() !== 'off');
  await lampIs('line1', 'blink');
  board.emulators.hook.lift();
  assert.deepEqual(await cmGets('OffHook'), { lineInstance: 1, callReference: 1 });
  connect(1, { name: 'Bob', number: '101' });
  await cmGets('OpenReceiveChannelAck');
  startMedia(1);
  say(['SetLamp', { stimulus: LINE, stimulusInstance: 1, lampMode: LAMP.on }]);
  await lcdShows({ 1: 'Connected 101 Bob', 3: 'Hold End' });
  await until('call 1 transmits', () => media.calls.some((c) => c.op === 'startTransmit' && c.id === 1));
  await lampIs('line1', 'on');
  await until('ringer silent', () => board.emulators.ringer() === 'off');

  // Call 2 arrives while connected: SUBSTATE_CALLWAIT (RingIn, CallWait, keys, prompt, info, lamp, StartTone 0x2D; no SetRinger).
  say(['CallState', { callState: CS.ringin, lineInstance: 1, callReference: 2 }],
    ['CallState', { callState: CS.callwait, lineInstance: 1, callReference: 2 }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: 2, softKeySetIndex: SET.ringIn, validKeyMask: 0xffff }],
    ['DisplayPromptStatus', { timeOutValue: 0, promptStatus: 'Callwaiting', lineInstance: 1, callReference: 2 }],
    ['CallInfo', { callingPartyName: 'Carol', callingParty: '102', calledPartyName: 'Alice', calledParty: '100', lineInstance: 1, callReference: 2, callType: 1 }],
    ['SetLamp', { stimulus: LINE, stimulusInstance: 1, lampMode: LAMP.blink }],
    ['StartTone', { tone: 0x2d, toneOutputDirection: 0, lineInstance: 1, callReference: 2 }]);
  await lcdShows({ 2: '>102 Carol   Waiting', 3: 'Ansr End' });
  assert.match(lcd()[1]!, /^ 101 Bob +0:\d\d$/, 'the connected call with its timer');
  assert.equal(tones.playing, 'callwaiting', 'call-waiting tone in the earpiece');
  await lampIs('line1', 'blink');
  assert.equal(board.emulators.ringer(), 'off', 'no ringer while off hook in a call');

  // Answer acts on the selected (waiting) call; the CM holds call 1 and connects call 2.
  app.press('softkey1');
  assert.deepEqual(await cmGets('SoftKeyEvent'), { softKeyEvent: 11, lineInstance: 1, callReference: 2 });
  hold(1);
  connect(2, { name: 'Carol', number: '102' });
  await cmGets('OpenReceiveChannelAck', 2);
  startMedia(2);
  await lcdShows({ 2: '>102 Carol      0:00', 3: 'Hold End' });
  assert.match(lcd()[1]!, /^ 101 Bob +Held 0:\d\d$/);
  assert.equal(tones.playing, undefined, 'the CM stopped the call-waiting tone');
  await lampIs('line1', 'wink'); // SCCP lamps are the CM's: Asterisk's last word was SetLamp Wink
  assert.deepEqual(media.calls.filter((c) => c.op !== 'openReceive').map((c) => `${c.op} ${c.id}`),
    ['startTransmit 1', 'closeReceive 1', 'stopTransmit 1', 'startTransmit 2']);
  assert.equal(maxTransmitting(media.calls), 1, 'never two streams at once');
  await clock.advance(5000);
  await lcdShows({ 2: /^>102 Carol +0:0[78]$/ }); // the timer runs on the clock
});

test('up/down select a call: its softkeys show and the softkeys act on it; EndCall ends the selected call, the other stays held', async () => {
  app.press('up');
  await lcdShows({ 1: /^>101 Bob +Held \d:\d\d$/, 2: /^ 102 Carol +\d:\d\d$/, 3: 'Resm New  End' });
  assert.equal(cm.count('SoftKeyEvent'), 1, 'selecting sends nothing to the CM');
  app.press('down');
  await lcdShows({ 2: /^>102 Carol +\d:\d\d$/, 3: 'Hold End' });
  app.press('softkey2'); // EndCall on call 2
  assert.deepEqual(await cmGets('SoftKeyEvent', 2), { softKeyEvent: 9, lineInstance: 1, callReference: 2 });
  // chan_skinny SUBSTATE_ONHOOK of the active sub.
  say(['CloseReceiveChannel', { passThruPartyId: 2 }], ['StopMediaTransmission', { passThruPartyId: 2 }],
    ['StopTone', { lineInstance: 1, callReference: 2 }], ['CallState', { callState: CS.onhook, lineInstance: 1, callReference: 2 }],
    ['ClearPromptStatus', { lineInstance: 1, callReference: 2 }], ['SetRinger', { ringMode: 1, ringDuration: 1 }]);
  await lcdShows({ 1: 'On hold 101 Bob', 2: /^ *\d+:\d\d$/, 3: 'Resm New  End' }); // the held call's timer (conversation view)
  assert.deepEqual(app.callHistory.map((e) => [e.kind, e.number]), [['received', '102']]);
  app.press('softkey1'); // Resume call 1
  assert.deepEqual(await cmGets('SoftKeyEvent', 3), { softKeyEvent: 10, lineInstance: 1, callReference: 1 });
  connect(1, { name: 'Bob', number: '101' });
  await cmGets('OpenReceiveChannelAck', 3);
  startMedia(1);
  await lcdShows({ 1: 'Connected 101 Bob', 3: 'Hold End' });
  assert.equal(maxTransmitting(media.calls), 1);
});

test('NewCall from a held call: dial tone on a new call reference, digits go to it, the held one stays listed', async () => {
  app.press('softkey1'); // Hold call 1
  assert.deepEqual(await cmGets('SoftKeyEvent', 4), { softKeyEvent: 3, lineInstance: 1, callReference: 1 });
  hold(1);
  await lcdShows({ 1: 'On hold 101 Bob', 3: 'Resm New  End' });
  app.press('softkey2'); // NewCall
  assert.deepEqual(await cmGets('SoftKeyEvent', 5), { softKeyEvent: 2, lineInstance: 1, callReference: 1 });
  // chan_skinny SUBSTATE_OFFHOOK on a new sub (call id 3).
  say(['ActivateCallPlane', { lineInstance: 1 }], ['StartTone', { tone: 0x21, lineInstance: 1, callReference: 3 }],
    ['CallState', { callState: CS.offhook, lineInstance: 1, callReference: 3 }],
    ['DisplayPromptStatus', { timeOutValue: 0, promptStatus: '\x80\x20', lineInstance: 1, callReference: 3 }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: 3, softKeySetIndex: SET.offHook, validKeyMask: 0xffff }]);
  await lcdShows({ 2: '>Enter Number', 3: 'Redl End' });
  assert.match(lcd()[1]!, /^ 101 Bob +Held \d:\d\d$/);
  assert.equal(tones.playing, 'dial');
  app.press('1');
  assert.deepEqual(await cmGets('KeypadButton'), { kpButton: 1, lineInstance: 1, callReference: 3 });
  await lcdShows({ 2: '>1' });
  app.press('softkey2'); // EndCall of the new call
  assert.deepEqual(await cmGets('SoftKeyEvent', 6), { softKeyEvent: 9, lineInstance: 1, callReference: 3 });
  say(['StopTone', { lineInstance: 1, callReference: 3 }], ['CallState', { callState: CS.onhook, lineInstance: 1, callReference: 3 }]);
  await lcdShows({ 1: 'On hold 101 Bob', 3: 'Resm New  End' });
  assert.deepEqual(app.callHistory.map((e) => [e.kind, e.number]), [['received', '102']], 'a call abandoned while dialling is not logged');
});

test('a CM that sends no call-waiting tone: the phone plays its own and mutes a SetRinger; a waiting caller who gives up is missed', async () => {
  app.press('softkey1'); // Resume call 1
  await cmGets('SoftKeyEvent', 7);
  connect(1, { name: 'Bob', number: '101' });
  await cmGets('OpenReceiveChannelAck', 4);
  startMedia(1);
  await lcdShows({ 1: 'Connected 101 Bob' });
  const before = tones.log.length;
  say(['CallState', { callState: CS.ringin, lineInstance: 1, callReference: 4 }],
    ['SelectSoftKeys', { lineInstance: 1, callReference: 4, softKeySetIndex: SET.ringIn, validKeyMask: 0xffff }],
    ['CallInfo', { callingPartyName: 'Dan', callingParty: '103', calledPartyName: 'Alice', calledParty: '100', lineInstance: 1, callReference: 4, callType: 1 }],
    ['SetRinger', { ringMode: 2, ringDuration: 1 }]);
  await lcdShows({ 2: '>103 Dan     Ringing', 3: 'Ansr End' });
  assert.deepEqual(tones.log.slice(before), ['play callwaiting'], 'local 440 Hz call-waiting tone (tones.ts)');
  await clock.advance(1500);
  assert.equal(board.emulators.ringer(), 'off', 'SetRinger muted while off hook in a call');
  say(['CallState', { callState: CS.onhook, lineInstance: 1, callReference: 4 }]);
  await lcdShows({ 1: 'Connected 101 Bob', 3: 'Hold End' });
  assert.equal(tones.playing, undefined, 'local tone stopped with the waiting call');
  assert.deepEqual(app.callHistory.map((e) => [e.kind, e.number]), [['missed', '103'], ['received', '102']]);
  // Hanging up ends the connected call (the handset's call).
  board.emulators.hook.replace();
  assert.deepEqual(await cmGets('OnHook'), { lineInstance: 1, callReference: 1 });
});
