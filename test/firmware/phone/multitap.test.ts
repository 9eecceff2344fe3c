/** Keypad multi-tap letter entry (firmware/phone/multitap.ts) on a manual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiTap, MULTITAP_TIMEOUT_MS } from '../../../firmware/phone/multitap.js';
import { ManualClock } from '../../support/phone-fakes.js';

test('same key within the timeout cycles; another key commits; the timeout commits', async () => {
  const clock = new ManualClock();
  let changes = 0;
  const t = new MultiTap(clock, () => { changes++; });
  t.press('2');
  assert.equal(t.text, 'A');
  assert.equal(t.cycling, true);
  t.press('2');
  assert.equal(t.text, 'B');
  t.press('6'); // another key: B stays, M starts
  assert.equal(t.text, 'BM');
  t.press('6'); t.press('6');
  assert.equal(t.text, 'BO');
  await clock.advance(MULTITAP_TIMEOUT_MS);
  assert.equal(t.cycling, false);
  assert.equal(changes, 1, 'the timeout committed the O and asked for a redraw');
  t.press('6'); // after the timeout the same key starts a new letter
  assert.equal(t.text, 'BOM');
  assert.equal(clock.pending(), 1, 'one timer while a letter cycles');
  t.commit();
  assert.equal(clock.pending(), 0);
});

test('the cycle runs through the letters, the digit, and back; 0 is a space; * and # type nothing', () => {
  const clock = new ManualClock();
  const t = new MultiTap(clock);
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) { t.press('7'); seen.push(t.text); }
  assert.deepEqual(seen, ['P', 'Q', 'R', 'S', '7', 'P']);
  t.press('0');
  assert.equal(t.text, 'P ');
  assert.equal(t.press('*'), false);
  assert.equal(t.press('#'), false);
  assert.equal(t.text, 'P ');
});

test('backspace drops the cycling letter first, then committed ones; the length is bounded', async () => {
  const clock = new ManualClock();
  const t = new MultiTap(clock, () => {}, 3);
  t.press('2'); t.press('3');
  assert.equal(t.text, 'AD');
  t.backspace();
  assert.equal(t.text, 'A');
  assert.equal(clock.pending(), 0, 'the cycling letter went with its timer');
  t.backspace();
  t.backspace();
  assert.equal(t.text, '');
  t.press('2'); t.press('3'); t.press('4');
  assert.equal(t.press('5'), false, 'a fourth letter does not fit');
  assert.equal(t.text, 'ADG');
});
