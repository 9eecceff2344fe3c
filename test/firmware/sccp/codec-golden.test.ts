/** Golden PDUs (hand-written from docs/sccp.md) decode to the documented fields and re-encode byte for byte. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, ipString } from '../../../firmware/sccp/codec.js';
import type { MessageName } from '../../../firmware/sccp/messages.js';
import { goldens, hex } from '../../fixtures/sccp/golden.js';

for (const g of goldens) {
  test(`decode golden: ${g.label}`, () => {
    const m = decodeMessage(hex(g.hex), g.version === undefined ? {} : { version: g.version });
    assert.equal(m.name, g.name);
    assert.equal(m.headerVersion, g.headerVersion ?? 0);
    assert.deepStrictEqual(m.fields, g.fields);
  });
  if (g.exactEncode !== false) {
    test(`encode golden: ${g.label}`, () => {
      const pdu = encodeMessage(g.name as MessageName, g.fields as never, { version: g.version ?? 11, headerVersion: g.headerVersion ?? 0 });
      assert.equal(pdu.toString('hex'), hex(g.hex).toString('hex'));
    });
  }
}

test('decode picks the layout from the header version when no version is given', () => {
  const v17 = goldens.find((g) => g.label === 'OpenReceiveChannelAck v17')!;
  const m = decodeMessage(hex(v17.hex));
  assert.equal(m.name, 'OpenReceiveChannelAck');
  if (m.name === 'OpenReceiveChannelAck') {
    assert.equal(ipString(m.fields.ipAddr), '10.0.0.2');
    assert.equal(m.fields.portNumber, 20000);
  }
});

test('typed access after narrowing on name', () => {
  const pdu = encodeMessage('CallState', { callState: 5, lineInstance: 1, callReference: 7 });
  const m = decodeMessage(pdu);
  assert.ok(m.name === 'CallState');
  const n: number = m.fields.callState + m.fields.lineInstance + m.fields.callReference;
  assert.equal(n, 13);
});

test('encoder defaults: Register without a tail is 52 bytes, OffHook {} is len 12, StopTone v11 carries tone', () => {
  assert.equal(encodeMessage('Register', { deviceName: 'SEP0' }).readUInt32LE(0), 56);
  assert.equal(encodeMessage('Register', { firmwareLoadName: 'x' }).readUInt32LE(0), 4 + 124);
  assert.equal(encodeMessage('Register', { configVersionStamp: 'x' }).readUInt32LE(0), 4 + 172);
  assert.equal(encodeMessage('OffHook', {}).readUInt32LE(0), 12);
  assert.equal(encodeMessage('StopTone', { lineInstance: 1 }).readUInt32LE(0), 16);
  assert.equal(encodeMessage('StopTone', { lineInstance: 1 }, { version: 10 }).readUInt32LE(0), 12);
  assert.equal(encodeMessage('KeepAlive').readUInt32LE(0), 4);
});

test('embedded label bytes survive a round trip (latin1)', () => {
  const pdu = encodeMessage('DisplayPromptStatus', { promptStatus: '\x80\x17100', lineInstance: 1, callReference: 5 });
  assert.equal(pdu[16], 0x80);
  const m = decodeMessage(pdu);
  assert.ok(m.name === 'DisplayPromptStatus');
  assert.equal(m.fields.promptStatus, '\x80\x17100');
});

test('a string filling the whole slot has no NUL and decodes in full', () => {
  const name = 'SEP0123456789ABC'; // 16 chars = char[16]
  const m = decodeMessage(encodeMessage('Register', { deviceName: name, userId: 0x41414141 }));
  assert.ok(m.name === 'Register');
  assert.equal(m.fields.deviceName, name);
});
