/** The phone's durable state (firmware/phone/phone-state.ts) in PhoneApp, on a memory store and a manual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhoneApp } from '../../../firmware/phone/phone-app.js';
import { decodePhoneState, encodePhoneState, PHONE_STATE_KEY, PhoneStateKeeper, SAVE_DEBOUNCE_MS } from '../../../firmware/phone/phone-state.js';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { MemoryStateStore } from '../../../hal/emul/memory-state-store.js';
import { FakeSignalling, FakeTones, ManualClock, rig, settle } from '../../support/phone-fakes.js';

async function boot(store: MemoryStateStore, clock = new ManualClock(), warns: string[] = []) {
  const r = rig(20, 4, 4);
  const sig = new FakeSignalling();
  const app = new PhoneApp({ hardware: r.hw, signalling: sig, clock, tones: new FakeTones(), log: { warn: (m) => warns.push(m) }, options: { utc: true }, state: store });
  await app.start();
  sig.emit({ type: 'registration', state: 'registered', server: '192.0.2.10:2000' },
    { type: 'lineStatus', line: 1, number: '100', label: '', displayName: 'Alice' });
  await settle();
  return { r, sig, app, clock };
}
const st = (callRef: number, state: 'ringin' | 'onhook' | 'offhook' | 'ringout' | 'connected'): SignallingEvent => ({ type: 'callState', line: 1, callRef, state });
const inbound = (callRef: number, num: string, name: string): SignallingEvent =>
  ({ type: 'callInfo', line: 1, callRef, callingName: name, calling: num, calledName: 'Alice', called: '100', direction: 'inbound' });
const outbound = (callRef: number, num: string, name: string): SignallingEvent =>
  ({ type: 'callInfo', line: 1, callRef, callingName: 'Alice', calling: '100', calledName: name, called: num, direction: 'outbound' });

test('history, redial, the missed count and the last CM survive a restart of the phone application', async () => {
  const store = new MemoryStateStore();
  const a = await boot(store);
  a.sig.emit(st(1, 'ringin'), inbound(1, '101', 'Bob'), st(1, 'onhook'));
  a.sig.emit(st(2, 'offhook'), outbound(2, '102', 'Carol'), st(2, 'ringout'), st(2, 'onhook'));
  await settle();
  assert.match(a.r.display.lines.join('\n'), /1 missed/);
  await a.app.stop();
  const b = await boot(store);
  assert.deepEqual(b.app.callHistory.map((e) => [e.kind, e.number, e.name]), [['placed', '102', 'Carol'], ['missed', '101', 'Bob']]);
  assert.equal(b.app.model.lastDialled, '102');
  assert.equal(b.app.lastCallManager, '192.0.2.10:2000');
  assert.match(b.r.display.lines.join('\n'), /1 missed/);
  await b.app.stop();
});

test('writes are coalesced: a burst of changes is one write after the debounce, an unchanged state none', async () => {
  const store = new MemoryStateStore();
  const a = await boot(store);
  await a.clock.advance(SAVE_DEBOUNCE_MS); // the registration's server
  const base = store.writes.get(PHONE_STATE_KEY) ?? 0;
  assert.equal(base, 1);
  for (let i = 1; i <= 5; i++) a.sig.emit(st(i, 'ringin'), inbound(i, `10${i}`, 'X'), st(i, 'onhook'));
  await settle();
  await a.clock.advance(SAVE_DEBOUNCE_MS - 1);
  assert.equal(store.writes.get(PHONE_STATE_KEY), base, 'nothing before the debounce delay');
  await a.clock.advance(1);
  await settle();
  assert.equal(store.writes.get(PHONE_STATE_KEY), base + 1, 'five calls, one write');
  // A call in progress (connected for minutes) changes nothing stored: no writes per call-second.
  a.sig.emit(st(9, 'ringin'), inbound(9, '109', 'Y'), st(9, 'connected'));
  await a.clock.advance(5 * 60_000);
  assert.equal(store.writes.get(PHONE_STATE_KEY), base + 1);
  await a.app.stop(); // the call ends only with the next event; stopping writes nothing new
  assert.equal(store.writes.get(PHONE_STATE_KEY), base + 1);
});

test('a damaged record is reported once naming the copy and the previous good copy is used; both damaged = empty', async () => {
  const store = new MemoryStateStore();
  const a = await boot(store);
  a.sig.emit(st(1, 'ringin'), inbound(1, '101', 'Bob'), st(1, 'onhook'));
  await settle();
  await a.app.stop();
  store.corrupt(PHONE_STATE_KEY, '{"version":1,"history":[{"kind":"missed","num');
  const warns: string[] = [];
  const b = await boot(store, new ManualClock(), warns);
  assert.deepEqual(b.app.callHistory.map((e) => e.number), ['101']);
  assert.equal(warns.filter((w) => /memory:phone is damaged \(not JSON/.test(w)).length, 1, warns.join('\n'));
  assert.ok(warns.some((w) => /using the previous copy/.test(w)));
  await b.app.stop();
  const empty = new MemoryStateStore();
  empty.corrupt(PHONE_STATE_KEY, 'garbage');
  empty.corrupt(PHONE_STATE_KEY, '');
  const w2: string[] = [];
  const c = await boot(empty, new ManualClock(), w2);
  assert.deepEqual(c.app.callHistory, []);
  assert.ok(w2.some((w) => /damaged \(empty file\); trying the previous copy/.test(w)) && w2.some((w) => /damaged \(not JSON.*starting empty/.test(w)), w2.join('\n'));
  await c.app.stop();
});

test('decodePhoneState names what is wrong; encode/decode round-trips', () => {
  const s = { history: [{ kind: 'received' as const, number: '101', name: 'Bob', at: new Date('2026-01-02T03:04:05.678Z') }], lastDialled: '101', missedUnseen: 0, lastServer: '' };
  assert.deepEqual(decodePhoneState(encodePhoneState(s)), s);
  assert.equal(decodePhoneState('[]'), 'not a JSON object');
  assert.equal(decodePhoneState('{"version":2}'), 'version 2, expected 1');
  assert.match(String(decodePhoneState('{"version":1,"history":[{"kind":"lost","number":"1","name":"","at":"x"}]}')), /^history\[0\]/);
});

test('a store that fails to write is reported once per failure streak; the phone keeps running', async () => {
  let fail = true;
  const store = new MemoryStateStore();
  const flaky = { location: 'flaky', read: (k: string) => store.read(k), write: (k: string, t: string) => (fail ? Promise.reject(new Error('EROFS')) : store.write(k, t)) };
  const warns: string[] = [];
  const clock = new ManualClock();
  let n = 0;
  const keeper = new PhoneStateKeeper(flaky, clock, { warn: (m) => warns.push(m) }, () => ({ history: [], lastDialled: String(n), missedUnseen: 0, lastServer: '' }));
  for (n = 1; n <= 3; n++) { keeper.changed(); await clock.advance(SAVE_DEBOUNCE_MS); await keeper.flush(); }
  assert.deepEqual(warns, ['phone state: cannot save to flaky: EROFS']);
  fail = false;
  keeper.changed(); await clock.advance(SAVE_DEBOUNCE_MS); await keeper.flush();
  assert.equal(warns.at(-1), 'phone state: writing to flaky works again');
  assert.equal(JSON.parse((await store.read(PHONE_STATE_KEY))[0]!.text!).lastDialled, '4');
});
