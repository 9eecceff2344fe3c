/** Forward busy / forward no answer (callmanager/features/forward-cond.ts, docs/features.md §2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallCore } from '../../../callmanager/calls.js';
import { forwardStatFields } from '../../../callmanager/sccp/commands.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { ALICE, BOB, CAROL, DANA, Sink, digits, memoryStorage, office, officeConfig, settle } from '../../support/office-core.js';

test('CFwdBusy: prompt, set, shown on the idle screen; a busy line sends the call to the target with the original called party; again cancels', () => {
  const { core, s } = office();
  core.softkey(BOB, 'cfwdBusy', 1);
  assert.ok(s[BOB].cmds.some((c) => c.t === 'prompt' && c.text === 'Fwd busy to'));
  core.softkey(BOB, 'cfwdAll', 1);
  assert.equal(s[BOB].last('notify')?.text, 'Not available', 'CFwdAll does not take over the forward-busy prompt');
  digits(core, BOB, '102');
  assert.equal(core.legState(BOB), 'idle');
  assert.deepEqual(s[BOB].last('notify'), { t: 'notify', text: 'Fwd busy 102', timeoutS: 0 });
  assert.deepEqual(s[BOB].last('forwardStat'), { t: 'forwardStat', line: 1, number: '', busy: '102' });
  assert.deepEqual(forwardStatFields(1, '', '102', ''), { activeForward: 1, lineNumber: 1, forwardAllActive: 0, forwardAllDirnum: '',
    forwardBusyActive: 1, forwardBusyDirnum: '102', forwardNoAnswerActive: 0, forwardNoAnswerDirnum: '' }, 'SCCP ForwardStat (docs/sccp.md §3)');

  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(BOB), 'ringin', 'not busy: Bob rings');
  core.onHook(ALICE);
  core.offHook(BOB); // dialling = busy
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(CAROL), 'ringin');
  const info = s[CAROL].last('callInfo')!;
  assert.deepEqual([info.calling, info.originalCalled], ['100', '101']);
  core.onHook(ALICE); core.onHook(BOB);

  core.softkey(BOB, 'cfwdBusy', 1);
  assert.equal(s[BOB].last('notify')?.text, 'Fwd busy off');
  assert.deepEqual(s[BOB].last('forwardStat'), { t: 'forwardStat', line: 1, number: '' });
  assert.equal(core.legState(BOB), 'idle');
  core.offHook(BOB);
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(ALICE), 'busy');
});

test('forward busy to a target that is busy too: the caller hears busy (one hop)', () => {
  const { core } = office();
  core.setCondForward(BOB, 1, 'busy', '102');
  core.offHook(BOB); core.offHook(CAROL);
  core.offHook(ALICE); digits(core, ALICE, '101');
  assert.equal(core.legState(ALICE), 'busy');
});

test('CFwdNoAnswer: after the line\'s noAnswerSeconds the call rings the target instead; refused targets reorder', async () => {
  const { clock, core, s } = office();
  core.softkey(BOB, 'cfwdNoAnswer', 1);
  digits(core, BOB, '101');
  assert.equal(core.legState(BOB), 'reorder', 'a forward to itself is refused');
  assert.ok(s[BOB].cmds.some((c) => c.t === 'prompt' && c.text === 'Forward loop'));
  core.onHook(BOB);
  core.softkey(BOB, 'cfwdNoAnswer', 1);
  digits(core, BOB, '103');
  assert.equal(s[BOB].last('notify')?.text, 'Fwd no answer 103');

  core.offHook(ALICE); digits(core, ALICE, '101');
  await clock.advance(3900);
  assert.equal(core.legState(BOB), 'ringin');
  assert.equal(core.legState(DANA), 'idle');
  await clock.advance(200); // Bob's line: noAnswerSeconds 4
  assert.equal(core.legState(BOB), 'idle');
  assert.equal(core.legState(DANA), 'ringin');
  assert.equal(s[DANA].last('callInfo')?.originalCalled, '101');
  core.offHook(DANA);
  assert.equal(core.legState(ALICE), 'connected');
});

test('without a forward no answer the mailbox still answers after voicemail.noAnswerSeconds', async () => {
  const { clock, core } = office();
  core.offHook(BOB); digits(core, BOB, '100');
  await clock.advance(7900);
  assert.equal(core.legState(ALICE), 'ringin');
  await clock.advance(200);
  await settle();
  assert.equal(core.legState(ALICE), 'idle');
  assert.equal(core.legState(BOB), 'connected', 'the voicemail answered');
  core.onHook(BOB);
  await settle();
});

test('forward busy / no answer are kept in the database and come back (with their idle notices) after a restart', async () => {
  const storage = await memoryStorage();
  const first = office({ storage });
  first.core.setCondForward(BOB, 1, 'busy', '102');
  first.core.setCondForward(BOB, 1, 'noAnswer', '103');
  first.core.setCondForward(CAROL, 1, 'busy', '100');
  first.core.setCondForward(CAROL, 1, 'busy', '');
  assert.deepEqual(storage.db.condForwards(), [{ line: '101', kind: 'busy', target: '102' }, { line: '101', kind: 'noAnswer', target: '103' }]);

  const again = new CallCore(officeConfig(), new VirtualClock(), undefined, undefined, storage);
  const sink = new Sink();
  again.attach(BOB, sink);
  assert.deepEqual(sink.notices(), ['Fwd busy 102', 'Fwd no answer 103']);
  again.offHook(BOB);
  const c = new Sink(); again.attach(CAROL, c); again.attach(ALICE, new Sink());
  again.offHook(ALICE); digits(again, ALICE, '101');
  assert.equal(again.legState(CAROL), 'ringin');
});
