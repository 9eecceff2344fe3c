/**
 * Line presence (callmanager/presence.ts): idle, ringing, talking, DND and unregistered follow the
 * call core, and each change is published once as a 'presence' event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PresenceChange } from '../../callmanager/presence.js';
import { ALICE, BOB, CAROL, digits, office, settle } from '../support/office-core.js';

test('presence follows a call: idle → ringing → talking → idle, one event per change', async () => {
  const { core } = office();
  await settle(); // registration publishes each line's first presence
  const seen: PresenceChange[] = [];
  core.events.on('presence', (ch: PresenceChange) => seen.push(ch));
  assert.equal(core.presenceOf('101'), 'idle');
  assert.equal(core.presenceOf('999'), 'unknown', 'not a line of this CM');
  core.offHook(ALICE);
  await settle();
  assert.equal(core.presenceOf('100'), 'talking', 'off hook dialling: in use');
  digits(core, ALICE, '101');
  await settle();
  assert.equal(core.presenceOf('101'), 'ringing');
  core.offHook(BOB);
  await settle();
  assert.equal(core.presenceOf('101'), 'talking');
  core.onHook(ALICE);
  await settle();
  assert.equal(core.presenceOf('100'), 'idle');
  assert.equal(core.presenceOf('101'), 'idle', 'the far end hung up: Bob is back to idle');
  const bob = seen.filter((c) => c.number === '101').map((c) => c.presence);
  assert.deepEqual(bob, ['ringing', 'talking', 'idle']);
});

test('presence: DND and unregistered', async () => {
  const { core } = office();
  core.softkey(CAROL, 'dnd', 0);
  await settle();
  assert.equal(core.presenceOf('102'), 'dnd');
  core.detach(CAROL);
  await settle();
  assert.equal(core.presenceOf('102'), 'unregistered');
});
