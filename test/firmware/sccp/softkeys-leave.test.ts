/**
 * Softkey sets per (lineInstance, callReference) and leaving the CM cleanly, against a fake CM
 * that behaves like Asterisk chan_skinny: the default set (0, 0) is selected once at registration
 * and never again, and Unregister is answered by closing the session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { SccpStation } from '../../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { FakeCm, FakeMedia, waitUntil, type CmBehaviour } from '../../support/fake-cm.js';

async function setup(b: Partial<CmBehaviour> = {}) {
  const cm = await FakeCm.start(b);
  const clock = new VirtualClock();
  const st = new SccpStation({ deviceName: 'SEP00AABBCCDDEE', servers: [{ host: '127.0.0.1', port: cm.port }], clock,
    media: new FakeMedia(), localAddress: '127.0.0.1' });
  const events: SignallingEvent[] = [];
  st.onEvent((e) => events.push(e));
  await st.start();
  await waitUntil(() => st.state === 'registered' && cm.count('TimeDateReq') === 1 && events.some((e) => e.type === 'softkeys'), 'registered');
  const lastKeys = (): string[] => {
    const e = [...events].reverse().find((x) => x.type === 'softkeys');
    return e && e.type === 'softkeys' ? e.keys.filter((k) => k.enabled).map((k) => k.label) : [];
  };
  const says = async (msgs: Array<[string, Record<string, unknown>]>, until: () => boolean, what: string) => {
    for (const [n, f] of msgs) cm.send(n, f);
    await waitUntil(until, what);
  };
  return { cm, clock, st, events, lastKeys, says };
}

const state = (callState: number, callReference: number) => ['CallState', { callState, lineInstance: 1, callReference }] as [string, Record<string, unknown>];
const select = (set: number, callReference: number, mask = 0xffff) =>
  ['SelectSoftKeys', { lineInstance: callReference ? 1 : 0, callReference, softKeySetIndex: set, validKeyMask: mask }] as [string, Record<string, unknown>];

test('a cleared call\'s softkeys give way to the default set; no SoftKeyEvent for the dead call', async () => {
  const { cm, st, events, lastKeys, says } = await setup();
  try {
    const defaults = lastKeys();
    assert.deepEqual(defaults, ['Redial', 'Newcall'], 'default set (0, 0) from registration');
    // Call 7 connected: set 3 (fake-cm SETS[3]); then the call clears and the CM selects nothing (as Asterisk).
    await says([state(5, 7), select(3, 7)], () => lastKeys().length === 3, 'call 7 set');
    const n = events.length;
    await says([state(2, 7)], () => events.length > n + 1, 'onhook + softkeys');
    assert.deepEqual(events.slice(n).map((e) => e.type), ['callState', 'softkeys']);
    assert.deepEqual(lastKeys(), defaults);
    const from = cm.rx.length;
    st.softkey(0);
    await waitUntil(() => cm.rx.length > from, 'SoftKeyEvent');
    const sk = cm.rx.at(-1)!;
    assert.equal(sk.name, 'SoftKeyEvent');
    assert.equal(sk.fields.callReference, 0, 'the default set is not tied to the dead call 7');
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('with two calls, clearing the focused one shows the other call\'s set', async () => {
  const { cm, st, events, lastKeys, says } = await setup();
  try {
    // Call 8 held with set 0 (two keys); call 9 connected with set 3 (three keys) in focus.
    await says([state(8, 8), select(0, 8, 0x1), state(5, 9), select(3, 9)], () => lastKeys().length === 3, 'call 9 set');
    const n = events.length;
    await says([state(2, 9)], () => events.length > n + 1, 'call 9 cleared');
    assert.deepEqual(lastKeys(), ['Redial'], 'call 8\'s set (mask 0x1), not call 9\'s and not the default');
    const from = cm.rx.length;
    st.softkey(0);
    await waitUntil(() => cm.rx.length > from, 'SoftKeyEvent');
    assert.deepEqual([cm.rx.at(-1)!.name, cm.rx.at(-1)!.fields.callReference], ['SoftKeyEvent', 8]);
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('stop() in a call sends OnHook for it, then Unregister, and waits for the CM to close', async () => {
  const { cm, st, events, says } = await setup();
  try {
    await says([state(5, 7)], () => events.some((e) => e.type === 'callState' && e.callRef === 7), 'connected');
    st.offHook(1); // the handset is up (answering/dialling); the call list decides what goes out
    await st.stop();
    const tail = cm.rx.slice(-3).map((m) => [m.name, m.fields.lineInstance, m.fields.callReference]);
    assert.deepEqual(tail, [['OffHook', 1, 0], ['OnHook', 1, 7], ['Unregister', undefined, undefined]]);
    // The virtual clock never moved, so stop() returned because the CM closed the session, not on its 2 s bound.
    assert.ok(cm.conns.at(-1)!.writableEnded, 'the CM closed the session');
    assert.equal(st.state, 'unregistered');
  } finally {
    await st.stop();
    await cm.close();
  }
});

test('stop() with the handset up and no call yet sends OnHook(line, 0); a CM that never closes bounds the wait', async () => {
  const { cm, clock, st } = await setup({ closeOnUnregister: false });
  try {
  st.offHook(1);
  await waitUntil(() => cm.count('OffHook') === 1, 'OffHook');
  let done = false;
  const stopping = st.stop().then(() => { done = true; });
  await waitUntil(() => cm.count('Unregister') === 1, 'Unregister');
  assert.deepEqual(cm.rx.slice(-2).map((m) => [m.name, m.fields.callReference]), [['OnHook', 0], ['Unregister', undefined]]);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(done, false, 'still waiting for the CM to close the session');
  await clock.advance(2000);
  await stopping;
  assert.equal(st.state, 'unregistered');
  } finally {
    await cm.close();
  }
});
