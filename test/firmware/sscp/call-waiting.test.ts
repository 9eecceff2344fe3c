/**
 * Several calls on an SSCP phone: the SSCP station against a scripted call manager, the phone
 * application on the emulated Pi Zero 2 W board (128x64 SSD1306 read back as its 21x8 text grid,
 * line lamp read back from its GPIO), on the VirtualClock. On SSCP the phone drives its line lamps
 * from the calls it holds (docs/sscp.md §5 "Several calls"): the CM's Lamp for a line with calls is
 * not what the lamp shows.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { composeEmulatedBoard, type EmulatedBoard } from '../../../hal/board/compose.js';
import { loadBoardConfig } from '../../../hal/board/load.js';
import { SscpStation } from '../../../firmware/sscp/station.js';
import { PhoneApp } from '../../../firmware/phone/phone-app.js';
import { FakeMedia } from '../../support/fake-cm.js';
import { FakeSscpCm } from '../../support/fake-sscp-cm.js';
import { RecordingTones, boardWaits, maxTransmitting } from '../../support/multi-call.js';

let cm: FakeSscpCm;
let clock: VirtualClock;
let board: EmulatedBoard;
let station: SscpStation;
let app: PhoneApp;
const media = new FakeMedia();
const tones = new RecordingTones();

const { until, screen, shows, lampIs: lamp, started } = boardWaits({
  get clock() { return clock; }, screen: () => board.emulators.screen(), lamp: (n) => board.emulators.lamps[n]!(),
});
const lampIs = (mode: string): Promise<void> => lamp('line1', mode);
async function cmGets(name: string, n = 1): Promise<Record<string, unknown>> {
  await until(`${n} × ${name} at the CM`, () => cm.count(name) >= n);
  return cm.rx.filter((m) => m.name === name)[n - 1]!.fields as Record<string, unknown>;
}
const keys = (...k: Array<[string, number]>) => k.map(([label, event]) => ({ label, event }));
const ANSWER = keys(['Answer', 11], ['EndCall', 9]);
const CONNECTED = keys(['Hold', 3], ['EndCall', 9]);
const ON_HOLD = keys(['Resume', 10], ['NewCall', 2], ['EndCall', 9]);

before(async () => {
  clock = new VirtualClock({ startDate: new Date('2026-03-17T09:41:00Z') });
  cm = await FakeSscpCm.start(clock);
  board = await composeEmulatedBoard(loadBoardConfig('board-configs/pi-zero2w-ssd1306-mcp23017.yaml'), { clock, log: () => {} });
  station = new SscpStation({ mac: '00:11:22:aa:bb:01', servers: [{ host: '127.0.0.1', port: cm.port }], clock, media,
    localAddress: '127.0.0.1', transport: { retries: 2, initialRtoMs: 200, jitter: 0 } });
  app = new PhoneApp({ hardware: board.hardware, signalling: station, clock, tones, log: { warn: () => {} }, options: { utc: true } });
  await started(app.start()); // the SSD1306 init waits on the virtual clock
  await station.start();
  await until('registered', () => station.state === 'registered');
  await shows({ 7: 'Redl New' });
});
after(async () => { await app.stop(); await station.stop(); await cm.close(); await board.close(); });

test('SSCP call waiting on a 21x8 OLED: list, per-call soft keys, local tone, muted ringer, lamps from the calls', async () => {
  cm.send('CallState', { line: 1, callId: '1', state: 'ringin' });
  cm.send('CallInfo', { line: 1, callId: '1', callingName: 'Bob', calling: '101', calledName: 'Dana', called: '200', direction: 'inbound' });
  cm.send('SoftKeySet', { line: 1, callId: '1', keys: ANSWER });
  cm.send('Ringer', { mode: 'inside' });
  cm.send('Lamp', { target: 'line', instance: 1, mode: 'on' }); // not what a ringing line shows: the phone's own lamp wins
  await shows({ 1: 'From 101 Bob', 7: 'Ansr End' });
  await lampIs('blink');
  board.emulators.hook.lift();
  assert.deepEqual(await cmGets('OffHook'), { line: 1 });
  cm.send('Ringer', { mode: 'off' });
  cm.send('CallState', { line: 1, callId: '1', state: 'connected' });
  cm.send('SoftKeySet', { line: 1, callId: '1', keys: CONNECTED });
  cm.send('MediaOpen', { mediaId: 11, codec: 'PCMU', ptime: 20, callId: '1' });
  await cmGets('MediaOpenAck');
  cm.send('MediaStart', { mediaId: 11, codec: 'PCMU', ptime: 20, remoteFamily: '4', remoteIp: '127.0.0.1', remotePort: 30011, callId: '1' });
  await shows({ 1: 'Connected 101 Bob', 7: 'Hold End' });
  await lampIs('on');

  // A second call while connected: the CM rings it like any call; the phone is off hook in a call.
  const toneLog = tones.log.length;
  cm.send('CallState', { line: 1, callId: '2', state: 'ringin' });
  cm.send('CallInfo', { line: 1, callId: '2', callingName: 'Carol', calling: '102', calledName: 'Dana', called: '200', direction: 'inbound' });
  cm.send('SoftKeySet', { line: 1, callId: '2', keys: ANSWER });
  cm.send('Ringer', { mode: 'inside' });
  await shows({ 2: /^>102 Carol +Ringing$/, 7: 'Ansr End' });
  assert.match(screen()[1]!, /^ 101 Bob +0:0\d$/);
  assert.deepEqual(screen().slice(3, 7), ['', '', '', '']);
  assert.deepEqual(tones.log.slice(toneLog), ['play callwaiting'], 'local call-waiting tone: the CM sent no Tone');
  await lampIs('blink');
  assert.equal(board.emulators.ringer(), 'off', 'no ringer while off hook in a call');

  // Answer: SoftKeyEvent for call 2. This CM holds call 1 without stopping its media first.
  app.press('softkey1');
  assert.deepEqual(await cmGets('SoftKeyEvent'), { event: 11, eventName: 'Answer', callId: '2', line: 1 });
  cm.send('CallState', { line: 1, callId: '1', state: 'hold' });
  cm.send('SoftKeySet', { line: 1, callId: '1', keys: ON_HOLD });
  cm.send('CallState', { line: 1, callId: '2', state: 'connected' });
  cm.send('SoftKeySet', { line: 1, callId: '2', keys: CONNECTED });
  cm.send('MediaOpen', { mediaId: 12, codec: 'PCMU', ptime: 20, callId: '2' });
  await cmGets('MediaOpenAck', 2);
  cm.send('MediaStart', { mediaId: 12, codec: 'PCMU', ptime: 20, remoteFamily: '4', remoteIp: '127.0.0.1', remotePort: 30012, callId: '2' });
  await shows({ 2: /^>102 Carol +0:00$/, 7: 'Hold End' });
  assert.match(screen()[1]!, /^ 101 Bob +Held 0:\d\d$/);
  await until('call 2 transmits', () => media.calls.some((c) => c.op === 'startTransmit' && c.id === 12));
  assert.deepEqual(media.calls.filter((c) => c.op === 'startTransmit' || c.op === 'stopTransmit').map((c) => `${c.op} ${c.id}`),
    ['startTransmit 11', 'stopTransmit 11', 'startTransmit 12'], 'the held call stops sending and playing');
  assert.equal(maxTransmitting(media.calls), 1);
  assert.equal(tones.playing, undefined, 'call-waiting tone gone once answered');
  await lampIs('on'); // a call in use and a held one

  // The held call is selected with the line key; EndCall of call 2 leaves call 1 held and the lamp winking.
  app.press('line1');
  await shows({ 1: /^>101 Bob +Held/, 7: 'Resm New  End' });
  app.press('line1');
  await shows({ 2: /^>102 Carol/, 7: 'Hold End' });
  assert.equal(cm.count('LineButton'), 0, 'selecting among the line\'s calls sends nothing');
  app.press('softkey2');
  assert.deepEqual(await cmGets('SoftKeyEvent', 2), { event: 9, eventName: 'EndCall', callId: '2', line: 1 });
  cm.send('MediaStop', { mediaId: 12 });
  cm.send('MediaClose', { mediaId: 12 });
  cm.send('CallState', { line: 1, callId: '2', state: 'onhook' });
  cm.send('Lamp', { target: 'line', instance: 1, mode: 'off' }); // the CM's lamp for a line that still has a call: ignored
  await shows({ 1: 'On hold 101 Bob', 7: 'Resm New  End' });
  await lampIs('wink');
  assert.deepEqual(app.callHistory.map((e) => [e.kind, e.number]), [['received', '102']]);
});

test('SSCP hold + NewCall: the held call stays listed, up/down choose which call the soft keys act on', async () => {
  // Continues from the call-waiting test: call 1 (Bob) is held and the only call.
  await shows({ 1: 'On hold 101 Bob', 7: 'Resm New  End' });
  const DIALLING = keys(['Redial', 1], ['EndCall', 9]);
  app.press('softkey2');
  assert.deepEqual(await cmGets('SoftKeyEvent', 3), { event: 2, eventName: 'NewCall', callId: '1', line: 1 });
  cm.send('CallState', { line: 1, callId: '3', state: 'offhook' });
  cm.send('Tone', { tone: 'dial', line: 1, callId: '3' });
  cm.send('SoftKeySet', { line: 1, callId: '3', keys: DIALLING });
  await shows({ 1: /^ 101 Bob +Held \d:\d\d$/, 2: /^>/, 7: 'Redl End' });

  app.press('up');
  await shows({ 1: /^>101 Bob +Held/, 7: 'Resm New  End' });
  app.press('softkey3');
  assert.deepEqual(await cmGets('SoftKeyEvent', 4), { event: 9, eventName: 'EndCall', callId: '1', line: 1 },
    'EndCall names the selected held call, not the one being dialled');
  app.press('down');
  await shows({ 1: /^ 101 Bob +Held/, 2: /^>/, 7: 'Redl End' });
  app.press('softkey2');
  assert.deepEqual(await cmGets('SoftKeyEvent', 5), { event: 9, eventName: 'EndCall', callId: '3', line: 1 });
  assert.equal(cm.count('LineButton'), 0, 'selection sends nothing to the CM');
  cm.send('CallState', { line: 1, callId: '3', state: 'onhook' });
  cm.send('CallState', { line: 1, callId: '1', state: 'onhook' });
  await shows({ 7: 'Redl New' });
  await lampIs('off');
});
