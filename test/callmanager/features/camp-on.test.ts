/** Callback at busy (callmanager/features/camp-on.ts, docs/features.md §2) on fake sinks and a virtual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CAROL, connect, digits, setup } from '../../support/park-core.js';

/** Bob is off hook; Alice calls him, hears busy, presses CallBack and hangs up. */
function campOn() {
  const r = setup();
  const { core, s } = r;
  core.offHook(BOB);
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(ALICE), 'busy');
  core.softkey(ALICE, 'callBack');
  assert.deepEqual(s[ALICE]!.last('notify'), { t: 'notify', text: 'Callback set for 101', timeoutS: 0 });
  core.onHook(ALICE);
  assert.equal(core.features.campOn.pendingFor(ALICE), '101');
  return r;
}

test('completed: when the busy phone is idle the caller rings; answering calls the callee (ringback, callee rings, normal call)', async () => {
  const { clock, core, s } = campOn();
  await clock.advance(5_000);
  assert.equal(core.legState(ALICE), 'idle', 'Bob is still off hook');
  core.onHook(BOB);
  await clock.advance(900);
  assert.equal(core.legState(ALICE), 'idle', 'a moment to settle first');
  await clock.advance(200);
  assert.equal(core.legState(ALICE), 'ringin');
  assert.ok(s[ALICE]!.hasText('prompt', 'Callback: 101 is free'));
  assert.equal(core.legState(BOB), 'idle', 'the callee sees nothing yet');
  core.offHook(ALICE);
  assert.equal(core.legState(ALICE), 'ringout');
  assert.equal(s[ALICE]!.last('tone')?.tone, 'ringback');
  assert.equal(core.legState(BOB), 'ringin');
  assert.equal(s[BOB]!.last('callInfo')?.calling, '100');
  core.offHook(BOB);
  assert.equal(core.legState(ALICE), 'connected');
  assert.equal(core.legState(BOB), 'connected');
  assert.equal(core.features.campOn.pendingFor(ALICE), undefined);
});

test('the caller busy when the callee frees up: the ring waits until the caller is idle too', async () => {
  const { clock, core } = campOn();
  connect(core, CAROL, '100', ALICE);
  core.onHook(BOB);
  await clock.advance(5_000);
  assert.equal(core.legState(ALICE), 'connected');
  core.onHook(CAROL);
  core.onHook(ALICE);
  await clock.advance(1_100);
  assert.equal(core.legState(ALICE), 'ringin');
});

test('cancelled: CallBack again on idle (or off hook before dialling) cancels; nothing rings afterwards', async () => {
  const { clock, core, s } = campOn();
  core.softkey(ALICE, 'callBack');
  assert.deepEqual(s[ALICE]!.last('notify'), { t: 'notify', text: 'Callback to 101 cancelled', timeoutS: 5 });
  assert.equal(core.features.campOn.pendingFor(ALICE), undefined);
  core.onHook(BOB);
  await clock.advance(10_000);
  assert.equal(core.legState(ALICE), 'idle');
  core.softkey(ALICE, 'callBack');
  assert.equal(s[ALICE]!.last('notify')?.text, 'No callback set');

  // off hook with dial tone works too; while dialling it is not available
  core.offHook(BOB);
  core.offHook(ALICE); digits(core, ALICE, '101');
  core.softkey(ALICE, 'callBack');
  core.onHook(ALICE);
  core.offHook(ALICE);
  core.softkey(ALICE, 'callBack');
  assert.equal(s[ALICE]!.last('notify')?.text, 'Callback to 101 cancelled');
  digits(core, ALICE, '1');
  core.softkey(ALICE, 'callBack');
  assert.equal(s[ALICE]!.last('notify')?.text, 'Not available');
});

test('a callee in DND counts as busy; turning DND off rings the caller back', async () => {
  const { clock, core, s } = setup();
  core.softkey(BOB, 'dnd');
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(ALICE), 'busy');
  core.softkey(ALICE, 'callBack');
  core.onHook(ALICE);
  await clock.advance(5_000);
  assert.equal(core.legState(ALICE), 'idle');
  core.softkey(BOB, 'dnd');
  await clock.advance(1_100);
  assert.equal(core.legState(ALICE), 'ringin');
  assert.ok(s[ALICE]!.hasText('notify', 'Callback: 101 is free'));
});

test('CallBack while the far end still rings is not available', () => {
  const { core, s } = setup();
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(ALICE), 'ringout');
  core.softkey(ALICE, 'callBack');
  assert.equal(s[ALICE]!.last('notify')?.text, 'Not available');
  assert.equal(core.features.campOn.pendingFor(ALICE), undefined);
});

test('expired: campOn.timeout (30 min) after it was set the callback is dropped with a notice', async () => {
  const { clock, core, s } = campOn();
  await clock.advance(30 * 60_000 - 1_000);
  assert.equal(core.features.campOn.pendingFor(ALICE), '101');
  await clock.advance(2_000);
  assert.equal(core.features.campOn.pendingFor(ALICE), undefined);
  assert.deepEqual(s[ALICE]!.last('notify'), { t: 'notify', text: 'Callback to 101 expired', timeoutS: 5 });
  core.onHook(BOB);
  await clock.advance(10_000);
  assert.equal(core.legState(ALICE), 'idle');
});

test('a callback ring nobody answers stops after 30 s and the callback is given up; refusing it cancels it', async () => {
  const { clock, core, s } = campOn();
  core.onHook(BOB);
  await clock.advance(1_100);
  assert.equal(core.legState(ALICE), 'ringin');
  await clock.advance(30_000);
  assert.equal(core.legState(ALICE), 'idle');
  assert.equal(s[ALICE]!.last('notify')?.text, 'Callback to 101 not answered');
  assert.equal(core.features.campOn.pendingFor(ALICE), undefined);

  const r = campOn();
  r.core.onHook(BOB);
  await r.clock.advance(1_100);
  r.core.softkey(ALICE, 'endCall');
  assert.equal(r.core.legState(ALICE), 'idle');
  assert.equal(r.s[ALICE]!.last('notify')?.text, 'Callback to 101 cancelled');
});
