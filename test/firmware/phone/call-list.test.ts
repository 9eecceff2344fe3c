import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, newModel, selectOnLine, selectStep } from '../../../firmware/phone/call-model.js';
import { callDuration, callListRows, hasTimer } from '../../../firmware/phone/call-list.js';
import type { CallStateName } from '../../../firmware/station/signalling.js';

function withCalls(...calls: Array<[number, number, CallStateName, string]>) {
  const m = newModel('registered');
  for (const [line, callRef, state, number] of calls) {
    applyEvent(m, { type: 'callState', line, callRef, state }, 1000);
    applyEvent(m, { type: 'callInfo', line, callRef, callingName: '', calling: number, calledName: '', called: '100', direction: 'inbound' });
  }
  return m;
}

test('call timer text', () => {
  assert.deepEqual([0, 999, 7_000, 754_000, 3_723_000, -5].map(callDuration), ['0:00', '0:00', '0:07', '12:34', '1:02:03', '0:00']);
});

test('rows: mark, line (only when calls span lines), party, state word, timer from the first connect', () => {
  const m = withCalls([1, 1, 'connected', '101'], [1, 2, 'hold', '102']);
  applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'connected' }, 5000);
  applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'hold' }, 9000);
  assert.equal(m.focus, 2, 'the call the CM connected last, then held: still selected');
  assert.deepEqual(callListRows(m, 20, 2, '', 66_000), [' 101            1:05', '>102       Held 1:01']);
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'hold' }, 66_000);
  assert.equal(m.focus, 2, 'a call put on hold does not take the selection');
  assert.ok(hasTimer(m));
  applyEvent(m, { type: 'callState', line: 2, callRef: 3, state: 'offhook' }, 70_000);
  assert.equal(m.focus, 3, 'a new call (NewCall) takes the selection');
  applyEvent(m, { type: 'dialedNumber', line: 2, callRef: 3, number: '' });
  assert.deepEqual(callListRows(m, 20, 3, '55', 70_000), [' L1 101    Held 1:09', ' L1 102    Held 1:05', '>L2 55']
    .map((r) => r.padEnd(20)));
});

test('more calls than rows: a window that keeps the selected call; up/down and line keys move the selection', () => {
  const m = withCalls([1, 1, 'hold', '101'], [1, 2, 'hold', '102'], [1, 3, 'connected', '103'], [2, 4, 'ringin', '104']);
  assert.equal(m.focus, 4, 'call waiting: the ringing call is selected from a connected one');
  assert.deepEqual(callListRows(m, 20, 2, '', 1000).map((r) => r.trimEnd()), [' L1 103         0:00', '>L2 104      Ringing']);
  assert.equal(selectStep(m, 1), true);
  assert.equal(m.focus, 1, 'down wraps to the first call');
  assert.deepEqual(callListRows(m, 20, 2, '', 1000).map((r) => r.trimEnd()), ['>L1 101         Held', ' L1 102         Held']);
  selectStep(m, -1);
  assert.equal(m.focus, 4);
  assert.equal(selectOnLine(m, 1), true);
  assert.equal(m.focus, 1, 'the line key selects the line\'s first call');
  selectOnLine(m, 1);
  assert.equal(m.focus, 2, 'and then the next one');
  assert.equal(selectOnLine(m, 2), true);
  assert.equal(selectOnLine(m, 2), false, 'the only call on line 2 is selected: the key goes to the CM');
  assert.equal(selectOnLine(m, 3), false, 'no call on line 3');
});

test('an arriving call does not take the selection from a call being dialled or ringing out', () => {
  for (const state of ['offhook', 'ringout', 'proceed'] as const) {
    const m = withCalls([1, 1, state, '']);
    applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'ringin' });
    assert.equal(m.focus, 1, state);
  }
  const m = withCalls([1, 1, 'ringin', '101'], [1, 2, 'ringin', '102']);
  assert.equal(m.focus, 1, 'a second ringing call does not take it from the first');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'onhook' });
  assert.equal(m.focus, 2);
  assert.equal(hasTimer(m), false);
});
