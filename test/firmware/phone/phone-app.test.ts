import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneApp, type PhoneAppOptions } from '../../../firmware/phone/phone-app.js';
import type { SoftkeySlot } from '../../../firmware/station/signalling.js';
import { FakeSignalling, FakeTones, ManualClock, rig, settle } from '../../support/phone-fakes.js';

const keys = (...labels: string[]): SoftkeySlot[] =>
  labels.map((label, i) => ({ label, event: i + 1, enabled: label !== '' }));

async function setup(cols = 20, rows = 4, options: PhoneAppOptions = {}) {
  const r = rig(cols, rows, 4);
  const sig = new FakeSignalling();
  const clock = new ManualClock();
  const tones = new FakeTones();
  const warnings: string[] = [];
  const app = new PhoneApp({
    hardware: r.hw, signalling: sig, clock, tones,
    log: { warn: (m) => warnings.push(m) }, options: { utc: true, ...options },
  });
  await app.start();
  return { r, sig, clock, tones, app, warnings };
}

async function registered(s: Awaited<ReturnType<typeof setup>>): Promise<void> {
  s.sig.emit(
    { type: 'registration', state: 'registered', server: 'cm1' },
    // As Asterisk sends it: the label in the display-name field, the text label empty (the phone shows the name).
    { type: 'lineStatus', line: 1, number: '100', label: '', displayName: 'Alice' },
    { type: 'softkeys', line: 1, callRef: 0, keys: keys('Redial', 'NewCall', 'CFwdAll', 'DND') },
  );
  await settle();
}

test('registration status shows on row 2 until registered; header has time and line', async () => {
  const s = await setup();
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'No call manager');
  s.sig.emit({ type: 'registration', state: 'registering', server: '10.0.0.1' });
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Registering...');
  s.sig.emit({ type: 'registration', state: 'rejected', reason: 'No device' });
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Rejected: No device');
  await registered(s);
  assert.deepEqual(s.r.display.lines, [
    '09:41 05/03    Alice',
    '                    ',
    '                    ',
    'Redl New  CFwd DND  ',
  ]);
  assert.ok(s.r.display.backlight, 'backlight switched on at start');
  assert.ok(s.r.keypad.started, 'keypad started by the app');
  await s.app.stop();
});

test('onScreen reports each written render, so an owner follows the screen without polling', async () => {
  const s = await setup();
  const seen: string[][] = [];
  const off = s.app.onScreen((rows) => seen.push([...rows]));
  await registered(s);
  assert.ok(seen.length >= 1, 'the registration render was reported');
  assert.deepEqual(seen.at(-1), s.r.display.lines, 'reported rows are the rows on the display');
  const n = seen.length;
  await s.clock.advance(10 * 60_000);              // ten idle minutes: only the clock row's minute renders
  await settle();
  assert.ok(seen.length - n <= 10, `at most one render per minute while idle (${seen.length - n})`);
  off();
  const before = seen.length;
  s.sig.emit({ type: 'notify', text: 'Hello', timeoutS: 5 });
  await settle();
  assert.notDeepEqual(s.r.display.lines, seen.at(-1), 'the notify changed the screen');
  assert.equal(seen.length, before, 'no reports after unsubscribing');
  await s.app.stop();
});

test('outgoing call: hook, digits, ring out, connected, softkeys', async () => {
  const s = await setup();
  await registered(s);
  s.r.hook.set(true);
  assert.deepEqual(s.sig.take(), [['offHook', 1]]);
  s.sig.emit(
    { type: 'callState', line: 1, callRef: 7, state: 'offhook' },
    { type: 'tone', tone: 'dial', line: 1, callRef: 7 },
    { type: 'prompt', text: 'Enter Number', timeoutS: 0, line: 1, callRef: 7 },
    { type: 'softkeys', line: 1, callRef: 7, keys: keys('Redial', 'EndCall') },
  );
  await settle();
  assert.equal(s.tones.playing, 'dial');
  assert.equal(s.app.screen()[1]?.trimEnd(), 'Enter Number');
  s.r.keypad.press('1', '0', '1');
  assert.deepEqual(s.sig.take(), [['keypad', '1'], ['keypad', '0'], ['keypad', '1']]);
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), '101', 'typed digits are echoed');
  s.sig.emit(
    { type: 'toneStop', line: 1, callRef: 7 },
    { type: 'callState', line: 1, callRef: 7, state: 'ringout' },
    { type: 'callInfo', line: 1, callRef: 7, callingName: 'Alice', calling: '100', calledName: '', called: '101', direction: 'outbound' },
    { type: 'dialedNumber', line: 1, callRef: 7, number: '101' },
    { type: 'softkeys', line: 1, callRef: 7, keys: keys('', 'EndCall', 'Transfer') },
  );
  await settle();
  assert.equal(s.tones.playing, undefined);
  assert.equal(s.r.display.lines[1]?.trimEnd(), 'Ring out 101');
  assert.equal(s.r.display.lines[3], '     End  Xfer      ', 'blank cell keeps slot 0 position');
  s.sig.emit(
    { type: 'callInfo', line: 1, callRef: 7, callingName: 'Alice', calling: '100', calledName: 'Bob', called: '101', direction: 'outbound' },
    { type: 'callState', line: 1, callRef: 7, state: 'connected' },
    { type: 'softkeys', line: 1, callRef: 7, keys: keys('Hold', 'EndCall', 'Transfer', 'Park') },
  );
  await settle();
  assert.equal(s.r.display.lines[1]?.trimEnd(), 'Connected 101 Bob');
  assert.equal(s.r.display.lines[3], 'Hold End  Xfer Park ');
  s.r.keypad.press('softkey2');
  assert.deepEqual(s.sig.take(), [['softkey', 1]]);
  s.r.keypad.press('hold');
  assert.deepEqual(s.sig.take(), [['softkey', 0]], "named 'hold' key maps to the Hold softkey");
  s.r.hook.set(false);
  assert.deepEqual(s.sig.take(), [['onHook']]);
  s.sig.emit({ type: 'callState', line: 1, callRef: 7, state: 'onhook' });
  await settle();
  assert.equal(s.r.display.lines[1]?.trim(), '');
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Last 101', 'last dialled number remembered');
  await s.app.stop();
});

test('digits on hook go off hook on the speaker first; redial key dials the last number', async () => {
  const s = await setup();
  await registered(s);
  s.r.keypad.press('5');
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['keypad', '5']]);
  assert.equal(s.r.lamps.speaker?.mode, 'on');
  s.sig.emit({ type: 'callState', line: 1, callRef: 3, state: 'offhook' }, { type: 'dialedNumber', line: 1, callRef: 3, number: '555' });
  s.sig.emit({ type: 'callState', line: 1, callRef: 3, state: 'onhook' });
  await settle();
  assert.equal(s.r.lamps.speaker?.mode, 'off', 'speaker released when the call ended');
  s.sig.emit({ type: 'softkeys', line: 1, callRef: 0, keys: keys('NewCall') });
  s.r.keypad.press('redial');
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['dial', '555']]);
  await s.app.stop();
});

test('incoming call: ringer, lamp, caller on screen, hook answers that line', async () => {
  const s = await setup();
  await registered(s);
  s.sig.emit(
    { type: 'callState', line: 2, callRef: 9, state: 'ringin' },
    { type: 'callInfo', line: 2, callRef: 9, callingName: 'Carol', calling: '102', calledName: '', called: '100', direction: 'inbound' },
    { type: 'lamp', target: 'line', instance: 2, mode: 'blink' },
    { type: 'lamp', target: 'line', instance: 9, mode: 'on' },
    { type: 'lamp', target: 'message', instance: 0, mode: 'wink' },
    { type: 'ringer', mode: 'inside', once: false },
    { type: 'notify', text: 'From 102', timeoutS: 10, priority: 5 },
  );
  await settle();
  assert.equal(s.r.ringer.mode, 'inside');
  assert.deepEqual(s.r.ringer.log.at(-1), ['inside', false]);
  assert.equal(s.r.lamps.line2?.mode, 'blink');
  assert.equal(s.r.lamps.message?.mode, 'wink');
  assert.equal(s.r.display.lines[1]?.trimEnd(), 'From 102 Carol');
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'From 102');
  s.r.hook.set(true);
  assert.deepEqual(s.sig.take(), [['offHook', 2]]);
  await s.app.stop();
});

test('notify clears after its timeout on the clock; a newer notify is not cut short', async () => {
  const s = await setup();
  await registered(s);
  s.sig.emit({ type: 'notify', text: 'Forwarded to 200', timeoutS: 5 });
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Forwarded to 200');
  await s.clock.advance(4999);
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Forwarded to 200');
  await s.clock.advance(1);
  assert.equal(s.r.display.lines[2]?.trim(), '');
  s.sig.emit({ type: 'notify', text: 'First', timeoutS: 3 });
  await s.clock.advance(2000);
  s.sig.emit({ type: 'notify', text: 'Second', timeoutS: 3 });
  await s.clock.advance(1500);
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Second', "first notify's timer must not clear the second");
  await s.clock.advance(1500);
  assert.equal(s.r.display.lines[2]?.trim(), '');
  await s.app.stop();
});

test('16x2: status row and softkeys; dialled digits while dialling', async () => {
  const s = await setup(16, 2);
  assert.equal(s.r.display.lines[0], 'No call manager ');
  await registered(s);
  assert.deepEqual(s.r.display.lines, ['09:41      Alice', 'Rdl New Fwd DND ']);
  s.r.hook.set(true);
  s.sig.emit({ type: 'callState', line: 1, callRef: 1, state: 'offhook' },
    { type: 'softkeys', line: 1, callRef: 1, keys: keys('<<', 'EndCall') });
  s.r.keypad.press('4', '2');
  await settle();
  assert.deepEqual(s.r.display.lines, ['> 42            ', '<<  End         ']);
  s.r.keypad.press('softkey1');
  await settle();
  assert.equal(s.r.display.lines[0], '> 4             ', 'backspace softkey drops the last typed digit');
  s.sig.emit({ type: 'callState', line: 1, callRef: 1, state: 'connected' },
    { type: 'callInfo', line: 1, callRef: 1, callingName: '', calling: '100', calledName: 'Dave Long-Name', called: '4', direction: 'outbound' });
  await settle();
  assert.equal(s.r.display.lines[0], 'Connected 4     ');
  await s.app.stop();
});

test('a display throwing HalError does not crash; the next show works', async () => {
  const s = await setup();
  await registered(s);
  const inits = s.r.display.inits;
  s.r.display.failNext = 1;
  s.sig.emit({ type: 'notify', text: 'One', timeoutS: 0 });
  await settle();
  assert.equal(s.warnings.length, 1);
  assert.match(s.warnings[0] ?? '', /i2c-1@0x27 \(PCF8574\).*hint: check the LCD cable/);
  assert.equal(s.app.screen()[2]?.trimEnd(), 'One', 'screen() still reports what was rendered');
  s.sig.emit({ type: 'notify', text: 'Two', timeoutS: 0 });
  await settle();
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Two');
  assert.equal(s.r.display.inits, inits + 1, 're-initialised after the failure');
  // Unplugged for a while: retried on the clock, logged once.
  s.r.display.failNext = 3;
  s.sig.emit({ type: 'notify', text: 'Three', timeoutS: 0 });
  await settle();
  await s.clock.advance(5000);
  await s.clock.advance(5000);
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Two');
  await s.clock.advance(5000);
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'Three', 'redrawn by the retry timer');
  assert.equal(s.warnings.length, 2);
  await s.app.stop();
});

test('time row follows the clock minute tick and the CM time offset', async () => {
  const s = await setup();
  await registered(s);
  assert.match(s.r.display.lines[0] ?? '', /^09:41 05\/03/);
  await s.clock.advance(29_000); // 09:41:59
  assert.match(s.r.display.lines[0] ?? '', /^09:41/);
  await s.clock.advance(1_000); // 09:42:00
  assert.match(s.r.display.lines[0] ?? '', /^09:42 05\/03/);
  s.sig.emit({ type: 'timeDate', date: new Date('2024-12-31T23:59:10Z') });
  await settle();
  assert.match(s.r.display.lines[0] ?? '', /^23:59 31\/12/);
  await s.clock.advance(50_000);
  assert.match(s.r.display.lines[0] ?? '', /^00:00 01\/01/);
  await s.app.stop();
});

test('event bursts are coalesced into one display write', async () => {
  const s = await setup();
  await registered(s);
  const before = s.r.display.shows;
  for (let i = 0; i < 10; i++) s.sig.emit({ type: 'notify', text: `n${i}`, timeoutS: 0 });
  await settle();
  assert.equal(s.r.display.shows - before, 1);
  assert.equal(s.r.display.lines[2]?.trimEnd(), 'n9');
  await s.app.stop();
});

test('softkey paging with more; headset; stop unsubscribes, silences and darkens the lamps', async () => {
  const s = await setup();
  await registered(s);
  s.sig.emit({ type: 'softkeys', line: 1, callRef: 0, keys: keys('Redial', 'NewCall', 'CFwdAll', 'DND', 'PickUp') });
  await settle();
  assert.equal(s.r.display.lines[3], 'Redl New  CFwd more ');
  s.r.keypad.press('softkey4');
  await settle();
  assert.equal(s.r.display.lines[3], 'DND  PkUp      more ');
  s.r.keypad.press('softkey2');
  assert.deepEqual(s.sig.take(), [['softkey', 4]]);
  s.r.keypad.press('softkey3'); // blank cell
  assert.deepEqual(s.sig.take(), []);
  s.r.headset.set(true);
  assert.deepEqual(s.sig.take(), [['headset', true]]);
  s.sig.emit({ type: 'ringer', mode: 'outside', once: true }, { type: 'tone', tone: 'busy' },
    { type: 'lamp', target: 'line', instance: 1, mode: 'on' }, { type: 'lamp', target: 'message', instance: 0, mode: 'blink' });
  await settle();
  assert.equal(s.r.lamps.message?.mode, 'blink');
  await s.app.stop();
  assert.equal(s.r.ringer.mode, 'off');
  assert.deepEqual(Object.values(s.r.lamps).map((l) => l.mode), ['off', 'off', 'off', 'off', 'off'], 'every lamp dark');
  assert.equal(s.tones.playing, undefined);
  assert.equal(s.sig.listenerCount(), 0);
  assert.equal(s.clock.pending(), 0, 'no timers left behind');
});

test('a set the call manager pages (SSCP): "more" on the last softkey asks the station for the next page', async () => {
  const s = await setup();
  await registered(s);
  s.sig.emit({ type: 'softkeys', line: 1, callRef: 7, keys: keys('Hold', 'EndCall', 'Transfer'), paged: { page: 1, pages: 2 } });
  await settle();
  assert.equal(s.r.display.lines[3], 'Hold End  Xfer more ');
  s.r.keypad.press('softkey4');
  assert.deepEqual(s.sig.take(), [['nextSoftkeyPage']]);
  s.sig.emit({ type: 'softkeys', line: 1, callRef: 7, keys: keys('Confrn', 'Join', 'Park'), paged: { page: 2, pages: 2 } });
  await settle();
  assert.equal(s.r.display.lines[3], 'Conf Join Park more ');
  s.r.keypad.press('softkey3');
  assert.deepEqual(s.sig.take(), [['softkey', 2]]);
  // One page: no "more", the keys fill the row.
  s.sig.emit({ type: 'softkeys', line: 1, callRef: 7, keys: keys('Answer', 'EndCall') });
  await settle();
  assert.equal(s.r.display.lines[3], 'Ansr End            ');
});
