/** iDivert (callmanager/features/idivert.ts): a ringing or connected call goes to the presser's mailbox. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CAROL, digits, office, settle } from '../../support/office-core.js';

test('iDivert on a ringing call: the callee idles at once, the caller is answered by the mailbox of the callee\'s line', async () => {
  const { core, s } = office();
  core.offHook(BOB); digits(core, BOB, '100');
  assert.equal(core.legState(ALICE), 'ringin');
  core.softkey(ALICE, 'iDivert', 1);
  assert.equal(core.legState(ALICE), 'idle');
  await settle();
  assert.equal(core.legState(BOB), 'connected');
  const info = s[BOB].last('callInfo')!;
  assert.equal(info.calledName, 'Voicemail');
  core.onHook(BOB);
  await settle();
});

test('iDivert on a connected call sends the far party to the mailbox; without a mailbox the call stays and the phone says so', async () => {
  const { core, s } = office();
  core.offHook(CAROL); digits(core, CAROL, '100');
  core.offHook(ALICE);
  assert.equal(core.legState(ALICE), 'connected');
  core.softkey(ALICE, 'iDivert', 0);
  assert.equal(core.legState(ALICE), 'idle');
  await settle();
  assert.equal(core.legState(CAROL), 'connected');
  assert.equal(s[CAROL].last('callInfo')?.calledName, 'Voicemail');
  core.onHook(CAROL);
  await settle();

  core.offHook(ALICE); digits(core, ALICE, '101');
  core.softkey(BOB, 'iDivert', 0);
  assert.equal(s[BOB].last('notify')?.text, 'No mailbox');
  assert.equal(core.legState(BOB), 'ringin', 'the call keeps ringing');
  core.softkey(BOB, 'answer');
  core.onHook(ALICE);
  core.softkey(ALICE, 'iDivert', 0);
  assert.equal(s[ALICE].last('notify')?.text, 'Not available', 'no call to divert');
});
