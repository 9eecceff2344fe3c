/**
 * More than one call per line (CallCore on fake station sinks and the VirtualClock): call waiting,
 * answer / end / swap, NewCall while holding, consult transfer (completed, completed while the
 * target rings, cancelled), busy at busyTrigger.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { CallCore } from '../../callmanager/calls.js';
import type { CallManagerConfig } from '../../callmanager/config.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import type { CmCommand } from '../../callmanager/station.js';
import { exampleConfig } from '../support/callmanager.js';
import { RecordingSink as Sink } from '../support/recording-sink.js';

const A = 'SEP000000000100'; const B = 'SEP000000000101'; const C = 'SEP000000000102';


function setup(edit?: (c: CallManagerConfig) => void) {
  const clock = new VirtualClock();
  const cfg = exampleConfig();
  edit?.(cfg);
  const core = new CallCore(cfg, clock);
  const s = { [A]: new Sink(), [B]: new Sink(), [C]: new Sink() };
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  const call = (from: string, number: string) => { core.offHook(from); for (const d of number) core.keypad(from, d as KeypadKey); };
  /** B calls A and A answers: A and B talk. */
  const talk = () => { call(B, '100'); core.offHook(A); assert.equal(core.legState(A), 'connected'); };
  return { clock, core, s, call, talk };
}
/** The call reference of the last CallState `state` sent to `sink`. */
const refOf = (sink: Sink, state: string) => (sink.cmds.filter((c) => c.t === 'callState' && c.state === state).at(-1) as { ref: number } | undefined)?.ref;

test('call waiting: a second call rings the talking phone on a new call reference with the call-waiting tone, no ringer', () => {
  const { core, s, call, talk } = setup();
  talk();
  const first = refOf(s[A], 'connected')!;
  s[A].take();
  call(C, '100');
  assert.equal(core.legState(C), 'ringout', 'not busy: call waiting');
  const waiting = refOf(s[A], 'ringin')!;
  assert.ok(waiting && waiting !== first, 'RingIn on a new callReference');
  assert.ok(s[A].has((c) => c.t === 'tone' && c.tone === 'callwaiting' && c.ref === waiting));
  assert.ok(!s[A].has((c) => c.t === 'ringer' && c.mode === 'inside'), 'no ringer while off hook');
  assert.ok(!s[A].has((c) => c.t === 'stopMedia' || c.t === 'closeReceive'), 'the current call keeps its media');
  assert.equal(core.legState(A), 'connected', 'the focus stays on the current call');
});

test('call waiting: Answer holds the current call and connects the new one; EndCall ends it and leaves the other held; Resume', () => {
  const { core, s, call, talk } = setup();
  talk();
  call(C, '100');
  s[A].take(); s[B].take();
  core.softkey(A, 'answer', 1);
  assert.equal(core.legState(A), 'connected');
  assert.equal(core.legState(C), 'connected');
  assert.equal(core.legState(B), 'connected', 'B is the far end of a held call');
  assert.ok(s[A].states().indexOf('hold') < s[A].states().lastIndexOf('connected'), 'hold first, then connected');
  assert.ok(s[B].has((c) => c.t === 'prompt' && c.text === 'On hold'), 'the held party is told');
  assert.ok(s[B].has((c) => c.t === 'closeReceive'));
  s[A].take();
  core.softkey(A, 'endCall', 1);
  assert.equal(core.legState(C), 'ended', 'C hears the call ended');
  assert.equal(core.legState(A), 'hold', 'the held call is left held');
  assert.equal(core.legState(B), 'connected');
  core.softkey(A, 'resume', 1);
  assert.equal(core.legState(A), 'connected');
  assert.ok(s[B].has((c) => c.t === 'prompt' && typeof c.text !== 'string' && c.text.phrase === 'connected'));
});

test('call waiting: swap with Resume on the held call reference; ending the active call rings out a waiting one', () => {
  const { core, s, call, talk } = setup();
  talk();
  const refB = refOf(s[A], 'connected')!;
  call(C, '100');
  core.softkey(A, 'answer', 1);
  const refC = refOf(s[A], 'connected')!;
  assert.notEqual(refB, refC);
  s[A].take();
  core.softkey(A, 'resume', 1, refB);           // swap back to B: C is held
  assert.deepEqual(s[A].states(refC), ['hold']);
  assert.deepEqual(s[A].states(refB), ['connected']);
  core.softkey(A, 'hold', 1);                    // both held
  core.softkey(A, 'resume', 1, refC);
  assert.equal(core.legState(A), 'connected');
  assert.deepEqual(s[A].states(refC).at(-1), 'connected');

  // A third call while talking with one held: busyTrigger 2 → busy.
  const d = setup();
  d.talk(); d.call(C, '100');
  assert.equal(d.core.legState(C), 'ringout');
  d.core.onHook(A);                              // A hangs up the active call: the waiting one rings out loud
  assert.ok(d.s[A].cmds.slice(-3).some((c) => c.t === 'ringer' && c.mode === 'inside'));
  d.core.offHook(A);
  assert.equal(d.core.legState(C), 'connected');
});

test('busy beyond busyTrigger: with two calls on the line a third caller hears busy; busyTrigger 1 gives busy at once', () => {
  const cfg3 = (c: CallManagerConfig) => {
    c.lines.push({ number: '103', name: 'Dave', maxCalls: 4, busyTrigger: 2 });
    c.devices.push({ ...c.devices[2]!, name: 'SEP000000000103', lines: ['103'] });
    c.devices[0]!.voicemail = false; // else a busy 100 sends callers to Alice's mailbox (features.test.ts)
  };
  const { core, s, call, talk } = setup(cfg3);
  const D = 'SEP000000000103';
  const sd = new Sink(); core.attach(D, sd);
  talk();
  call(C, '100');
  assert.equal(core.legState(C), 'ringout');
  call(D, '100');
  assert.equal(core.legState(D), 'busy');
  assert.ok(sd.has((c) => c.t === 'tone' && c.tone === 'busy'));
  void s;

  const one = setup((c) => { c.lines[0]!.busyTrigger = 1; c.devices[0]!.voicemail = false; });
  one.talk(); one.call(C, '100');
  assert.equal(one.core.legState(C), 'busy');
});

test('NewCall while a call is held gives dial tone on a new call reference; the held call stays', () => {
  const { core, s, talk } = setup();
  talk();
  core.softkey(A, 'hold', 1);
  const held = refOf(s[A], 'hold')!;
  s[A].take();
  core.softkey(A, 'newCall', 1);
  assert.equal(core.legState(A), 'dialing');
  const fresh = refOf(s[A], 'offhook')!;
  assert.ok(fresh && fresh !== held);
  assert.ok(s[A].has((c) => c.t === 'tone' && c.tone === 'dial' && c.ref === fresh));
  for (const d of '102') core.keypad(A, d as KeypadKey);
  assert.equal(core.legState(C), 'ringin');
  core.offHook(C);
  assert.equal(core.legState(A), 'connected');
  core.softkey(A, 'endCall', 1);
  assert.equal(core.legState(A), 'hold', 'back to the held call');
  core.softkey(A, 'resume', 1);
  assert.equal(core.legState(B), 'connected');
  assert.equal(core.legState(A), 'connected');
});

test('consult transfer: Transfer holds and gives dial tone; the user talks to the target; Transfer again joins held party and target', () => {
  const { core, s, talk } = setup();
  talk();
  core.softkey(A, 'transfer', 1);
  assert.equal(core.legState(A), 'dialing');
  assert.ok(s[B].has((c) => c.t === 'prompt' && c.text === 'On hold'));
  for (const d of '102') core.keypad(A, d as KeypadKey);
  assert.equal(core.legState(C), 'ringin', 'the target rings from the transferor (consult, not blind)');
  assert.equal((s[C].cmds.filter((c) => c.t === 'callInfo').at(-1) as { calling: string }).calling, '100');
  core.offHook(C);
  assert.equal(core.legState(A), 'connected', 'A talks to the target');
  assert.equal(core.legState(B), 'connected', 'B still held');
  s[B].take(); s[C].take();
  core.softkey(A, 'transfer', 1);
  assert.equal(core.legState(A), 'idle', 'the transferor is released');
  assert.equal(core.legState(B), 'connected');
  assert.equal(core.legState(C), 'connected');
  assert.ok(s[B].has((c) => c.t === 'openReceive') && s[C].has((c) => c.t === 'openReceive'), 'media between B and C');
  assert.equal((s[B].cmds.filter((c) => c.t === 'callInfo').at(-1) as { called: string }).called, '102');
  core.onHook(B);
  assert.equal(core.legState(C), 'ended');
});

test('consult transfer completed while the target still rings: the held party hears ringback; the target answers it', () => {
  const { core, s, talk } = setup();
  talk();
  core.softkey(A, 'transfer', 1);
  for (const d of '102') core.keypad(A, d as KeypadKey);
  assert.equal(core.legState(C), 'ringin');
  s[B].take();
  core.softkey(A, 'transfer', 1);
  assert.equal(core.legState(A), 'idle');
  assert.equal(core.legState(B), 'ringout');
  assert.ok(s[B].has((c) => c.t === 'tone' && c.tone === 'ringback'));
  assert.equal(core.legState(C), 'ringin', 'still ringing');
  core.offHook(C);
  assert.equal(core.legState(B), 'connected');
  assert.equal(core.legState(C), 'connected');
});

test('consult transfer cancelled: EndCall during the consultation returns to the held call untouched', () => {
  const { core, s, talk } = setup();
  talk();
  core.softkey(A, 'transfer', 1);
  for (const d of '102') core.keypad(A, d as KeypadKey);
  core.offHook(C);
  s[B].take();
  core.softkey(A, 'endCall', 1);
  assert.equal(core.legState(C), 'ended', 'the target is released');
  assert.equal(core.legState(A), 'hold', 'back to the held call');
  assert.equal(core.legState(B), 'connected');
  assert.deepEqual(s[B].cmds.filter((c) => c.t !== 'notify'), [], 'the held party sees nothing');
  core.softkey(A, 'resume', 1);
  assert.equal(core.legState(A), 'connected');

  const blind = setup((c) => { c.lines[0]!.transfer = 'blind'; });
  blind.talk();
  blind.core.softkey(A, 'transfer', 1);
  for (const d of '102') blind.core.keypad(A, d as KeypadKey);
  assert.equal(blind.core.legState(A), 'idle', 'line transfer: blind sends B on at once');
  assert.equal(blind.core.legState(B), 'ringout');
});

test('line lamps: a waiting call blinks the line; when a call ends beside a held one the lamp winks, beside a connected one it stays on', () => {
  const { core, s, call, talk } = setup();
  talk();
  s[A].take();
  call(C, '100');
  const lamps = () => s[A].cmds.filter((c): c is Extract<CmCommand, { t: 'lamp' }> => c.t === 'lamp').map((c) => c.mode);
  assert.deepEqual(lamps(), ['blink'], 'waiting call');
  core.softkey(A, 'answer', 1);
  assert.equal(lamps().at(-1), 'on');
  s[A].take();
  core.softkey(A, 'endCall', 1); // ends Carol's call, Bob stays held
  assert.equal(lamps().at(-1), 'wink', `the held call keeps the lamp: ${lamps().join(', ')}`);
  core.softkey(A, 'resume', 1);
  core.onHook(C); // Carol hangs up her ended call
  s[A].take();
  call(C, '100');
  assert.equal(lamps().at(-1), 'blink');
  core.onHook(C); // the waiting caller gives up: the line still has the connected call
  assert.equal(lamps().at(-1), 'on', `after the waiting call: ${lamps().join(', ')}`);
  s[A].take();
  core.onHook(A);
  assert.deepEqual(lamps(), ['off'], 'no call left');
});

test('Transfer in RingOut: completes a consultation; on a plain call still ringing it is "Not available"', () => {
  const { core, s, call } = setup();
  call(B, '100');
  assert.equal(core.legState(B), 'ringout');
  s[B].take();
  core.softkey(B, 'transfer');
  assert.ok(s[B].has((c) => c.t === 'notify' && c.text === 'Not available'));
  assert.equal(core.legState(B), 'ringout', 'the call goes on ringing');
});
