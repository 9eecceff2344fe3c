/** The conversation view's call status (firmware/phone/conversation.ts, docs/features.md §2 "Call screen"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, newModel, type PhoneModel } from '../../../firmware/phone/call-model.js';
import { focusedPosition, focusedTimer, withRight } from '../../../firmware/phone/conversation.js';
import { renderScreen } from '../../../firmware/phone/screens.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';

function model(nowMs: number, ...evs: SignallingEvent[]): PhoneModel {
  const m = newModel('registered');
  for (const ev of evs) applyEvent(m, ev, nowMs);
  return m;
}
const clock = (): string => '14:07';
const line: SignallingEvent = { type: 'lineStatus', line: 1, number: '700', label: 'Anna', displayName: 'Anna' };
const bob: SignallingEvent = { type: 'callInfo', line: 1, callRef: 1, callingName: 'Anna', calling: '700', calledName: 'Ben', called: '701', direction: 'outbound' };

test('one connected call on 20x4: status word, number and name, and the call timer', () => {
  const m = model(1000, line, { type: 'callState', line: 1, callRef: 1, state: 'connected' }, bob);
  const rows = renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock, 66_000);
  assert.equal(rows[1], 'Connected 701 Ben   ');
  assert.equal(rows[2], '                1:05');
  assert.equal(focusedTimer(m, 66_000), '1:05');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'hold' }, 70_000);
  const held = renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock, 70_000);
  assert.equal(held[1], 'On hold 701 Ben     ');
  assert.equal(held[2]?.trim(), '1:09', 'the timer runs from the first connect');
});

test('ringing shows no timer; with two calls the header shows the position and the list the timers', () => {
  const m = model(0, line, { type: 'callState', line: 1, callRef: 1, state: 'ringin' },
    { type: 'callInfo', line: 1, callRef: 1, callingName: 'Ben', calling: '701', calledName: 'Anna', called: '700', direction: 'inbound' });
  assert.equal(focusedTimer(m, 5000), '');
  assert.equal(focusedPosition(m), '');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'connected' }, 1000);
  applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'ringin' }, 2000);
  const rows = renderScreen(m, { cols: 20, rows: 4, softkeyCount: 4 }, clock, 11_000);
  assert.match(rows[0]!, /2\/2 Anna$/);
  assert.match(rows[1]!, /701 Ben .*0:10$/);
});

test('withRight keeps the right part whole and cuts the left', () => {
  assert.equal(withRight('Ben Miller-Smith', '12:34', 16), 'Ben Miller 12:34');
  assert.equal(withRight('x', '', 4), 'x   ');
  assert.equal(withRight('abc', '12:34', 8), 'abc     ', 'no room: the timer is dropped');
});
