/**
 * The call core on storage (callmanager/store/): forwards, DND and the redial number kept across a
 * restart of the core, and call detail records of answered, unanswered and busy calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { CallCore } from '../../../callmanager/calls.js';
import type { KeypadKey } from '../../../callmanager/inputs.js';
import { parseCallManagerConfig } from '../../../callmanager/config.js';
import { openCmStorage } from '../../../callmanager/store/storage.js';
import { CdrRecorder } from '../../../callmanager/store/cdr.js';
import { RecordingSink as Sink } from '../../support/recording-sink.js';

const EXAMPLE = fileURLToPath(new URL('../../../../callmanager/examples/two-phones.yaml', import.meta.url));
const A = 'SEP000000000100'; const B = 'SEP000000000101'; const C = 'SEP000000000102';
const quiet = { info: () => {}, warn: () => {} };


async function boot(path: string, clock = new VirtualClock()) {
  const config = parseCallManagerConfig(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  config.storage.path = path;
  const storage = await openCmStorage(config, quiet);
  const core = new CallCore(config, clock, quiet, undefined, storage);
  const cdrs = new CdrRecorder(core.events, storage.db, clock, quiet);
  const s = { [A]: new Sink(), [B]: new Sink(), [C]: new Sink() };
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  const close = async () => { cdrs.stop(); core.close(); await core.fx.store.idle(); storage.db.close(); };
  return { core, s, clock, db: storage.db, close };
}
const dial = (core: CallCore, dev: string, n: string) => { for (const d of n) core.keypad(dev, d as KeypadKey); };

test('forward, DND and the redial number survive a restart of the call manager; a re-registering phone is told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-cm-'));
  try {
    const a = await boot(join(dir, 'cm.sqlite'));
    a.core.setForward(B, 1, '102');
    a.core.softkey(A, 'dnd');
    a.core.offHook(C); dial(a.core, C, '101'); // forwarded to 102 = Carol herself: rings her own line
    a.core.onHook(C);
    await a.close();
    const b = await boot(join(dir, 'cm.sqlite'));
    assert.equal(b.core.forwardOf(B, 1), '102');
    assert.deepEqual(b.s[B].cmds.filter((c) => c.t === 'forwardStat'), [{ t: 'forwardStat', line: 1, number: '102' }]);
    assert.ok(b.s[B].cmds.some((c) => c.t === 'notify' && c.text === 'Forwarded to 102'));
    assert.ok(b.s[A].cmds.some((c) => c.t === 'notify' && c.text === 'Do not disturb' && c.timeoutS === 0), 'the DND notice again');
    assert.equal(b.core.lastDialed(C), '101');
    // DND still refuses: Bob's call to Alice goes to her mailbox, her phone does not ring.
    b.core.offHook(B); dial(b.core, B, '100');
    assert.equal(b.core.legState(A), 'idle');
    b.core.onHook(B);
    b.core.softkey(A, 'dnd'); // off, and stored so
    await b.close();
    const c = await boot(join(dir, 'cm.sqlite'));
    assert.ok(!c.s[A].cmds.some((x) => x.t === 'notify' && x.text === 'Do not disturb'));
    await c.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('CDRs: an answered call with its talk time, an unanswered one, a busy one', async () => {
  const { core, clock, db, close } = await boot(':memory:');
  core.offHook(B); dial(core, B, '102');
  await clock.advance(3000);
  core.offHook(C); // answers
  await clock.advance(65_000);
  core.onHook(B);
  core.onHook(C);
  core.offHook(C); dial(core, C, '101'); // Bob is idle: rings
  await clock.advance(2000);
  core.onHook(C); // gives up
  core.offHook(A); core.offHook(B); dial(core, B, '100'); // Alice off hook: busy, but she has a mailbox → voicemail
  await clock.advance(100); // the voicemail answers on a microtask
  core.onHook(B); core.onHook(A);
  core.offHook(B); core.offHook(A); dial(core, A, '101'); // Bob off hook, no mailbox: busy
  core.onHook(A); core.onHook(B);
  const rows = db.cdrs().map((r) => [r.caller, r.callee, r.outcome, r.durationMs, r.answered !== undefined]);
  assert.deepEqual(rows, [
    ['101', '102', 'answered', 65_000, true],
    ['102', '101', 'no-answer', 0, false],
    ['101', '100', 'answered', 100, true], // the voicemail answered; Bob hung up 100 ms later
    ['100', '101', 'busy', 0, false],
  ]);
  const first = db.cdrs()[0]!;
  assert.equal(first.ended - first.started, 68_000, 'ring 3 s + talk 65 s on the wall clock');
  await close();
});
