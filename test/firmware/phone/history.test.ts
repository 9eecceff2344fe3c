/** Phone-side call history (docs/features.md §4 Directories: missed / received / placed) in PhoneApp. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneApp } from '../../../firmware/phone/phone-app.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeSignalling, FakeTones, ManualClock, rig, settle } from '../../support/phone-fakes.js';

async function setup(cols = 20, rows = 4) {
  const r = rig(cols, rows, 4);
  const sig = new FakeSignalling();
  const clock = new ManualClock();
  const app = new PhoneApp({
    hardware: r.hw, signalling: sig, clock, tones: new FakeTones(), log: { warn: () => {} },
    options: { utc: true },
  });
  await app.start();
  sig.emit({ type: 'registration', state: 'registered', server: 'cm1' },
    { type: 'lineStatus', line: 1, number: '100', label: '', displayName: 'Alice' },
    { type: 'softkeys', line: 1, callRef: 0, keys: [{ label: 'Redial', event: 1, enabled: true }] });
  await settle();
  return { r, sig, clock, app };
}

const st = (callRef: number, state: SignallingEvent & { type: 'callState' } extends { state: infer S } ? S : never): SignallingEvent =>
  ({ type: 'callState', line: 1, callRef, state });
const info = (callRef: number, dir: 'inbound' | 'outbound', num: string, name: string): SignallingEvent => dir === 'inbound'
  ? { type: 'callInfo', line: 1, callRef, callingName: name, calling: num, calledName: 'Alice', called: '100', direction: dir }
  : { type: 'callInfo', line: 1, callRef, callingName: 'Alice', calling: '100', calledName: name, called: num, direction: dir };

test('ringing then idle is missed, answered is received, outbound reaching the far end is placed', async () => {
  const s = await setup();
  s.sig.emit(st(1, 'ringin'), info(1, 'inbound', '101', 'Bob'));
  await s.clock.advance(5000);
  s.sig.emit(st(1, 'onhook'));
  await s.clock.advance(60_000);
  s.sig.emit(st(2, 'ringin'), info(2, 'inbound', '102', 'Carol'), st(2, 'connected'), st(2, 'onhook'));
  s.sig.emit(st(3, 'offhook'), st(3, 'ringout'), info(3, 'outbound', '103', 'Dave'), st(3, 'onhook'));
  s.sig.emit(st(4, 'offhook'), st(4, 'onhook')); // abandoned while dialling: not a placed call
  await settle();
  assert.deepEqual(s.app.callHistory.map((e) => [e.kind, e.number, e.name, e.at.toISOString()]), [
    ['placed', '103', 'Dave', '2024-03-05T09:42:35.000Z'],
    ['received', '102', 'Carol', '2024-03-05T09:42:35.000Z'],
    ['missed', '101', 'Bob', '2024-03-05T09:41:30.000Z'],
  ]);
});

test('"N missed" shows on the idle screen until the history is viewed; the LCD lists entries', async () => {
  const s = await setup();
  for (const [ref, num, name] of [[1, '101', 'Bob'], [2, '102', 'Carol']] as const) {
    s.sig.emit(st(ref, 'ringin'), info(ref, 'inbound', num, name), st(ref, 'onhook'));
  }
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), '2 missed');
  s.app.press('directories'); s.app.press('1'); // Directories → 1 Call history
  await settle();
  assert.deepEqual(s.r.display.lines, [
    'Missed           1/2',
    '102 Carol           ',
    '09:41 05/03         ',
    'Dial Next Exit      ',
  ]);
  s.app.press('softkey2'); // Next
  await settle();
  assert.equal(s.r.display.lines[0], 'Missed           2/2');
  assert.equal(s.r.display.lines[1]?.trimEnd(), '101 Bob');
  s.app.press('softkey3'); // Exit: back to the Directories menu
  await settle();
  assert.deepEqual(s.r.display.lines.map((l) => l.trimEnd()), ['>1 Call history', ' 2 Phone book', ' 3 Directory', 'Sel  Exit']);
  s.app.press('softkey2'); // Exit
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), '', 'hint gone once viewed');
  assert.equal(s.r.display.lines[3]?.trimEnd(), 'Redl', 'the CM softkeys are back');
  assert.deepEqual(s.sig.take(), [], 'browsing sends nothing to the call manager');
});

test('Dial places a call to the selected entry like redial (speaker off hook, whole number)', async () => {
  const s = await setup();
  s.sig.emit(st(1, 'offhook'), st(1, 'ringout'), info(1, 'outbound', '105', 'Eve'), st(1, 'onhook'));
  s.sig.emit(st(2, 'ringin'), info(2, 'inbound', '101', 'Bob'), st(2, 'onhook'));
  await settle();
  s.sig.take();
  s.app.press('directories'); s.app.press('1'); // Directories → 1 Call history
  s.app.press('down');
  s.app.press('softkey1'); // Dial
  await settle();
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['dial', '105']]);
  assert.equal(s.r.lamps.speaker?.mode, 'on');
  assert.notEqual(s.r.display.lines[3]?.slice(0, 4), 'Dial', 'browser closed');
});

test('16x2 layout, empty history, digits leave the browser and dial, history size is bounded', async () => {
  const s = await setup(16, 2);
  s.app.press('directories'); s.app.press('1'); // Directories → 1 Call history
  await settle();
  assert.deepEqual(s.r.display.lines, ['No calls        ', 'Dia Nxt Ext     ']);
  s.app.press('exit'); // back to the Directories menu
  s.app.press('exit');
  // 21 missed calls: the history keeps the newest 20 (firmware/phone/history.ts DEFAULT_HISTORY_SIZE).
  for (let ref = 1; ref <= 21; ref++) s.sig.emit(st(ref, 'ringin'), info(ref, 'inbound', `${100 + ref}`, 'X'), st(ref, 'onhook'));
  await settle();
  assert.equal(s.r.display.lines[0]?.trimEnd(), '21 missed');
  assert.equal(s.app.callHistory.length, 20);
  assert.equal(s.app.callHistory.at(-1)?.number, '102', 'the oldest call (101) was dropped');
  s.app.press('directories'); s.app.press('1'); // Directories → 1 Call history
  await settle();
  assert.deepEqual(s.r.display.lines, ['M 121 X         ', 'Dia Nxt Ext     ']);
  s.sig.take();
  s.app.press('7');
  await settle();
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['keypad', '7']]);
  assert.notEqual(s.r.display.lines[1], 'Dia Nxt Ext     ');
});

test('an arriving call closes the browser; Directories does nothing during a call', async () => {
  const s = await setup();
  s.app.press('directories'); s.app.press('1'); // Directories → 1 Call history
  await settle();
  assert.equal(s.r.display.lines[1]?.trimEnd(), 'No calls');
  s.sig.emit(st(1, 'ringin'), info(1, 'inbound', '101', 'Bob'));
  await settle();
  assert.match(s.r.display.lines[1] ?? '', /^From 101 Bob/);
  s.app.press('directories');
  await settle();
  assert.match(s.r.display.lines[1] ?? '', /^From 101 Bob/);
});

test('a placed call keeps the number dialled: voicemail answering or a transfer by the far end does not rewrite it', async () => {
  const s = await setup();
  const dialed = (callRef: number, number: string): SignallingEvent => ({ type: 'dialedNumber', line: 1, callRef, number });
  // 100 does not answer; the CM's voicemail (*97) takes the call and says so in a new call info.
  s.sig.emit(st(1, 'offhook'), info(1, 'outbound', '100', 'Alice'), dialed(1, '100'), st(1, 'proceed'), st(1, 'ringout'),
    info(1, 'outbound', '*97', 'Voicemail'), st(1, 'connected'), st(1, 'onhook'));
  // Bob answers and transfers us to Carol (102), whom we never dialled.
  s.sig.emit(st(2, 'offhook'), info(2, 'outbound', '101', 'Bob'), dialed(2, '101'), st(2, 'ringout'), st(2, 'connected'),
    info(2, 'outbound', '102', 'Carol'), st(2, 'connected'), st(2, 'onhook'));
  await settle();
  assert.deepEqual(s.app.callHistory.map((e) => [e.kind, e.number, e.name]), [['placed', '101', 'Bob'], ['placed', '100', 'Alice']]);
  // What Redial will dial, as the idle screen shows it: the last number dialled, not the transfer target.
  assert.ok(s.r.display.lines.some((l) => l.includes('Last 101')), s.r.display.lines.join('|'));
});
