/** Call waiting and consult transfer over SCCP (docs/sccp.md §4 codes): the CM's SCCP half end to end with raw stations. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliceRingsBob, CAROL, dialDigits, rig } from '../../support/callmanager.js';
import type { Rx } from '../../support/raw-station.js';

const states = (rx: Rx[]) => rx.filter((m) => m.name === 'CallState').map((m) => [m.fields.callState, m.fields.callReference]);

test('SCCP: a call to a talking phone is CallState RingIn on a new callReference with CallWaitingTone 0x2D; SoftKeyEvent Answer (11) on it holds the first', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    b.send('OffHook', { lineInstance: 1, callReference: 0 });
    await a.until('OpenReceiveChannel');
    const first = (await b.until('OpenReceiveChannel')).find((m) => m.name === 'CallState')!.fields.callReference as number;
    await b.drain();
    const c = await r.station(CAROL);
    c.send('OffHook', { lineInstance: 1 });
    dialDigits(c, '101');
    const wait = await b.until('DisplayPromptStatus');
    const ringIn = wait.find((m) => m.name === 'CallState' && m.fields.callState === 4)!;
    const second = ringIn.fields.callReference as number;
    assert.notEqual(second, first);
    assert.ok(wait.some((m) => m.name === 'StartTone' && m.fields.tone === 0x2d && m.fields.callReference === second));
    assert.ok(!wait.some((m) => m.name === 'SetRinger' && m.fields.ringMode === 2), 'no ringer while off hook');

    b.send('SoftKeyEvent', { softKeyEvent: 11, lineInstance: 1, callReference: second });
    const ans = await b.until('OpenReceiveChannel');
    assert.deepEqual(states(ans), [[8, first], [5, second]], 'Hold on the first call, Connected on the second');
    const held = await a.until('DisplayPromptStatus', (f) => f.promptStatus === 'On hold');
    assert.ok(held.some((m) => m.name === 'CloseReceiveChannel'));
    await b.drain();

    b.send('SoftKeyEvent', { softKeyEvent: 9, lineInstance: 1, callReference: second }); // EndCall
    const end = await b.until('CallState', (f) => f.callState === 2);
    assert.equal(end.at(-1)!.fields.callReference, second);
    assert.equal(r.cm.core.legState('SEP000000000101'), 'hold');
    b.send('SoftKeyEvent', { softKeyEvent: 10, lineInstance: 1, callReference: first }); // Resume
    const res = await b.until('OpenReceiveChannel');
    assert.deepEqual(states(res), [[5, first]]);
  } finally { await r.stop(); }
});

test('SCCP: consult transfer with SoftKeyEvent Transfer (4) twice joins the held party to the target', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    b.send('OffHook', { lineInstance: 1, callReference: 0 });
    await a.until('OpenReceiveChannel');
    await b.until('OpenReceiveChannel');
    const c = await r.station(CAROL);
    b.send('SoftKeyEvent', { softKeyEvent: 4, lineInstance: 1, callReference: 0 });
    await b.until('DisplayPromptStatus', (f) => f.promptStatus === 'Transfer to');
    dialDigits(b, '102');
    await c.until('SetRinger', (f) => f.ringMode === 2);
    c.send('OffHook', { lineInstance: 1 });
    await c.until('OpenReceiveChannel');
    b.send('SoftKeyEvent', { softKeyEvent: 4, lineInstance: 1, callReference: 0 });
    await b.until('CallState', (f) => f.callState === 2);
    // Alice's music on hold (OpenReceiveChannel while held) stops first; then her call with Carol opens media.
    const joinedA = await a.until('CallInfo', (f) => f.calledParty === '102');
    assert.ok(joinedA.some((m) => m.name === 'OpenReceiveChannel'), 'held, Alice was given a receive channel for the music');
    const media = await a.until('OpenReceiveChannel');
    assert.ok(media.length > 0, 'Alice now talks to Carol');
    assert.equal(r.cm.core.legState('SEP000000000101'), 'idle');
    assert.equal(r.cm.core.legState(CAROL), 'connected');
  } finally { await r.stop(); }
});
