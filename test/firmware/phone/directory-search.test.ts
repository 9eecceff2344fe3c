/** The Directory search screen (firmware/phone/directory-search.ts): multi-tap name, Search, results with presence, Dial. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirectorySearch, presenceText } from '../../../firmware/phone/directory-search.js';
import type { DirectoryEntry } from '../../../firmware/station/signalling.js';
import type { KeyAction } from '../../../firmware/phone/keys.js';
import { ManualClock, settle } from '../../support/phone-fakes.js';

const digit = (key: string): KeyAction => ({ kind: 'digit', key });
const soft = (n: number): KeyAction => ({ kind: 'softkey', index: n - 1 });
const named = (name: string): KeyAction => ({ kind: 'named', name });
const g20 = { cols: 20, rows: 4, softkeyCount: 4 };
const g16 = { cols: 16, rows: 2, softkeyCount: 4 };
const trim = (l: string[]): string[] => l.map((x) => x.trimEnd());

function setup(answer: (name: string) => Promise<DirectoryEntry[]>) {
  const clock = new ManualClock();
  const asked: string[] = [];
  let changes = 0;
  const s = new DirectorySearch({ clock, search: (n) => { asked.push(n); return answer(n); }, changed: () => { changes++; } });
  return { s, clock, asked, changes: () => changes };
}

const BOB: DirectoryEntry[] = [
  { name: 'Bob Smith', number: '401', presence: 'talking' },
  { name: 'Bonnie', number: '402', presence: 'idle' },
];

test('presence words', () => {
  assert.deepEqual(['idle', 'talking', 'ringing', 'dnd', 'unregistered', 'unknown'].map((p) => presenceText(p as never)),
    ['Idle', 'On call', 'Ringing', 'DND', 'Offline', '']);
  assert.equal(presenceText('talking', true), 'Busy');
});

test('typing BO by multi-tap, Search, results with number and presence, Next/Prev, Dial', async () => {
  const { s, asked } = setup(async () => BOB);
  assert.deepEqual(trim(s.render(g20)), ['Directory', 'Name: _', '', 'Srch <<   Exit']);
  for (const k of ['2', '2', '6', '6', '6']) assert.equal(s.key(digit(k), 4), 'stay');
  assert.equal(s.typed, 'BO');
  assert.deepEqual(trim(s.render(g20)), ['Directory', 'Name: BO', '', 'Srch <<   Exit']);
  assert.equal(s.key(soft(1), 4), 'stay'); // Search
  assert.deepEqual(asked, ['BO']);
  assert.equal(trim(s.render(g20))[2], 'Searching...');
  await settle();
  assert.deepEqual(trim(s.render(g20)), ['Directory        1/2', 'Bob Smith', '401          On call', 'Dial Next Prev Exit']);
  assert.deepEqual(trim(s.render(g16)), ['Bob Smith 4 Busy', 'Dia Nxt Prv Ext']);
  s.key(soft(2), 4); // Next
  assert.deepEqual(trim(s.render(g20)).slice(0, 3), ['Directory        2/2', 'Bonnie', '402             Idle']);
  s.key(named('up'), 4);
  assert.equal(trim(s.render(g20))[2], '401          On call');
  assert.deepEqual(s.key(soft(1), 4), { dial: '401' });
});

test('"No match", backspace, and errors from the station are shown; Exit steps back', async () => {
  let fail = false;
  const { s } = setup(async () => { if (fail) throw new Error('No answer from the CM'); return []; });
  s.key(digit('5'), 4);
  s.key(soft(1), 4);
  await settle();
  assert.deepEqual(trim(s.render(g20)), ['Directory', 'Name: J_', 'No match', 'Srch <<   Exit']);
  assert.deepEqual(trim(s.render(g16)), ['No match', 'Src <<  Ext']);
  s.key(soft(2), 4); // <<
  assert.deepEqual(trim(s.render(g16)), ['Name: _', 'Src <<  Ext']);
  fail = true;
  s.key(soft(1), 4);
  await settle();
  assert.equal(trim(s.render(g20))[2], 'No answer from the C');
  assert.equal(s.key(soft(3), 4), 'closed', 'Exit from the name entry goes back to the menu');
});

test('Exit while searching drops the late answer; no search function → not available', async () => {
  let release: (r: DirectoryEntry[]) => void = () => {};
  const { s, changes } = setup(() => new Promise((r) => { release = r; }));
  s.key(soft(1), 4);
  assert.deepEqual(trim(s.render(g16)), ['Searching...', 'Ext']);
  assert.equal(s.key(soft(1), 4), 'stay'); // Exit
  release(BOB);
  await settle();
  assert.equal(changes(), 0);
  assert.equal(trim(s.render(g20))[1], 'Name: _', 'back at the name entry, the late results ignored');
  const none = new DirectorySearch({ clock: new ManualClock(), changed: () => {} });
  assert.deepEqual(trim(none.render(g20)), ['Directory', 'Not available', '', 'Exit']);
  assert.deepEqual(trim(none.render({ cols: 24, rows: 3, softkeyCount: 4 })), ['Directory', 'Directory not available', 'Exit']);
  assert.equal(none.key(digit('2'), 4), 'stay');
  assert.equal(none.key(soft(1), 4), 'closed');
});

test('malformed results from a station are checked: entries without a number dropped, unknown presence', async () => {
  const { s } = setup(async () => [{ name: 'X' }, { name: 'Ann', number: '403', presence: 'weird' }] as never);
  s.key(soft(1), 4);
  await settle();
  assert.deepEqual(trim(s.render(g20)).slice(0, 3), ['Directory        1/1', 'Ann', '403']);
  const bad = setup(async () => 'nonsense' as never);
  bad.s.key(soft(1), 4);
  await settle();
  assert.equal(trim(bad.s.render(g20))[2], 'the directory answer');
});
