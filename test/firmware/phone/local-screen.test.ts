/** Local screen helpers (firmware/phone/local-screen.ts): softkey sets fitted to the board, named keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionOf, fitKeys, softkeyLine, step } from '../../../firmware/phone/local-screen.js';

const KEYS = [
  { label: 'Dial', action: 'dial' }, { label: 'Next', action: 'next' }, { label: 'Prev', action: 'prev' }, { label: 'Exit', action: 'exit' },
] as const;

test('a set longer than the board keeps its first keys and Exit; no softkeys, no row', () => {
  assert.deepEqual(fitKeys(KEYS, 3).map((k) => k.label), ['Dial', 'Next', 'Exit']);
  assert.deepEqual(fitKeys(KEYS, 4).map((k) => k.label), ['Dial', 'Next', 'Prev', 'Exit']);
  assert.deepEqual(fitKeys(KEYS, 0), []);
  assert.equal(softkeyLine(KEYS, 20, 3), 'Dial  Next  Exit    ');
  assert.equal(softkeyLine(KEYS, 20, 0), undefined);
});

test('softkeys, named keys and "more" map to actions; other keys are not the screen\'s', () => {
  assert.equal(actionOf(KEYS, { kind: 'softkey', index: 2 }, 3), 'exit');
  assert.equal(actionOf(KEYS, { kind: 'softkey', index: 3 }, 3), 'none');
  assert.equal(actionOf(KEYS, { kind: 'more' }, 4), 'next');
  assert.equal(actionOf(KEYS, { kind: 'named', name: 'up' }, 4), 'prev');
  assert.equal(actionOf(KEYS, { kind: 'named', name: 'back' }, 4), 'exit');
  assert.equal(actionOf(KEYS, { kind: 'named', name: 'hold' }, 4), undefined);
  assert.equal(actionOf(KEYS, { kind: 'digit', key: '1' }, 4), undefined);
  assert.equal(actionOf(KEYS, { kind: 'line', line: 1 }, 4), undefined);
  assert.deepEqual([step(0, 3, -1), step(2, 3, 1), step(0, 0, 1)], [2, 0, 0]);
});
