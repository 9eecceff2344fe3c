/** One SSCP phone on the CM side with several calls (callmanager/sscp-server/session.ts, docs/sscp.md §5 "Several calls"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SscpSession, type SscpSessionHost } from '../../../callmanager/sscp-server/session.js';
import { softKeysFor } from '../../../callmanager/sscp-server/commands.js';
import type { CallCore } from '../../../callmanager/calls.js';
import type { CallManagerConfig, DeviceConfig } from '../../../callmanager/config.js';

type Sent = { name: string; fields: Record<string, unknown> };

function session(slots: number) {
  const sent: Sent[] = [];
  const logs: string[] = [];
  const host: SscpSessionHost = { config: { lines: [] } as unknown as CallManagerConfig, core: {} as CallCore,
    log: { info: (m: string) => { logs.push(m); }, warn: (m: string) => { logs.push(m); } },
    send: (_p, _d, m) => { sent.push(m as Sent); }, localAddress: undefined, unregister() {} };
  const s = new SscpSession({ name: 'SEP4', lines: ['400'], speeddials: [] } as unknown as DeviceConfig,
    { address: '127.0.0.1', port: 1 }, slots, host, 0);
  const page = (fields: Record<string, unknown>) => { sent.length = 0; s.dispatch({ name: 'FunctionKeyPage', fields } as never); };
  const events = (m: Sent | undefined) => (m?.fields.keys as Array<{ event: number }> | undefined)?.map((k) => k.event);
  return { s, sent, logs, page, events };
}

test('FunctionKeyPage with a CallIdentifier pages that call\'s set, not the one sent last', () => {
  const { s, sent, page, events } = session(1);
  const held = softKeysFor({}, 'OnHold');
  const ringing = softKeysFor({}, 'RingIn');
  assert.ok(held.length >= 2 && ringing.length >= 2, 'both sets need a second page at 1 slot');
  s.send({ t: 'softkeys', line: 1, ref: 7, set: 'OnHold' });
  s.send({ t: 'softkeys', line: 1, ref: 8, set: 'RingIn' });
  page({ page: 2, line: 1, callId: '7' });
  assert.deepEqual(sent.map((m) => [m.name, m.fields.callId]), [['SoftKeySet', '7'], ['Layout', '7']]);
  assert.deepEqual(events(sent[0]), [held[1]!.event]);
  assert.deepEqual([sent[1]!.fields.page, sent[1]!.fields.pages], [2, held.length]);
  // Without a CallIdentifier (a phone that knows nothing of the extension): the set sent last.
  page({ page: 2 });
  assert.equal(sent[0]!.fields.callId, '8');
  assert.deepEqual(events(sent[0]), [ringing[1]!.event]);
});

test('a call that cleared has no set left to page; registration forgets every call\'s set', () => {
  const { s, sent, logs, page } = session(1);
  s.send({ t: 'softkeys', line: 1, ref: 7, set: 'OnHold' });
  s.send({ t: 'callState', line: 1, ref: 7, state: 'onhook' });
  page({ page: 2, line: 1, callId: '7' });
  assert.deepEqual(sent, []);
  assert.ok(logs.some((l) => l.includes('FunctionKeyPage for call 7')), logs.join('\n'));
  s.send({ t: 'softkeys', line: 1, ref: 9, set: 'OnHold' });
  s.sendStatus();
  page({ page: 2, line: 1, callId: '9' });
  assert.deepEqual(sent, []);
});

test('PhoneBook is answered with matching lines and their presence (our extension, docs/sscp.md §2), cut to one datagram', () => {
  const sent: Sent[] = [];
  const lines = [{ number: '401', name: 'Bob' }, { number: '402', name: 'Bonnie' }, { number: '403', name: 'Carol' }];
  const presence: Record<string, string> = { '401': 'talking', '402': 'idle' };
  const host: SscpSessionHost = {
    config: { lines } as unknown as CallManagerConfig,
    core: { presenceOf: (n: string) => presence[n] ?? 'unknown' } as unknown as CallCore,
    log: { info: () => {}, warn: () => {} }, send: (_p, _d, m) => { sent.push(m as Sent); }, localAddress: undefined, unregister() {},
  };
  const s = new SscpSession({ name: 'SEP000000000400', lines: ['400'], speeddials: [] } as unknown as DeviceConfig,
    { address: '127.0.0.1', port: 1 }, 0, host, 0);
  s.dispatch({ name: 'PhoneBook', fields: { lastName: 'bo' } } as never);
  assert.deepEqual(sent, [{ name: 'PhoneBookResult', fields: { users: [
    { userId: '401', lastName: 'Bob', number: '401', presence: 'talking' },
    { userId: '402', lastName: 'Bonnie', number: '402', presence: 'idle' },
  ] } }]);
  sent.length = 0;
  s.dispatch({ name: 'PhoneBook', fields: { lastName: 'car' } } as never);
  assert.deepEqual(sent[0]?.fields.users, [{ userId: '403', lastName: 'Carol', number: '403', presence: 'unknown' }]);
  // 16 long names do not fit 1400 bytes: the answer carries as many as fit instead of failing to encode.
  lines.splice(0, lines.length, ...Array.from({ length: 16 }, (_, i) => ({ number: `5${String(i).padStart(2, '0')}`, name: `N${i}`.padEnd(64, 'x') })));
  sent.length = 0;
  s.dispatch({ name: 'PhoneBook', fields: {} } as never);
  const users = sent[0]?.fields.users as unknown[];
  assert.ok(users.length > 0 && users.length < 16, `${users.length} users`);
});

test('a set longer than the phone\'s softkeys goes slots - 1 keys a page (the last softkey is "more"); view changes keep the page', () => {
  const { s, sent, page, events } = session(4);
  const all = softKeysFor({}, 'Connected');
  assert.equal(all.length, 6);
  s.send({ t: 'softkeys', line: 1, ref: 7, set: 'Connected' });
  assert.deepEqual(sent.map((m) => m.name), ['SoftKeySet', 'Layout']);
  assert.deepEqual(events(sent[0]), all.slice(0, 3).map((k) => k.event));
  assert.deepEqual([sent[1]!.fields.page, sent[1]!.fields.pages], [1, 2]);
  page({ page: 2, line: 1, callId: '7' });
  assert.deepEqual(events(sent[0]), all.slice(3).map((k) => k.event));
  assert.deepEqual([sent[1]!.fields.page, sent[1]!.fields.pages], [2, 2]);
  sent.length = 0;
  s.send({ t: 'callState', line: 1, ref: 7, state: 'connected' });
  const layout = sent.find((m) => m.name === 'Layout');
  assert.deepEqual([layout?.fields.view, layout?.fields.page, layout?.fields.pages], ['Conversation', 2, 2]);
  // A set that fits is one page of all its keys.
  sent.length = 0;
  s.send({ t: 'softkeys', line: 1, ref: 8, set: 'RingIn' });
  assert.deepEqual(sent.map((m) => m.name), ['SoftKeySet']);
  assert.equal(events(sent[0])?.length, softKeysFor({}, 'RingIn').length);
});
