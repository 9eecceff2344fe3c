/** The Directories menu (firmware/phone/directory-menu.ts) in PhoneApp: items, phone book, directory search, Dial. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneApp } from '../../../firmware/phone/phone-app.js';
import type { DirectoryEntry } from '../../../firmware/station/signalling.js';
import { FakeSignalling, FakeTones, ManualClock, rig, settle } from '../../support/phone-fakes.js';

class DirectorySignalling extends FakeSignalling {
  readonly asked: string[] = [];
  answer: DirectoryEntry[] = [{ name: 'Bob', number: '401', presence: 'talking' }];
  searchDirectory(name: string): Promise<DirectoryEntry[]> { this.asked.push(name); return Promise.resolve(this.answer); }
}

async function setup(cols = 20, rows = 4, sig: FakeSignalling = new DirectorySignalling()) {
  const r = rig(cols, rows, 4);
  const clock = new ManualClock();
  const app = new PhoneApp({
    hardware: r.hw, signalling: sig, clock, tones: new FakeTones(), log: { warn: () => {} }, options: { utc: true },
    phoneBook: [{ name: 'Reception', number: '100' }, { name: 'Helpdesk', number: '555' }],
  });
  await app.start();
  sig.emit({ type: 'registration', state: 'registered', server: 'cm1' },
    { type: 'lineStatus', line: 1, number: '400', label: '', displayName: 'Ann' },
    { type: 'softkeys', line: 1, callRef: 0, keys: [{ label: 'Redial', event: 1, enabled: true }] });
  await settle();
  sig.take();
  return { r, sig, clock, app, lines: () => r.display.lines.map((l) => l.trimEnd()) };
}

test('the Directories key opens the menu; up/down and Select, Exit and the Directories key close it', async () => {
  const s = await setup();
  s.app.press('directories');
  await settle();
  assert.deepEqual(s.lines(), ['>1 Call history', ' 2 Phone book', ' 3 Directory', 'Sel  Exit']);
  s.app.press('down');
  s.app.press('down');
  await settle();
  assert.equal(s.lines()[2], '>3 Directory');
  s.app.press('down');
  await settle();
  assert.equal(s.lines()[0], '>1 Call history', 'the selection wraps');
  s.app.press('softkey1'); // Select: Call history
  await settle();
  assert.equal(s.lines()[1], 'No calls');
  s.app.press('directories');
  await settle();
  assert.equal(s.lines()[3], 'Redl', 'the Directories key closes everything');
  s.app.press('directories');
  s.app.press('softkey2'); // Exit
  await settle();
  assert.equal(s.lines()[3], 'Redl');
  assert.deepEqual(s.sig.take(), [], 'the menu sends nothing to the call manager');
});

test('16x2: the menu shows a window around the selection', async () => {
  const s = await setup(16, 2);
  s.app.press('directories');
  await settle();
  assert.deepEqual(s.lines(), ['>1 Call history', 'Sel Ext']);
  s.app.press('up');
  await settle();
  assert.deepEqual(s.lines(), ['>3 Directory', 'Sel Ext']);
});

test('2 Phone book: entries with Dial/Next/Exit; Exit comes back to the menu; Dial calls like redial', async () => {
  const s = await setup();
  s.app.press('directories');
  s.app.press('2');
  await settle();
  assert.deepEqual(s.lines(), ['Phone book       1/2', 'Reception', '100', 'Dial Next Exit']);
  s.app.press('softkey2');
  await settle();
  assert.deepEqual(s.lines().slice(1, 3), ['Helpdesk', '555']);
  s.app.press('softkey3'); // Exit → menu
  await settle();
  assert.equal(s.lines()[1], '>2 Phone book');
  s.app.press('softkey1'); // Select
  s.app.press('softkey1'); // Dial
  await settle();
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['dial', '100']]);
  assert.equal(s.r.lamps.speaker?.mode, 'on');
});

test('3 Directory: multi-tap name, Search through searchDirectory, presence shown, Dial calls the result', async () => {
  const s = await setup();
  const sig = s.sig as DirectorySignalling;
  s.app.press('directories');
  s.app.press('3');
  for (const k of ['2', '2', '6', '6', '6']) s.app.press(k);
  await settle();
  assert.equal(s.lines()[1], 'Name: BO');
  await s.clock.advance(1000);
  await settle();
  assert.equal(s.lines()[1], 'Name: BO_', 'the timeout committed the O (redrawn)');
  s.app.press('softkey1'); // Search
  await settle();
  assert.deepEqual(sig.asked, ['BO']);
  assert.deepEqual(s.lines(), ['Directory        1/1', 'Bob', '401          On call', 'Dial Next Prev Exit']);
  assert.deepEqual(s.sig.take(), [], 'typing a name sends no digits to the call manager');
  s.app.press('softkey1'); // Dial
  await settle();
  assert.deepEqual(s.sig.take(), [['offHook', 1], ['dial', '401']]);
});

test('a station without a directory: "Not available"; an arriving call closes the menu', async () => {
  const s = await setup(20, 4, new FakeSignalling());
  s.app.press('directories');
  s.app.press('3');
  await settle();
  assert.deepEqual(s.lines(), ['Directory', 'Not available', '', 'Exit']);
  s.sig.emit({ type: 'callState', line: 1, callRef: 1, state: 'ringin' },
    { type: 'callInfo', line: 1, callRef: 1, callingName: 'Bob', calling: '401', calledName: 'Ann', called: '400', direction: 'inbound' });
  await settle();
  assert.match(s.lines()[1] ?? '', /^From 401 Bob/);
});
