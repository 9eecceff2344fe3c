import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, newModel, type PhoneModel } from '../../../firmware/phone/call-model.js';
import { cleanText, clockText, formatDate, fromDateTemplate, leftRight, msToNextMinute } from '../../../firmware/phone/format.js';
import { resolveKey } from '../../../firmware/phone/keys.js';
import { renderScreen } from '../../../firmware/phone/screens.js';
import { layoutSoftkeys, shortLabel, softkeyRow } from '../../../firmware/phone/softkeys.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';

const clock = (max: number): string => clockText(new Date('2024-03-05T14:07:00Z'), { utc: true }, max);

function model(...evs: SignallingEvent[]): PhoneModel {
  const m = newModel('registered');
  for (const ev of evs) applyEvent(m, ev);
  return m;
}

const twoCalls: SignallingEvent[] = [
  { type: 'lineStatus', line: 1, number: '100', label: 'Alice', displayName: 'Alice A' },
  { type: 'callState', line: 1, callRef: 1, state: 'connected' },
  { type: 'callInfo', line: 1, callRef: 1, callingName: 'Alice', calling: '100', calledName: 'Bob', called: '101', direction: 'outbound' },
  { type: 'callState', line: 2, callRef: 2, state: 'ringin' },
  { type: 'callInfo', line: 2, callRef: 2, callingName: 'Carol', calling: '102', calledName: '', called: '100', direction: 'inbound' },
  { type: 'softkeys', line: 1, callRef: 1, keys: [{ label: 'Hold', event: 3, enabled: true }, { label: 'EndCall', event: 9, enabled: true }] },
];

test('a call ringing in while connected is selected (call waiting); both calls are listed with timers', () => {
  const m = model(...twoCalls);
  const rows = renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock, 65_000);
  assert.deepEqual(rows, [
    '14:07      2/2 Alice', // the selected call's position (docs/features.md §2 "Call screen")
    ' L1 101 Bob     1:05',
    '>L2 102 Caro Ringing',
    'Hold End            ',
  ]);
  // The connected call ends: one call left, the single-call screen again.
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'onhook' });
  const after = renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock);
  assert.equal(after[1]?.trimEnd(), 'From 102 Carol');
});

test('21x8 text grid: one row per call, the selected one marked, softkeys on the last row', () => {
  const m = model(...twoCalls,
    { type: 'callState', line: 1, callRef: 3, state: 'hold' },
    { type: 'callInfo', line: 1, callRef: 3, callingName: 'Eve', calling: '105', calledName: '', called: '100', direction: 'inbound' });
  const rows = renderScreen(m, { cols: 21, rows: 8, softkeyCount: 3 }, clock, 3_723_000);
  assert.equal(rows.length, 8);
  for (const r of rows) assert.equal(r.length, 21);
  // A call put on hold does not take the selection: the ringing call (call waiting) keeps it.
  assert.deepEqual(rows.slice(1, 5).map((r) => r.trimEnd()), [' L1 101 Bob   1:02:03', '>L2 102 Carol Ringing', ' L1 105 Eve      Held', '']);
  assert.equal(rows[7], 'Hold   End           ');
});

test('3-row and 1-row displays stay within their geometry', () => {
  const m = model(...twoCalls);
  const three = renderScreen(m, { cols: 16, rows: 3, softkeyCount: 2 }, clock);
  assert.deepEqual(three, ['14:07  2/2 Alice', '>L2 102  Ringing', 'Hold    EndCall '], 'one list row: the selected call');
  const one = renderScreen(newModel('registering'), { cols: 8, rows: 1, softkeyCount: 4 }, clock);
  assert.deepEqual(one, ['Register']);
});

test('tone text stands in for a missing prompt; the prompt wins when present', () => {
  const m = model({ type: 'callState', line: 1, callRef: 4, state: 'offhook' }, { type: 'tone', tone: 'reorder' });
  assert.equal(renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock)[1]?.trimEnd(), 'Call failed');
  applyEvent(m, { type: 'prompt', text: 'Number unknown', timeoutS: 0, line: 1, callRef: 4 });
  assert.equal(renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock)[1]?.trimEnd(), 'Number unknown');
  applyEvent(m, { type: 'promptClear', line: 1, callRef: 4 });
  applyEvent(m, { type: 'toneStop' });
  assert.equal(renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock)[1]?.trimEnd(), 'Enter number');
});

test('text helpers: control bytes removed, rows fitted, time formats', () => {
  assert.equal(cleanText('\x80\x17From\x00 100\x1f'), 'From 100');
  assert.equal(leftRight('12:00', 'very long label', 12), '12:00 very l');
  assert.equal(leftRight('abc', '', 5), 'abc  ');
  const d = new Date('2024-03-05T00:05:00Z');
  assert.equal(formatDate(d, 'h:mm A ddd D MMM YY', true), '12:05 AM Tue 5 Mar 24');
  assert.equal(formatDate(d, 'YYYY-MM-DD HH:mm', true), '2024-03-05 00:05');
  assert.equal(clockText(d, { utc: true }, 6), '00:05', 'date dropped when it does not fit');
  assert.equal(formatDate(new Date(NaN), 'HH:mm', true), '--:--');
  assert.equal(msToNextMinute(new Date('2024-03-05T00:05:59.250Z')), 750);
  assert.equal(msToNextMinute(new Date('2024-03-05T00:06:00Z')), 60_000);
});

test('softkey cells: abbreviations, truncation, paging wraps', () => {
  assert.equal(shortLabel('Transfer', 4), 'Xfer');
  assert.equal(shortLabel('Frobnicate', 4), 'Frob');
  assert.equal(softkeyRow(['Answer', 'EndCall'], 10), 'Ansr End  ');
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((label, i) => ({ label, event: i, enabled: i !== 1 }));
  const p0 = layoutSoftkeys(keys, 4, 0);
  assert.deepEqual(p0.labels, ['a', '', 'c', 'more']);
  assert.equal(p0.pageCount, 3);
  assert.deepEqual(layoutSoftkeys(keys, 4, 2).labels, ['g', '', '', 'more']);
  assert.deepEqual(layoutSoftkeys(keys, 4, 3).labels, p0.labels, 'page index wraps');
  assert.deepEqual(layoutSoftkeys(keys, 4, 1).targets[0], { kind: 'slot', slot: 3 });
});

test('key names resolve to phone actions', () => {
  assert.deepEqual(resolveKey('#'), { kind: 'digit', key: '#' });
  assert.deepEqual(resolveKey('softkey1'), { kind: 'softkey', index: 0 });
  assert.deepEqual(resolveKey('line2'), { kind: 'line', line: 2 });
  assert.deepEqual(resolveKey('enter'), { kind: 'named', name: 'enter' }, 'no renaming: other names go to the softkey labels');
  assert.deepEqual(resolveKey('speeddial3'), { kind: 'speedDial', index: 3 });
  assert.deepEqual(resolveKey('Hold'), { kind: 'named', name: 'hold' });
  assert.deepEqual(resolveKey('b'), { kind: 'digit', key: 'B' });
  assert.equal(resolveKey('softkey0'), undefined);
  assert.equal(resolveKey(''), undefined);
  assert.equal(resolveKey(undefined as unknown as string), undefined);
});

const G4 = { cols: 20, rows: 4, softkeyCount: 4 };

test('line label: the CM label, else the display name (where Asterisk puts linelabel), else the number', () => {
  const header = (label: string, displayName: string): string =>
    renderScreen(model({ type: 'lineStatus', line: 1, number: '100', label, displayName }), G4, clock)[0]!;
  assert.match(header('Front desk', 'Line 100'), /Front desk$/);
  assert.match(header('', 'Line 100'), /Line 100$/);
  assert.match(header('', ''), / 100$/);
});

test('the CM prompt replaces our own words for the call; a prompt from an earlier state is stale', () => {
  const m = model({ type: 'callState', line: 1, callRef: 4, state: 'offhook' },
    { type: 'dialedNumber', line: 1, callRef: 4, number: '606' },
    { type: 'callState', line: 1, callRef: 4, state: 'congestion' });
  assert.equal(renderScreen(m, G4, clock)[1]?.trimEnd(), 'Call failed 606', 'our words when the CM says nothing');
  applyEvent(m, { type: 'prompt', text: 'Congestion', timeoutS: 0, line: 1, callRef: 4 });
  assert.equal(renderScreen(m, G4, clock)[1]?.trimEnd(), 'Congestion');
  // Ringing in with "From 100" (Asterisk's prompt carries the number): the name follows, no doubled number.
  const r = model({ type: 'callState', line: 1, callRef: 5, state: 'ringin' },
    { type: 'callInfo', line: 1, callRef: 5, callingName: 'Alice', calling: '100', calledName: '', called: '101', direction: 'inbound' },
    { type: 'prompt', text: 'From 100', timeoutS: 0, line: 1, callRef: 5 });
  assert.equal(renderScreen(r, G4, clock)[1]?.trimEnd(), 'From 100 Alice');
  // Connected, but the CM left the ringing prompt: stale, our own words show.
  applyEvent(r, { type: 'callState', line: 1, callRef: 5, state: 'connected' });
  assert.equal(renderScreen(r, G4, clock)[1]?.trimEnd(), 'Connected 100 Alice');
  // A prompt for another call is not this call's.
  applyEvent(r, { type: 'prompt', text: 'Elsewhere', timeoutS: 0, line: 2, callRef: 9 });
  assert.equal(renderScreen(r, G4, clock)[1]?.trimEnd(), 'Connected 100 Alice');
});

test('notifies: a plain DisplayNotify first, then the highest DisplayPriNotify priority; lower ones come back', () => {
  const m = model({ type: 'notify', text: 'Low', timeoutS: 0, priority: 1 }, { type: 'notify', text: 'High', timeoutS: 10, priority: 5 },
    { type: 'notify', text: 'Lower later', timeoutS: 0, priority: 2 });
  assert.equal(renderScreen(m, G4, clock)[2]?.trimEnd(), 'High');
  applyEvent(m, { type: 'notify', text: 'Plain', timeoutS: 3 });
  assert.equal(renderScreen(m, G4, clock)[2]?.trimEnd(), 'Plain');
  applyEvent(m, { type: 'notifyClear' });
  assert.equal(renderScreen(m, G4, clock)[2]?.trimEnd(), 'High');
  applyEvent(m, { type: 'notifyClear', priority: 5 });
  assert.equal(renderScreen(m, G4, clock)[2]?.trimEnd(), 'Lower later');
});

test('fromDateTemplate: the CM template orders day, month, two-digit year; a trailing A is the 12-hour clock', () => {
  const d = new Date('2026-03-05T14:07:00Z');
  const show = (t: string, max = 20): string => clockText(d, { ...fromDateTemplate(t)!, utc: true }, max);
  assert.equal(show('M/D/Y'), '14:07 03/05/26');
  assert.equal(show('D/M/Y'), '14:07 05/03/26');
  assert.equal(show('Y-M-D'), '14:07 26-03-05');
  assert.equal(show('D.M.Y'), '14:07 05.03.26');
  assert.equal(show('M-D-YA'), '2:07PM 03-05-26');
  assert.equal(show('D.M.Y', 12), '14:07 05.03', 'the year goes first when the row is short');
  assert.equal(show('Y-M-D', 12), '14:07 03-05');
  assert.equal(show('D.M.Y', 8), '14:07', 'then the date');
  for (const bad of ['', 'X/Y/Z', 'M/M/Y', 'M/D-Y', 'MDYA?']) assert.equal(fromDateTemplate(bad), undefined, bad);
  assert.deepEqual(fromDateTemplate('d/m/y\0'), { dateFormat: 'DD/MM/YY', timeFormat: 'HH:mm' });
});
