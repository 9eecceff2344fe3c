import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CAROL, dialDigits, rig, aliceRingsBob } from '../support/callmanager.js';
import { names, type Rx } from '../support/raw-station.js';

const states = (seq: Rx[]) => seq.filter((m) => m.name === 'CallState').map((m) => m.fields.callState);

test('basic call: dial tone, ringing, answer, phone-to-phone media, hang-up', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    const b = await r.station(BOB);
    a.send('OffHook', { lineInstance: 1, callReference: 0 });
    const off = await a.until('DisplayPromptStatus');
    assert.deepEqual(names(off), ['SetLamp', 'CallState', 'ActivateCallPlane', 'StartTone', 'SelectSoftKeys', 'DisplayPromptStatus']);
    assert.deepEqual(off[0]!.fields, { stimulus: 9, stimulusInstance: 1, lampMode: 2 });
    const refA = off[1]!.fields.callReference;
    assert.deepEqual([off[1]!.fields.callState, off[1]!.fields.lineInstance], [1, 1]);
    assert.equal(off[3]!.fields.tone, 0x21);
    assert.equal(off[4]!.fields.softKeySetIndex, 4);
    assert.equal(off[5]!.fields.promptStatus, '\x80\x20');

    dialDigits(a, '1');
    const first = await a.until('SelectSoftKeys');
    assert.deepEqual(names(first), ['StopTone', 'SelectSoftKeys']);
    assert.equal(first[1]!.fields.softKeySetIndex, 6); // DigitsFollowing
    dialDigits(a, '01');
    const out = await a.until('DisplayPromptStatus');
    assert.deepEqual(names(out), ['CallInfo', 'DialedNumber', 'CallState', 'CallState', 'SelectSoftKeys', 'StartTone', 'DisplayPromptStatus']);
    assert.deepEqual(states(out), [12, 3]); // Proceed, RingOut
    assert.equal(out[0]!.fields.callType, 2);
    assert.equal(out[0]!.fields.calledParty, '101');
    assert.equal(out[0]!.fields.callingPartyName, 'Alice');
    assert.equal(out[1]!.fields.dialedNumber, '101');
    assert.equal(out[5]!.fields.tone, 0x24); // AlertingTone = ringback
    assert.equal(out[6]!.fields.promptStatus, '\x80\x16 101');

    const ring = await b.until('ActivateCallPlane');
    assert.deepEqual(names(ring), ['CallState', 'CallInfo', 'SetLamp', 'SetRinger', 'SelectSoftKeys', 'DisplayPromptStatus', 'ActivateCallPlane']);
    const refB = ring[0]!.fields.callReference;
    assert.notEqual(refB, refA);
    assert.equal(ring[0]!.fields.callState, 4);
    assert.equal(ring[1]!.fields.callingParty, '100');
    assert.equal(ring[1]!.fields.callType, 1);
    assert.equal(ring[2]!.fields.lampMode, 5);
    assert.equal(ring[3]!.fields.ringMode, 2);
    assert.equal(ring[4]!.fields.softKeySetIndex, 3);
    assert.equal(ring[5]!.fields.promptStatus, '\x80\x17100');
    assert.equal(r.cm.devices().find((d) => d.name === BOB)?.call, 'ringin');

    b.send('OffHook', { lineInstance: 1, callReference: refB });
    const ans = await b.until('OpenReceiveChannel');
    assert.deepEqual(names(ans), ['SetRinger', 'SetLamp', 'CallInfo', 'CallState', 'SetLamp', 'SelectSoftKeys', 'DisplayPromptStatus', 'OpenReceiveChannel']);
    assert.equal(ans[0]!.fields.ringMode, 1);
    assert.deepEqual(states(ans), [5]);
    assert.equal(ans[6]!.fields.promptStatus, '\x80\x18');
    const orcB = ans[7]!.fields;
    assert.deepEqual([orcB.conferenceId, orcB.passThruPartyId, orcB.millisecondPacketSize, orcB.compressionType], [refB, refB, 20, 4]);
    const con = await a.until('OpenReceiveChannel');
    assert.deepEqual(names(con), ['StopTone', 'CallInfo', 'CallState', 'SetLamp', 'SelectSoftKeys', 'DisplayPromptStatus', 'OpenReceiveChannel']);
    assert.deepEqual(states(con), [5]);
    assert.equal(con[4]!.fields.softKeySetIndex, 1);
    assert.equal(con[6]!.fields.passThruPartyId, refA);

    a.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.10', portNumber: 20000, passThruPartyId: refA });
    b.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.11', portNumber: 20002, passThruPartyId: refB });
    const smA = await a.next('StartMediaTransmission');
    const smB = await b.next('StartMediaTransmission');
    assert.deepEqual([smA.remoteIpAddr, smA.remotePortNumber, smA.passThruPartyId, smA.compressionType], ['127.0.0.11', 20002, refA, 4]);
    assert.deepEqual([smB.remoteIpAddr, smB.remotePortNumber, smB.passThruPartyId, smB.millisecondPacketSize], ['127.0.0.10', 20000, refB, 20]);

    a.send('OnHook', { lineInstance: 1, callReference: refA });
    const downA = await a.until('SelectSoftKeys', (f) => f.softKeySetIndex === 0);
    assert.deepEqual(names(downA), ['CloseReceiveChannel', 'StopMediaTransmission', 'StopTone', 'CallState', 'ClearPromptStatus', 'SetRinger', 'SetLamp', 'SelectSoftKeys']);
    assert.deepEqual(states(downA), [2]);
    assert.equal(downA[6]!.fields.lampMode, 1);
    const downB = await b.until('DisplayPromptStatus');
    assert.deepEqual(names(downB), ['CloseReceiveChannel', 'StopMediaTransmission', 'StopTone', 'CallState', 'StartTone', 'SelectSoftKeys', 'DisplayPromptStatus']);
    assert.equal(downB[4]!.fields.tone, 0x25);
    assert.equal(downB[6]!.fields.promptStatus, 'Call ended');
    b.send('OnHook', { lineInstance: 1, callReference: refB });
    assert.deepEqual(states(await b.until('SelectSoftKeys', (f) => f.softKeySetIndex === 0)), [2]);
    assert.equal(r.cm.devices().find((d) => d.name === BOB)?.call, 'idle');
  } finally { await r.stop(); }
});

test('busy callee: caller gets LineBusyTone and CallState Busy', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    const c = await r.station(CAROL);
    c.send('OffHook', { lineInstance: 1 });
    await c.next('DisplayPromptStatus');
    a.send('OffHook', { lineInstance: 1 });
    dialDigits(a, '102');
    const seq = await a.until('DisplayPromptStatus', (f) => f.promptStatus === 'Busy');
    assert.ok(states(seq).includes(6));
    assert.equal(seq.find((m) => m.name === 'StartTone' && m.fields.tone === 0x23)?.name, 'StartTone');
    assert.equal(c.rx.filter((m) => m.name === 'SetRinger' && m.fields.ringMode === 2).length, 0);
  } finally { await r.stop(); }
});

test('unknown number gets reorder at once; an incomplete number gets reorder on the interdigit timeout', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    a.send('OffHook', { lineInstance: 1 });
    dialDigits(a, '9');
    const seq = await a.until('DisplayPromptStatus', (f) => f.promptStatus === 'Unknown number');
    assert.equal(seq.find((m) => m.name === 'StartTone' && m.fields.tone === 0x25)?.name, 'StartTone');
    assert.deepEqual(states(seq), [1, 14]); // OffHook, then InvalidNumber
    a.send('OnHook', { lineInstance: 1 });
    await a.next('CallState', (f) => f.callState === 2);

    const b = await r.station(BOB);
    b.send('OffHook', { lineInstance: 1 });
    dialDigits(b, '10');
    await b.next('SelectSoftKeys', (f) => f.softKeySetIndex === 6);
    await b.drain();
    await r.clock.advance(7_900);
    assert.deepEqual(await b.drain(), [], 'no reorder before the 8 s interdigit timeout');
    await r.clock.advance(200);
    const late = await b.until('DisplayPromptStatus');
    assert.ok(late.some((m) => m.name === 'StartTone' && m.fields.tone === 0x25));
  } finally { await r.stop(); }
});

test('caller abandons while ringing: callee stops ringing and goes back on hook', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    const b = await r.station(BOB);
    a.send('EnblocCall', { calledParty: '101', lineInstance: 1 });
    await b.until('ActivateCallPlane');
    a.send('OnHook', { lineInstance: 1 });
    const stop = await b.until('SelectSoftKeys', (f) => f.softKeySetIndex === 0);
    assert.deepEqual(names(stop), ['StopTone', 'CallState', 'ClearPromptStatus', 'SetRinger', 'SetLamp', 'SelectSoftKeys']);
    assert.deepEqual(states(stop), [2]);
    assert.equal(stop[3]!.fields.ringMode, 1);
    assert.equal(stop[4]!.fields.lampMode, 1);
    assert.equal(r.cm.devices().find((d) => d.name === BOB)?.call, 'idle');
  } finally { await r.stop(); }
});

test('Redial soft key dials the last number; declining with EndCall gives the caller busy', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    a.send('OnHook', { lineInstance: 1 });
    await b.next('SetRinger', (f) => f.ringMode === 1);
    a.send('SoftKeyEvent', { softKeyEvent: 1, lineInstance: 1, callReference: 0 }); // Redial
    const ring = await b.until('CallState', (f) => f.callState === 4);
    const refB = ring[ring.length - 1]!.fields.callReference;
    b.send('SoftKeyEvent', { softKeyEvent: 9, lineInstance: 1, callReference: refB }); // EndCall = decline
    const busy = await a.until('StartTone', (f) => f.tone === 0x23);
    assert.ok(states(busy).includes(6));
  } finally { await r.stop(); }
});

test('hold closes media on both sides and resume reopens it', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    b.send('SoftKeyEvent', { softKeyEvent: 11, lineInstance: 1, callReference: 0 }); // Answer
    const orcA = await a.next('OpenReceiveChannel');
    const orcB = await b.next('OpenReceiveChannel');
    a.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 30000, passThruPartyId: orcA.passThruPartyId });
    b.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 30002, passThruPartyId: orcB.passThruPartyId });
    await a.next('StartMediaTransmission');
    await b.next('StartMediaTransmission');
    a.send('SoftKeyEvent', { softKeyEvent: 3, lineInstance: 1, callReference: orcA.callReference });
    const held = await a.until('SelectSoftKeys');
    assert.deepEqual(names(held), ['CloseReceiveChannel', 'StopMediaTransmission', 'CallState', 'SetLamp', 'SelectSoftKeys']);
    assert.deepEqual(states(held), [8]);
    assert.equal(held[4]!.fields.softKeySetIndex, 2);
    await b.next('StopMediaTransmission');
    a.send('SoftKeyEvent', { softKeyEvent: 10, lineInstance: 1, callReference: orcA.callReference });
    assert.equal((await a.next('OpenReceiveChannel')).passThruPartyId, orcA.passThruPartyId);
    await b.next('OpenReceiveChannel');
    assert.equal(r.cm.devices().find((d) => d.name === ALICE)?.call, 'connected');
  } finally { await r.stop(); }
});
