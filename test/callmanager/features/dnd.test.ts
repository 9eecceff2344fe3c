/**
 * DND (callmanager/features/dnd.ts) for SCCP and SSCP phones alike: the SSCP half turns soft key
 * event 22 (our extension, docs/sscp.md §2) and Forward Mode Busy / NoAnswer into the same core calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SscpSession, type SscpSessionHost } from '../../../callmanager/sscp-server/session.js';
import type { SscpOutMessage } from '../../../callmanager/sscp-server/commands.js';
import type { SscpDecoded } from '../../../firmware/sscp/codec.js';
import { CallCore } from '../../../callmanager/calls.js';
import type { DeviceConfig } from '../../../callmanager/config.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { silentLogger } from '../../../callmanager/log.js';
import { ALICE, BOB, DANA, Sink, digits, memoryStorage, office, officeConfig, settle } from '../../support/office-core.js';

function sscpDana(core: CallCore) {
  const config = officeConfig();
  const out: SscpOutMessage[] = [];
  const host: SscpSessionHost = { config, core, log: silentLogger, localAddress: '127.0.0.1', unregister: () => {},
    send: (_p, _d, m) => { out.push(m); } };
  const session = new SscpSession(config.devices.find((d) => d.name === DANA)! as DeviceConfig, { address: '127.0.0.1', port: 5999 }, 0, host, 0);
  core.attach(DANA, session);
  const rx = (name: string, fields: SscpDecoded['fields']) => session.dispatch({ name, fields, num: 0, repairs: [] } as SscpDecoded);
  const notices = () => out.filter((m) => m.name === 'Notify').map((m) => m.fields.text);
  return { out, rx, notices };
}

test('DND on an SSCP phone: soft key event 22 toggles it; callers get busy; the notice stays on the idle screen', () => {
  const { core, s } = office();
  const dana = sscpDana(core);
  dana.rx('SoftKeyEvent', { event: 22, eventName: 'DND' });
  assert.deepEqual(dana.out.find((m) => m.name === 'Notify')?.fields, { text: 'Do not disturb', timeoutS: 0 });
  core.offHook(ALICE); digits(core, ALICE, '103');
  assert.equal(core.legState(ALICE), 'busy', 'Dana has no mailbox: busy');
  assert.equal(core.legState(DANA), 'idle');
  assert.ok(!dana.out.some((m) => m.name === 'Ringer' && m.fields.mode === 'inside'));
  core.onHook(ALICE);
  dana.rx('SoftKeyEvent', { event: 22, eventName: 'DND' });
  assert.equal(dana.notices().at(-1), 'Do not disturb off');
  core.offHook(ALICE); digits(core, ALICE, '103');
  assert.equal(core.legState(DANA), 'ringin');
  assert.ok(s[ALICE].cmds.length > 0);
});

test('DND on a phone with a mailbox sends callers there (SCCP), and DND is kept across a restart', async () => {
  const storage = await memoryStorage();
  const { core } = office({ storage });
  core.softkey(ALICE, 'dnd', 0);
  core.offHook(BOB); digits(core, BOB, '100');
  await settle();
  assert.equal(core.legState(BOB), 'connected', 'the mailbox answered');
  core.onHook(BOB);
  await settle();
  const again = new CallCore(officeConfig(), new VirtualClock(), undefined, undefined, storage);
  const sink = new Sink();
  again.attach(ALICE, sink);
  assert.ok(sink.notices().includes('Do not disturb'), 'the notice comes back at registration');
});

test('SSCP Forward with Mode Busy / NoAnswer sets forward busy / no answer; All stays forward all; refusals are notified', () => {
  const { core } = office();
  const dana = sscpDana(core);
  dana.rx('Forward', { number: '101', mode: 'Busy' });
  assert.equal(dana.notices().at(-1), 'Fwd busy 101');
  dana.rx('Forward', { number: '100', mode: 'NoAnswer' });
  assert.equal(dana.notices().at(-1), 'Fwd no answer 100');
  dana.rx('Forward', { number: '102' });
  assert.equal(core.forwardOf(DANA, 1), '102');
  dana.rx('Forward', { number: '103', mode: 'Busy' });
  assert.match(String(dana.notices().at(-1)), /Forward refused: Forward loop/);
  dana.rx('Forward', { number: '', mode: 'Busy' });
  assert.equal(dana.notices().at(-1), 'Fwd busy off');
  core.offHook(DANA); // busy now, but forward all wins: 103 → 102
  core.offHook(ALICE); digits(core, ALICE, '103');
  assert.equal(core.legState(ALICE), 'ringout');
});
