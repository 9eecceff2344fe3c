/** The SSCP station's directory search (firmware/sscp/station-directory.ts): PhoneBook → PhoneBookResult, one at a time, timeout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PHONEBOOK_TIMEOUT_MS, SscpDirectory, type PhoneBookQuery } from '../../../firmware/sscp/station-directory.js';
import { ManualClock } from '../../support/phone-fakes.js';

function setup(fail?: Error) {
  const clock = new ManualClock();
  const sent: PhoneBookQuery[] = [];
  const logs: string[] = [];
  const d = new SscpDirectory(clock, (q) => { if (fail) return fail; sent.push(q); return undefined; }, (_l, m) => { logs.push(m); });
  return { d, clock, sent, logs };
}

test('the name goes out in User lastname; the result maps to entries (first last, presence, absent = unknown)', async () => {
  const { d, sent, clock } = setup();
  const p = d.search(' BO ');
  assert.deepEqual(sent, [{ lastName: 'BO' }]);
  d.result({ users: [
    { userId: '401', lastName: 'Bob', number: '401', presence: 'talking' },
    { userId: '402', lastName: 'Bonnie', firstName: 'Ann', number: '402' },
    { userId: 'x', lastName: 'No number' },
  ] });
  assert.deepEqual(await p, [
    { name: 'Bob', number: '401', presence: 'talking' },
    { name: 'Ann Bonnie', number: '402', presence: 'unknown' },
  ]);
  assert.equal(clock.pending(), 0, 'the timeout is cleared');
  const all = d.search('');
  assert.deepEqual(sent[1], {}, "'' asks for everyone");
  d.result({ users: [] });
  assert.deepEqual(await all, []);
});

test('one search at a time; an unanswered one is rejected after the timeout; a late answer is dropped', async () => {
  const { d, clock, logs } = setup();
  const p = d.search('BO');
  await assert.rejects(d.search('CA'), /already running/);
  const rejected = assert.rejects(p, /No answer from the CM/);
  await clock.advance(PHONEBOOK_TIMEOUT_MS);
  await rejected;
  assert.ok(logs.some((l) => l.includes('no PhoneBookResult within 3000 ms')), logs.join('\n'));
  d.result({ users: [{ userId: '1', number: '1' }] });
  assert.ok(logs.some((l) => l.includes('no search waiting')));
  const again = d.search('BO');
  d.cancel('Connection to the CM lost');
  await assert.rejects(again, /Connection to the CM lost/);
});

test('not registered: rejected at once with the reason', async () => {
  const { d, clock } = setup(new Error('Not registered'));
  await assert.rejects(d.search('BO'), /Not registered/);
  assert.equal(clock.pending(), 0);
});
