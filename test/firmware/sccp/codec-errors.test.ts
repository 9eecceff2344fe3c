/** Malformed input: errors name the message, the field path and the byte offset; nothing else is thrown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../../../firmware/sccp/codec.js';
import { SccpDecodeError, SccpEncodeError } from '../../../firmware/sccp/errors.js';
import { hex } from '../../fixtures/sccp/golden.js';

function decodeErr(pdu: Buffer, opts?: { version?: number }): SccpDecodeError {
  try {
    decodeMessage(pdu, opts);
  } catch (e) {
    assert.ok(e instanceof SccpDecodeError, `expected SccpDecodeError, got ${String(e)}`);
    return e;
  }
  assert.fail('decode did not throw');
}

test('truncated CallState (len 12, §6 malformed example) names callReference at PDU offset 20', () => {
  const e = decodeErr(hex('0c000000 00000000 11010000 05000000 01000000'));
  assert.equal(e.messageName, 'CallState');
  assert.equal(e.fieldPath, 'callReference');
  assert.equal(e.offset, 20);
  assert.match(e.message, /CallState\.callReference at PDU offset 20/);
});

test('CapabilitiesRes claiming 3 caps with 1 present names caps[1].payloadCapability', () => {
  const e = decodeErr(hex('18000000 00000000 10000000 03000000 04000000 28000000 00000000 00000000'));
  assert.equal(e.fieldPath, 'caps[1].payloadCapability');
  assert.equal(e.offset, 12 + 4 + 16);
});

test('CapabilitiesRes capCount above the maximum 18 is rejected', () => {
  const e = decodeErr(hex('08000000 00000000 10000000 13000000'));
  assert.equal(e.fieldPath, 'caps');
  assert.match(e.detail, /capCount = 19 exceeds the maximum 18/);
});

test('v17 OpenReceiveChannelAck cut inside the address', () => {
  const e = decodeErr(hex('10000000 11000000 22000000 00000000 00000000 0a000002'), { version: 17 });
  assert.equal(e.fieldPath, 'ipAddr');
  assert.equal(e.offset, 16);
});

test('bad ipv4or6 addrType is reported', () => {
  const body = '00000000 07000000' + '00'.repeat(16) + '204e0000 04000000';
  const e = decodeErr(hex(`24000000 11000000 22000000 ${body}`));
  assert.match(e.detail, /addrType 7/);
});

test('unknown ids throw unless allowUnknown', () => {
  const pdu = hex('08000000 00000000 ee0e0000 01020304');
  const e = decodeErr(pdu);
  assert.equal(e.messageName, 'id 0x0eee');
  const m = decodeMessage(pdu, { allowUnknown: true });
  assert.equal(m.name, 'Unknown');
  assert.equal(m.id, 0xeee);
  if (m.name === 'Unknown') assert.deepStrictEqual([...m.fields.raw], [1, 2, 3, 4]);
});

test('header problems: short PDU, length < 4, length beyond the buffer', () => {
  assert.equal(decodeErr(hex('0400000000000000')).offset, 0);
  assert.equal(decodeErr(hex('02000000 00000000 00000000')).fieldPath, 'length');
  assert.equal(decodeErr(hex('10000000 00000000 11010000 05000000')).fieldPath, 'length');
});

test('random garbage never throws anything but SccpDecodeError', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let i = 0; i < 3000; i++) {
    const n = 12 + (rnd() % 64);
    const b = Buffer.alloc(n, 0);
    for (let j = 0; j < n; j++) b[j] = rnd();
    b.writeUInt32LE(n - 8 - (rnd() % 3), 0);
    b.writeUInt32LE([0x0001, 0x0010, 0x0022, 0x008a, 0x0105, 0x0109, 0x0111, 0x009e, 0x0097][i % 9]!, 8);
    try { decodeMessage(b, { allowUnknown: true, version: [10, 11, 17, 18][i % 4]! }); }
    catch (e) { assert.ok(e instanceof SccpDecodeError, String(e)); }
  }
});

test('encode errors name the field', () => {
  const long = () => encodeMessage('Register', { deviceName: 'SEP00112233445566' });
  assert.throws(long, (e: unknown) => e instanceof SccpEncodeError && e.fieldPath === 'deviceName' && /char\[16\]/.test(e.message));
  assert.throws(() => encodeMessage('OpenReceiveChannelAck', { ipAddr: '10.0.0.300' }),
    (e: unknown) => e instanceof SccpEncodeError && e.fieldPath === 'ipAddr');
  assert.throws(() => encodeMessage('CallState', { callState: -1 }),
    (e: unknown) => e instanceof SccpEncodeError && e.fieldPath === 'callState');
  assert.throws(() => encodeMessage('CapabilitiesRes', { caps: Array.from({ length: 19 }, () => ({})) }),
    (e: unknown) => e instanceof SccpEncodeError && /maximum 18/.test(e.message));
  assert.throws(() => encodeMessage('SoftKeyTemplateRes', { softKeys: [{ softKeyLabel: 'x\u20acy' }] }),
    (e: unknown) => e instanceof SccpEncodeError && e.fieldPath === 'softKeys[0].softKeyLabel');
  assert.throws(() => encodeMessage('Nope' as never, {}), SccpEncodeError);
});
