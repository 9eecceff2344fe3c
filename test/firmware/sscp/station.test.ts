import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SscpStation } from '../../../firmware/sscp/station.js';
import { encodeSscp } from '../../../firmware/sscp/codec.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeMedia } from '../../support/fake-cm.js';
import { FakeSscpCm, drive, type SscpCmBehaviour } from '../../support/fake-sscp-cm.js';

async function setup(b: Partial<SscpCmBehaviour> = {}, loopback = '127.0.0.1') {
  const clock = new VirtualClock();
  const cm = await FakeSscpCm.start(clock, b, loopback);
  const media = new FakeMedia();
  const events: SignallingEvent[] = [];
  const logs: string[] = [];
  const st = new SscpStation({
    mac: '00:11:22:aa:bb:cc', servers: [{ host: loopback, port: cm.port }], clock, media,
    transport: { retries: 2, initialRtoMs: 200, jitter: 0 },
    log: (level, msg) => { logs.push(`${level} ${msg}`); },
  });
  st.onEvent((e) => events.push(e));
  const done = async () => { await st.stop(); await cm.close(); };
  return { cm, clock, media, events, logs, st, done };
}

test('registers, announces codecs and device, turns CM messages into events, keeps alive', async () => {
  const { cm, clock, events, st, done } = await setup({ keepAliveS: 10 });
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered' && events.some((e) => e.type === 'softkeys'), 'registration');
    const reg = cm.last('Register')!;
    assert.equal(reg.device, 'SEP001122AABBCC');
    assert.equal(reg.fields.codecs, 'PCMU PCMA G722');
    assert.equal(reg.fields.ipv6, true);
    assert.ok(events.some((e) => e.type === 'lineStatus' && e.number === '200' && e.label === 'Dana'));
    assert.ok(events.some((e) => e.type === 'timeDate' && e.date.getTime() === 1_700_000_000_000));
    const sk = events.find((e) => e.type === 'softkeys');
    assert.deepEqual(sk && sk.type === 'softkeys' && sk.keys.map((k) => [k.label, k.event, k.enabled]),
      [['Redial', 1, true], ['NewCall', 2, true], ['Off', 5, false]]);
    const t0 = clock.now();
    await drive(clock, () => cm.count('KeepAlive') >= 2, 'two keepalives');
    assert.ok(clock.now() - t0 >= 19_000 && clock.now() - t0 < 21_000, `2 keepalives at 10 s took ${clock.now() - t0} ms`);
    assert.equal(st.state, 'registered');

    // CM → phone: call state, info, tones (dtmf with Key), layout, prompt, ringer, lamp.
    cm.send('CallState', { line: 1, callId: '01002007', state: 'ringin' });
    cm.send('CallInfo', { line: 1, callId: '01002007', callingName: 'Erik', calling: '201', calledName: 'Dana', called: '200', direction: 'inbound' });
    cm.send('Ringer', { mode: 'inside' });
    cm.send('Lamp', { target: 'line', instance: 1, mode: 'blink' });
    cm.send('Tone', { tone: 'dtmf', key: '#', line: 1, callId: '1002007' });
    cm.send('Layout', { view: 'Conversation', page: 1, pages: 2, line: 1, callId: '1002007' });
    cm.send('Prompt', { text: 'From 201', timeoutS: 0, line: 1, callId: '1002007' });
    cm.send('AudioPath', { speaker: true, microphone: false });
    await drive(clock, () => events.some((e) => e.type === 'microphone'), 'AudioPath');
    const has = (p: (e: SignallingEvent) => boolean, what: string) => assert.ok(events.some(p), what);
    has((e) => e.type === 'callState' && e.callRef === 1002007 && e.state === 'ringin', 'callState with callRef = Number(CallIdentifier)');
    has((e) => e.type === 'callInfo' && e.calling === '201' && e.direction === 'inbound', 'callInfo');
    has((e) => e.type === 'ringer' && e.mode === 'inside' && e.once === false, 'ringer');
    has((e) => e.type === 'lamp' && e.target === 'line' && e.mode === 'blink', 'lamp');
    has((e) => e.type === 'tone' && e.tone === 'dtmf-#', 'dtmf tone');
    has((e) => e.type === 'callPlane' && e.line === 1 && e.active, 'conversation view → callPlane');
    has((e) => e.type === 'prompt' && e.text === 'From 201', 'prompt');
    has((e) => e.type === 'speaker' && e.on, 'speaker');
    assert.deepEqual(st.layout, { view: 'Conversation', page: 1, pages: 2, line: 1, callRef: 1002007 });
  } finally { await done(); }
});

test('PhoneInput becomes SSCP messages with line, call id and the seed soft key names; bad input is refused', async () => {
  const { cm, clock, st, logs, events, done } = await setup();
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered' && events.some((e) => e.type === 'softkeys'), 'registration');
    cm.send('CallState', { line: 1, callId: '42', state: 'ringin' });
    await drive(clock, () => events.some((e) => e.type === 'callState'), 'CallState');
    st.offHook();
    st.keypad('5');
    st.keypad('+');            // not a DTMF key: refused, logged
    st.dial('x1');             // not a dial string
    st.softkey(0);             // Redial
    st.softkey(2);             // disabled slot
    st.softkey(9);             // no such slot
    st.speedDial(3);
    st.lineButton(1);
    st.headset(true);
    st.hookFlash();
    st.nextFunctionKeyPage();
    st.onHook();
    await drive(clock, () => cm.count('OnHook') === 1, 'OnHook');
    const out = cm.rx.filter((m) => !['Register', 'KeepAlive'].includes(m.name)).map((m) => [m.name, m.fields]);
    assert.deepEqual(out, [
      ['OffHook', { line: 1 }],
      ['Digit', { key: '5', line: 1, callId: '42' }],
      ['SoftKeyEvent', { event: 1, eventName: 'Redial', line: 1, callId: '42' }],
      ['SpeedDial', { index: 3 }],
      ['LineButton', { line: 1 }],
      ['HeadsetStatus', { mode: 'On' }],
      ['HookFlash', { line: 1, callId: '42' }],
      ['FunctionKeyPage', { page: 1 }],
      ['OnHook', { line: 1, callId: '42' }],
    ]);
    for (const why of ['"+" is not one of 0-9', 'is not a dial string', 'slot 2 (Off) is disabled', 'softkey slot 9']) {
      assert.ok(logs.some((l) => l.includes(why)), `logged: ${why}\n${logs.join('\n')}`);
    }
  } finally { await done(); }
});

async function mediaRun(loopback: string): Promise<void> {
  const { cm, clock, media, st, events, done } = await setup({}, loopback);
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered', 'registration');
    cm.send('MediaOpen', { mediaId: 7, codec: 'PCMA', ptime: 30, callId: '9' });
    await drive(clock, () => cm.count('MediaOpenAck') === 1, 'MediaOpenAck');
    assert.deepEqual(cm.last('MediaOpenAck')!.fields, { mediaId: 7, localFamily: '4', localIp: '127.0.0.1', localPort: 40007 });
    cm.send('MediaStart', { mediaId: 7, codec: 'PCMA', ptime: 30, remoteFamily: '6', remoteIp: '2001:db8::20', remotePort: 16390 });
    await drive(clock, () => media.calls.some((c) => c.op === 'startTransmit'), 'startTransmit');
    assert.deepEqual(media.calls.find((c) => c.op === 'startTransmit')!.args,
      [{ address: '2001:db8::20', port: 16390 }, { codec: 'PCMA', ptimeMs: 30 }]);
    // Re-registration (Reset) must not touch media.
    cm.send('Reset', { reason: 'ReRegister' });
    await drive(clock, () => cm.count('Register') === 2 && st.state === 'registered', 're-registration');
    assert.ok(events.some((e) => e.type === 'registration' && e.state === 'lost'));
    assert.deepEqual(media.activeStreams(), [7]);
    assert.ok(!media.calls.some((c) => c.op === 'closeReceive' || c.op === 'stopTransmit'), 'media untouched');
    cm.send('MediaStop', { mediaId: 7 });
    cm.send('MediaClose', { mediaId: 7 });
    await drive(clock, () => media.activeStreams().length === 0, 'MediaClose');
    assert.deepEqual(media.calls.slice(-2).map((c) => c.op), ['stopTransmit', 'closeReceive']);
  } finally { await done(); }
}
test('media open/start/stop/close drive the MediaEngine (IPv4 CM, IPv6 far end); Reset keeps media', () => mediaRun('127.0.0.1'));
test('the same over an IPv6 call manager (::1)', () => mediaRun('::1'));

test('datagrams from anyone but the registered CM are dropped and logged', async () => {
  const { clock, st, logs, events, done } = await setup();
  const stranger = createSocket('udp4');
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered', 'registration');
    const before = events.length;
    const port = (st as unknown as { endpoint: { local: { port: number } } }).endpoint.local.port;
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
    stranger.send(encodeSscp({ name: 'Ringer', fields: { mode: 'inside' } }), port, '127.0.0.1');
    stranger.send(encodeSscp({ name: 'Reset', fields: { reason: 'Restart' } }), port, '127.0.0.1');
    await drive(clock, () => (st.stats?.droppedUnexpectedPeer ?? 0) >= 2, 'drops', 50, 1000);
    assert.equal(st.state, 'registered');
    assert.ok(!events.slice(before).some((e) => e.type === 'ringer'), 'no ringer from a stranger');
    assert.ok(logs.some((l) => /dropped \(unexpectedPeer\)/.test(l)), logs.join('\n'));
  } finally { stranger.close(); await done(); }
});

test('RegisterReject → rejected, retried after 30 s; a silent CM → lost, then the next CM', async () => {
  const clock = new VirtualClock();
  const silent = await FakeSscpCm.start(clock, { register: 'none' });
  const rejecting = await FakeSscpCm.start(clock, { register: { reject: 'Unknown device SEP001122AABBCC' } });
  const good = await FakeSscpCm.start(clock);
  await silent.endpoint.close();   // nobody acks: the Register send times out
  const events: SignallingEvent[] = [];
  const st = new SscpStation({
    mac: '00:11:22:aa:bb:cc', clock, media: new FakeMedia(), transport: { retries: 2, initialRtoMs: 200, jitter: 0 },
    reconnect: { initialMs: 1000, maxMs: 60_000 },
    servers: [{ host: '127.0.0.1', port: silent.port }, { host: '127.0.0.1', port: rejecting.port }, { host: 'localhost', port: good.port }],
  });
  st.onEvent((e) => events.push(e));
  try {
    await st.start();
    await drive(clock, () => events.some((e) => e.type === 'registration' && e.state === 'rejected'), 'rejection', 100);
    const lost = events.find((e) => e.type === 'registration' && e.state === 'lost');
    assert.ok(lost && lost.type === 'registration' && /not acknowledged/.test(lost.reason ?? ''), JSON.stringify(lost));
    const rej = events.find((e) => e.type === 'registration' && e.state === 'rejected');
    assert.equal(rej?.type === 'registration' && rej.reason, 'Unknown device SEP001122AABBCC');
    const t0 = clock.now();
    await drive(clock, () => st.state === 'registered', 'registration with the third CM', 250);
    assert.ok(clock.now() - t0 >= 30_000, `retried after ${clock.now() - t0} ms`);
    assert.match(st.server, new RegExp(`:${good.port}$`));
    assert.equal(good.count('Register'), 1);
  } finally { await st.stop(); await rejecting.close(); await good.close(); }
});

test('several calls: FunctionKeyPage names the selected call (our extension, docs/sscp.md §5) and pages from its own Layout', async () => {
  const { cm, clock, st, events, done } = await setup();
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered' && events.some((e) => e.type === 'softkeys'), 'registration');
    const keys = [{ label: 'Resume', event: 10 }, { label: 'NewCall', event: 2 }];
    cm.send('CallState', { line: 1, callId: '5', state: 'hold' });
    cm.send('SoftKeySet', { line: 1, callId: '5', keys });
    cm.send('Layout', { view: 'Conversation', page: 2, pages: 3, line: 1, callId: '5' });
    cm.send('CallState', { line: 1, callId: '6', state: 'connected' });
    cm.send('SoftKeySet', { line: 1, callId: '6', keys: [{ label: 'Hold', event: 3 }] });
    cm.send('Layout', { view: 'Conversation', page: 1, pages: 2, line: 1, callId: '6' });
    await drive(clock, () => st.layout.callRef === 6, 'both calls announced');
    st.selectCall(1, 6);
    st.nextFunctionKeyPage();
    st.selectCall(1, 5);
    st.nextFunctionKeyPage();          // call 5 was on page 2 of 3: page 3, though the last Layout was call 6's
    cm.send('CallState', { line: 1, callId: '5', state: 'onhook' });
    await drive(clock, () => cm.count('FunctionKeyPage') === 2, 'two FunctionKeyPage');
    assert.deepEqual(cm.rx.filter((m) => m.name === 'FunctionKeyPage').map((m) => m.fields), [
      { page: 2, line: 1, callId: '6' },
      { page: 3, line: 1, callId: '5' },
    ]);
  } finally { await done(); }
});

test('a set the CM pages: the shown set\'s softkeys event carries Layout page/pages; a new SoftKeySet starts on page 1', async () => {
  const { cm, clock, st, events, done } = await setup();
  try {
    await st.start();
    await drive(clock, () => st.state === 'registered' && events.some((e) => e.type === 'softkeys'), 'registration');
    cm.send('CallState', { line: 1, callId: '5', state: 'connected' });
    cm.send('SoftKeySet', { line: 1, callId: '5', keys: [{ label: 'Hold', event: 3 }] });
    cm.send('Layout', { view: 'Conversation', page: 1, pages: 2, line: 1, callId: '5' });
    cm.send('Layout', { view: 'Conversation', line: 1, callId: '5' });   // a view change without FunctionKeys keeps the page
    await drive(clock, () => st.layout.callRef === 5 && cm.count('KeepAlive') >= 0 && events.filter((e) => e.type === 'softkeys' && e.callRef === 5).length >= 2, 'paged set');
    const sets = events.filter((e) => e.type === 'softkeys' && e.callRef === 5);
    assert.deepEqual(sets.map((e) => e.type === 'softkeys' && e.paged), [false, { page: 1, pages: 2 }].map((p) => p || undefined));
    assert.deepEqual([st.layout.page, st.layout.pages], [1, 2]);
    st.nextSoftkeyPage();
    await drive(clock, () => cm.count('FunctionKeyPage') === 1, 'FunctionKeyPage');
    assert.deepEqual(cm.rx.find((m) => m.name === 'FunctionKeyPage')?.fields, { page: 2, line: 1, callId: '5' });
    cm.send('SoftKeySet', { line: 1, callId: '5', keys: [{ label: 'Answer', event: 11 }] });
    await drive(clock, () => events.filter((e) => e.type === 'softkeys' && e.callRef === 5).length === 3, 'one-page set');
    const last = events.filter((e) => e.type === 'softkeys').at(-1);
    assert.equal(last?.type === 'softkeys' ? last.paged : 'x', undefined);
  } finally { await done(); }
});
