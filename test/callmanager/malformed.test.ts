import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage } from '../../firmware/sccp/codec.js';
import { ALICE, BOB, CAROL, rig, aliceRingsBob } from '../support/callmanager.js';

/** A raw PDU: u32 length, u32 header version 0, u32 messageId, body (docs/sccp.md §1). */
function pdu(length: number, id: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt32LE(length, 0); h.writeUInt32LE(0, 4); h.writeUInt32LE(id, 8);
  return Buffer.concat([h, body]);
}

const CASES: Array<{ what: string; bytes: () => Buffer; log: RegExp }> = [
  { what: 'length field below 4', bytes: () => pdu(2, 0), log: /framing.*stream offset 0.*length 2/ },
  { what: 'oversize PDU (length 5000 > 2000-byte maximum)', bytes: () => pdu(5000, 3, Buffer.alloc(64)), log: /framing.*exceeds/ },
  // KeypadButton needs at least kpButton (4 bytes); a 2-byte body is truncated.
  { what: 'truncated body', bytes: () => pdu(6, 0x0003, Buffer.from([1, 0])), log: /decode.*KeypadButton.*offset/ },
  { what: 'unknown message id', bytes: () => pdu(4, 0x7777), log: /unknown message id 0x7777/ },
  { what: 'garbage', bytes: () => Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), log: /framing/ },
];

test('malformed SCCP drops only the offending connection while a call between two others continues', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    b.send('OffHook', { lineInstance: 1 });
    const orcA = await a.next('OpenReceiveChannel');
    const orcB = await b.next('OpenReceiveChannel');

    for (const c of CASES) {
      const x = await r.station(c.what === 'truncated body' ? CAROL : undefined);
      const before = r.logs.length;
      x.sendRaw(c.bytes());
      await x.waitClosed().catch(() => assert.fail(`${c.what}: connection was not dropped`));
      const logged = r.logs.slice(before).join('\n');
      assert.match(logged, c.log, `${c.what}: log must name the problem and where it is; got:\n${logged}`);
    }

    // The call survived: media setup completes and hang-up still reaches the far end.
    a.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 40000, passThruPartyId: orcA.passThruPartyId });
    b.send('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 40002, passThruPartyId: orcB.passThruPartyId });
    assert.equal((await a.next('StartMediaTransmission')).remotePortNumber, 40002);
    assert.equal((await b.next('StartMediaTransmission')).remotePortNumber, 40000);
    b.send('OnHook', { lineInstance: 1 });
    await a.next('DisplayPromptStatus', (f) => f.promptStatus === 'Call ended');
    assert.equal(a.closed || b.closed, false);
  } finally { await r.stop(); }
});

test('a PDU split across TCP writes and several PDUs in one write are both framed correctly', async () => {
  const r = await rig();
  try {
    const a = await r.station(ALICE);
    const two = Buffer.concat([encodeMessage('KeepAlive', {}), encodeMessage('VersionReq', {}), encodeMessage('LineStatReq', { lineNumber: 1 })]);
    a.sendRaw(two.subarray(0, 5));
    await new Promise((res) => setTimeout(res, 20));
    a.sendRaw(two.subarray(5));
    const seq = await a.until('LineStat');
    assert.deepEqual(seq.map((m) => m.name), ['KeepAliveAck', 'Version', 'LineStat']);
  } finally { await r.stop(); }
});

test('a station that disconnects mid-call gives the far end the call-ended treatment', async () => {
  const r = await rig();
  try {
    const { a, b } = await aliceRingsBob(r);
    b.send('OffHook', { lineInstance: 1 });
    await a.next('OpenReceiveChannel');
    b.close();
    await a.next('DisplayPromptStatus', (f) => f.promptStatus === 'Call ended');
    assert.equal(r.cm.devices().find((d) => d.name === BOB)?.registered, false);
  } finally { await r.stop(); }
});
