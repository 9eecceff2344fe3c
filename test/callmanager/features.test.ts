/** CallCore features on fake station sinks and a virtual clock: forward all, blind transfer, voicemail routing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { CallCore } from '../../callmanager/calls.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { RecordingSink as Sink } from '../support/recording-sink.js';

const EXAMPLE = fileURLToPath(new URL('../../../callmanager/examples/two-phones.yaml', import.meta.url));
const A = 'SEP000000000100'; const B = 'SEP000000000101'; const C = 'SEP000000000102';


function setup(transfer: 'consult' | 'blind' = 'consult') {
  const clock = new VirtualClock();
  const cfg = parseCallManagerConfig(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  cfg.server.transfer = transfer;
  const core = new CallCore(cfg, clock);
  const s = { [A]: new Sink(), [B]: new Sink(), [C]: new Sink() };
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  return { clock, core, s };
}
const digits = (core: CallCore, dev: string, n: string) => { for (const d of n) core.keypad(dev, d as KeypadKey); };

test('CFwdAll: prompt "Forward to", ForwardStat on set, calls to the line ring the target with the original called party; CFwdAll again cancels', () => {
  const { core, s } = setup();
  core.softkey(A, 'cfwdAll', 1);
  assert.equal(core.legState(A), 'dialing');
  assert.ok(s[A].cmds.some((c) => c.t === 'prompt' && c.text === 'Forward to'));
  digits(core, A, '102');
  assert.equal(core.legState(A), 'idle', 'the phone returns on hook');
  assert.deepEqual(s[A].last('forwardStat'), { t: 'forwardStat', line: 1, number: '102' });
  assert.equal(s[A].last('notify')?.text, 'Forwarded to 102');
  assert.equal(core.forwardOf(A, 1), '102');
  assert.equal(core.lastDialed(A), undefined, 'a forward target is not a redial number');

  core.offHook(B); digits(core, B, '100');
  assert.equal(core.legState(A), 'idle');
  assert.equal(core.legState(C), 'ringin');
  const info = s[C].last('callInfo')!;
  assert.deepEqual([info.calling, info.called, info.originalCalled], ['101', '100', '100']);
  core.offHook(C);
  assert.equal(core.legState(B), 'connected');
  core.onHook(B);

  core.softkey(A, 'cfwdAll', 1);
  assert.equal(core.forwardOf(A, 1), '');
  assert.deepEqual(s[A].last('forwardStat'), { t: 'forwardStat', line: 1, number: '' });
  core.offHook(B); digits(core, B, '100');
  assert.equal(core.legState(A), 'ringin');
});

test('forward loops and unknown targets are refused; SSCP-style setForward', () => {
  const { core, s } = setup();
  assert.equal(core.setForward(A, 1, '101').ok, true);
  assert.deepEqual(core.setForward(B, 1, '100'), { ok: false, reason: 'Forward loop' });
  assert.deepEqual(core.setForward(C, 1, '100'), { ok: true });
  assert.deepEqual(core.setForward(B, 1, '102'), { ok: false, reason: 'Forward loop' }, '101→102→100→101');
  assert.equal(core.setForward(B, 1, '999').ok, false);
  core.softkey(B, 'cfwdAll', 1); digits(core, B, '100');
  assert.equal(core.legState(B), 'reorder');
  assert.ok(s[B].cmds.some((c) => c.t === 'prompt' && c.text === 'Forward loop'));
  assert.equal(core.setForward(A, 1, '').ok, true);
  assert.equal(core.forwardOf(A, 1), '');
});

test('blind transfer (server.transfer: blind): far party held, transferor gets dial tone, completion rings the target from the far party', () => {
  const { core, s } = setup('blind');
  core.offHook(B); digits(core, B, '100'); core.offHook(A);
  assert.equal(core.legState(B), 'connected');
  s[A].take(); s[B].take();
  core.softkey(A, 'transfer', 1);
  assert.equal(core.legState(A), 'dialing');
  assert.ok(s[A].cmds.some((c) => c.t === 'tone' && c.tone === 'dial'));
  assert.ok(s[B].cmds.some((c) => c.t === 'prompt' && c.text === 'On hold'));
  assert.ok(s[B].cmds.some((c) => c.t === 'closeReceive'));
  digits(core, A, '102');
  assert.equal(core.legState(A), 'idle', 'the transferring phone hangs up');
  assert.equal(core.legState(C), 'ringin');
  assert.equal(core.legState(B), 'ringout');
  assert.equal(s[C].last('callInfo')?.calling, '101');
  core.offHook(C);
  assert.equal(core.legState(B), 'connected');
  assert.equal(core.legState(C), 'connected');
});

test('transfer abandoned: hanging up the transfer dial leaves the call on hold; Resume reconnects', () => {
  const { core } = setup();
  core.offHook(B); digits(core, B, '100'); core.offHook(A);
  core.softkey(A, 'transfer', 1);
  core.onHook(A);
  assert.equal(core.legState(A), 'hold');
  core.softkey(A, 'resume', 1);
  assert.equal(core.legState(A), 'connected');
  assert.equal(core.legState(B), 'connected');
});

test('voicemail: an unanswered call goes to the mailbox after noAnswerSeconds; a stored message lights the lamp; *97 retrieves', async () => {
  const { clock, core, s } = setup();
  core.offHook(B); digits(core, B, '100');
  assert.equal(core.legState(A), 'ringin');
  await clock.advance(7900);
  assert.equal(core.legState(A), 'ringin');
  await clock.advance(200);
  await new Promise((r) => setImmediate(r));
  assert.equal(core.legState(A), 'idle', 'the callee stops ringing');
  assert.equal(core.legState(B), 'connected', 'the CM answered');
  assert.equal(s[B].last('callInfo')?.calledName, 'Voicemail');
  core.onHook(B);
  await new Promise((r) => setImmediate(r)); // the voicemail station hangs up too
  assert.equal(core.fx.store.messages('100').length, 0, 'no audio reached it (fake sinks): nothing stored');

  core.fx.store.add('100', '101', new Int16Array(8000), 8000, clock.wallTime());
  assert.deepEqual(s[A].last('lamp'), { t: 'lamp', target: 'voicemail', instance: 1, mode: 'on' });
  assert.equal(s[A].last('notify')?.text, '1 new message');

  core.offHook(A); digits(core, A, '*97');
  await new Promise((r) => setImmediate(r));
  assert.equal(core.legState(A), 'connected');
  assert.equal(core.voicemailKey(A, 'delete'), true);
  assert.equal(core.fx.store.messages('100').length, 0);
  assert.deepEqual(s[A].last('lamp'), { t: 'lamp', target: 'voicemail', instance: 1, mode: 'off' });
  core.onHook(A);
  await new Promise((r) => setImmediate(r));
});

test('voicemail: a busy callee with a mailbox sends the caller there; without one the caller hears busy', async () => {
  const { core, s } = setup();
  core.offHook(A);
  core.offHook(C); digits(core, C, '100');
  await new Promise((r) => setImmediate(r));
  assert.equal(core.legState(C), 'connected');
  core.onHook(C);
  await new Promise((r) => setImmediate(r));
  core.offHook(B); core.offHook(C); digits(core, C, '101');
  assert.equal(core.legState(C), 'busy');
  assert.equal(s[C].last('tone')?.tone, 'busy');
  core.onHook(C); core.onHook(A); core.onHook(B);
  await new Promise((r) => setImmediate(r));
});
