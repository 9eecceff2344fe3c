/**
 * Conferences in the call core (callmanager/conference-calls.ts) on fake station sinks, the
 * VirtualClock and the real media services (bridges on loopback): Confrn twice re-points all three
 * phones at their bridge endpoints, Join, the maxParticipants limit, RmLstC, hold in a conference,
 * the bridge closed when empty, and meet-me rooms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { CallCore } from '../../callmanager/calls.js';
import type { CallManagerConfig } from '../../callmanager/config.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import type { ConferenceBridge } from '../../callmanager/media/conference.js';
import { createMediaServices, type MediaServices } from '../../callmanager/media/services.js';
import { exampleConfig } from '../support/callmanager.js';
import { RecordingSink as Sink, type Cmd } from '../support/recording-sink.js';

const A = 'SEP000000000100'; const B = 'SEP000000000101'; const C = 'SEP000000000102'; const D = 'SEP000000000103';


/** Lets the bridges bind their sockets (real UDP on loopback). */
async function settle(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
}

async function setup(max = 6, codecs?: CallManagerConfig['server']['codecs']) {
  const clock = new VirtualClock();
  const cfg = exampleConfig();
  if (codecs) cfg.server.codecs = codecs;
  cfg.lines.push({ ...cfg.lines[0]!, number: '103', name: 'Dave' });
  cfg.devices.push({ ...cfg.devices[0]!, name: D, lines: ['103'] });
  cfg.conference.maxParticipants = max;
  cfg.meetme = [{ number: '800' }];
  const real = createMediaServices(cfg, clock, { bindAddress: '127.0.0.1' });
  const made: ConferenceBridge[] = [];
  const services: MediaServices = { ...real, conference: (n) => { const b = real.conference(n); made.push(b); return b; },
    meetme: (n) => { const b = real.meetme(n); if (b && !made.includes(b)) made.push(b); return b; } };
  const core = new CallCore(cfg, clock, undefined, undefined, undefined, services);
  const s: Record<string, Sink> = { [A]: new Sink(), [B]: new Sink(), [C]: new Sink(), [D]: new Sink() };
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  const dial = (from: string, number: string) => { for (const d of number) core.keypad(from, d as KeypadKey); };
  /** Every phone acks its last OpenReceiveChannel (port 41000 + index). */
  const ackAll = () => Object.entries(s).forEach(([n, sink], i) => {
    const o = sink.last('openReceive');
    if (o) core.mediaReady(n, o.passThru, 0, '127.0.0.1', 41000 + 2 * i);
  });
  /** A calls B, A presses Confrn, dials C, C answers, A presses Confrn: the three are on one bridge. */
  const three = async () => {
    core.offHook(A); dial(A, '101'); core.offHook(B); ackAll();
    core.softkey(A, 'confrn');
    assert.equal(s[A]!.last('tone')?.tone, 'dial', 'Confrn gives dial tone on a new call');
    dial(A, '102'); core.offHook(C); ackAll();
    for (const sink of Object.values(s)) sink.clear();
    core.softkey(A, 'confrn');
    ackAll();
    await settle(() => [A, B, C].every((n) => s[n]!.last('startMedia')), 'StartMediaTransmission to all three');
  };
  const close = async () => { core.close(); await real.close(); };
  return { clock, core, s, dial, ackAll, three, made, services, close };
}

test('Confrn twice: each phone is re-pointed at its own bridge endpoint and shows the conference', async () => {
  const t = await setup();
  try {
    await t.three();
    assert.equal(t.made.length, 1);
    const bridge = t.made[0]!;
    assert.equal(bridge.size, 3);
    const ports = new Set(bridge.ids().map((id) => bridge.stats(id).localPort));
    for (const [name, sink] of Object.entries(t.s).filter(([n]) => n !== D)) {
      const order = sink.cmds.map((c) => c.t).filter((k) => ['closeReceive', 'stopMedia', 'openReceive', 'startMedia'].includes(k));
      // B's call streams were closed when A held it (the first Confrn) and a music-on-hold channel opened
      // (hold-music.ts; its stream not started yet: no ack here): that channel closes now. A's and C's
      // consultation call closes now too.
      const expected = name === B ? ['closeReceive', 'openReceive', 'startMedia'] : ['closeReceive', 'stopMedia', 'openReceive', 'startMedia'];
      assert.deepEqual(order, expected, `${name}: old stream closed, then the bridge's`);
      const start = sink.last('startMedia')!;
      assert.equal(start.ip, '127.0.0.1');
      assert.ok(ports.has(start.port), `${name} sends to a bridge endpoint (${start.port} of ${[...ports].join(', ')})`);
      ports.delete(start.port); // one endpoint per participant
      assert.equal(sink.last('softkeys')?.set, 'ConnectedConference');
      assert.equal(sink.last('prompt')?.text, 'Conference');
      assert.equal(t.core.legState(name), 'connected');
    }
    assert.equal(t.s[A]!.all('callState').filter((c) => c.state === 'onhook').length, 1, "A's held first call is cleared");
  } finally { await t.close(); }
});

test('Join merges the held and the connected call of a device', async () => {
  const t = await setup();
  try {
    t.core.offHook(A); t.dial(A, '101'); t.core.offHook(B); t.ackAll();
    t.core.softkey(A, 'hold');
    t.core.softkey(A, 'newCall'); t.dial(A, '102'); t.core.offHook(C); t.ackAll();
    t.core.softkey(A, 'join');
    t.ackAll();
    await settle(() => t.made[0]?.size === 3, 'three on the bridge');
    for (const n of [A, B, C]) assert.equal(t.s[n]!.last('softkeys')?.set, 'ConnectedConference');
  } finally { await t.close(); }
});

test('Join without a held call is refused with a notice', async () => {
  const t = await setup();
  try {
    t.core.offHook(A); t.dial(A, '101'); t.core.offHook(B);
    t.core.softkey(A, 'join');
    assert.equal(t.s[A]!.last('notify')?.text, 'Can not join calls');
    assert.equal(t.made.length, 0);
    assert.equal(t.core.legState(A), 'connected');
  } finally { await t.close(); }
});

test('maxParticipants: Confrn on a full conference gives a notice and no new call', async () => {
  const t = await setup(3);
  try {
    await t.three();
    t.s[A]!.clear();
    t.core.softkey(A, 'confrn');
    assert.equal(t.s[A]!.last('notify')?.text, 'Exceed maximum parties');
    assert.equal(t.s[A]!.all('tone').length, 0, 'no dial tone');
    assert.equal(t.core.legState(A), 'connected');
    assert.equal(t.made[0]!.size, 3);
  } finally { await t.close(); }
});

test('RmLstC drops the party added last; it goes idle and the other two stay on the bridge', async () => {
  const t = await setup();
  try {
    await t.three();
    t.core.softkey(B, 'rmLstC');
    assert.equal(t.s[B]!.last('notify')?.text, 'Not the conference controller');
    t.core.softkey(A, 'rmLstC');
    assert.equal(t.core.legState(C), 'idle');
    assert.equal(t.s[C]!.last('callState')?.state, 'onhook');
    await settle(() => t.made[0]!.size === 2, 'two left on the bridge');
    assert.equal(t.core.legState(A), 'connected');
    assert.equal(t.core.legState(B), 'connected');
  } finally { await t.close(); }
});

test('hold in a conference closes the phone streams; resume opens them to the bridge again', async () => {
  const t = await setup();
  try {
    await t.three();
    const port = t.s[B]!.last('startMedia')!.port;
    t.s[B]!.clear();
    t.core.softkey(B, 'hold');
    assert.deepEqual(t.s[B]!.cmds.map((c) => c.t).slice(0, 2), ['closeReceive', 'stopMedia']);
    assert.equal(t.core.legState(B), 'hold');
    t.core.softkey(B, 'resume');
    t.ackAll();
    assert.equal(t.s[B]!.last('startMedia')?.port, port, 'the same bridge endpoint');
    assert.equal(t.core.legState(B), 'connected');
  } finally { await t.close(); }
});

test('the bridge closes when the conference ends; one left alone gets "Call ended"', async () => {
  const t = await setup();
  try {
    await t.three();
    const bridge = t.made[0]!;
    t.core.onHook(B);
    await settle(() => bridge.size === 2, 'B left');
    t.core.onHook(A);
    assert.equal(t.core.legState(C), 'ended');
    assert.equal(t.s[C]!.last('prompt')?.text, 'Call ended');
    await settle(() => bridge.size === 0, 'empty bridge');
    await assert.rejects(bridge.addParticipant({ codec: 'ulaw' }), /closed/);
  } finally { await t.close(); }
});

test('meet-me: MeetMe then a number that is no room gives reorder; dialling 800 joins the room; it closes when empty', async () => {
  const t = await setup();
  try {
    t.core.softkey(A, 'meetMe');
    t.dial(A, '101');
    assert.equal(t.core.legState(A), 'reorder');
    assert.equal(t.s[A]!.last('prompt')?.text, 'Not a conference');
    assert.equal(t.core.legState(B), 'idle', 'B was not called');
    t.core.onHook(A);
    t.core.offHook(A); t.dial(A, '800');
    t.core.offHook(B); t.dial(B, '800');
    t.ackAll();
    await settle(() => !!t.s[A]!.last('startMedia') && !!t.s[B]!.last('startMedia'), 'both in the room');
    const room = t.services.meetme('800')!;
    assert.equal(room.size, 2);
    assert.equal(t.s[A]!.last('callInfo')?.called, '800');
    t.core.onHook(A);
    assert.equal(t.core.legState(B), 'connected', 'a room of one stays');
    t.core.onHook(B);
    await settle(() => t.services.meetme('800') !== room, 'a fresh room after it emptied');
  } finally { await t.close(); }
});

test('Transfer on a conference leg (an SSCP phone can send it) is ignored, not a crash', async () => {
  const t = await setup();
  try {
    await t.three();
    t.s[B]!.clear();
    t.core.softkey(B, 'transfer');
    assert.equal(t.core.legState(B), 'connected');
    assert.equal(t.s[B]!.cmds.length, 0);
  } finally { await t.close(); }
});

test('participants keep their own codec: a G.722 phone joins in G.722, a G.711 one in µ-law (the bridge transcodes)', async () => {
  const t = await setup(6, ['g722', 'ulaw', 'alaw']); // the config's order decides, as for a two-party call
  try {
    t.core.setCapabilities(A, ['G722', 'PCMU']);
    t.core.setCapabilities(B, ['PCMU', 'PCMA']);
    await t.three();
    assert.equal(t.s[A]!.last('openReceive')?.codec, 'G722');
    assert.equal(t.s[A]!.last('startMedia')?.codec, 'G722');
    assert.equal(t.s[B]!.last('startMedia')?.codec, 'PCMU');
    const bridge = t.made[0]!;
    const byPort = new Map(bridge.ids().map((id) => [bridge.stats(id).localPort, bridge.stats(id).codec]));
    assert.equal(byPort.get(t.s[A]!.last('startMedia')!.port), 'g722');
    assert.equal(byPort.get(t.s[B]!.last('startMedia')!.port), 'ulaw');
    assert.equal(bridge.mixRate, 16000);
  } finally { await t.close(); }
});

test('the controller adds a fourth party: Confrn holds the conference, the new call is added, the controller is back in', async () => {
  const t = await setup();
  try {
    await t.three();
    t.core.softkey(A, 'confrn');
    assert.equal(t.core.legState(A), 'dialing');
    assert.equal(t.s[A]!.last('tone')?.tone, 'dial');
    t.dial(A, '103'); t.core.offHook(D); t.ackAll();
    assert.equal(t.core.legState(D), 'connected');
    t.core.softkey(A, 'confrn');
    t.ackAll();
    const bridge = t.made[0]!;
    await settle(() => bridge.size === 4 && !!t.s[D]!.last('startMedia') && t.core.legState(A) === 'connected', 'four on the bridge');
    assert.equal(t.made.length, 1, 'the same bridge');
    assert.equal(t.s[D]!.last('softkeys')?.set, 'ConnectedConference');
    t.core.softkey(A, 'rmLstC');
    assert.equal(t.core.legState(D), 'idle', 'the party added last is dropped');
    assert.equal(t.core.legState(C), 'connected');
  } finally { await t.close(); }
});
