/** SccpFramer: partial reads, several PDUs per chunk, size limits, garbage (docs/sccp.md §1 framing). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage } from '../../../firmware/sccp/codec.js';
import { SccpFrameError } from '../../../firmware/sccp/errors.js';
import { SccpFramer } from '../../../firmware/sccp/framer.js';

const pdus = [
  encodeMessage('KeepAlive'),
  encodeMessage('CallState', { callState: 4, lineInstance: 1, callReference: 9 }),
  encodeMessage('SoftKeyTemplateRes', { softKeyCount: 1, softKeys: [{ softKeyLabel: '\x80\x01', softKeyEvent: 1 }] }),
  encodeMessage('Register', { deviceName: 'SEP001122334455', protocolVer: 11 }),
];
const stream = Buffer.concat(pdus);
const hexes = (a: Uint8Array[]) => a.map((p) => Buffer.from(p).toString('hex'));

test('byte-by-byte feeding yields each PDU once, complete', () => {
  const f = new SccpFramer();
  const out: string[] = [];
  for (const byte of stream) out.push(...hexes(f.push(Uint8Array.of(byte))));
  assert.deepStrictEqual(out, hexes(pdus));
  assert.equal(f.pending, 0);
});

test('three PDUs in one chunk come back as zero-copy views', () => {
  const f = new SccpFramer();
  const chunk = Buffer.concat(pdus.slice(0, 3));
  const got = f.push(chunk);
  assert.deepStrictEqual(hexes(got), hexes(pdus.slice(0, 3)));
  assert.equal(got[1]!.buffer, chunk.buffer, 'whole PDUs inside a chunk are views, not copies');
});

test('random chunking of a long stream reproduces the PDU sequence', () => {
  let seed = 99;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const many = Array.from({ length: 50 }, (_, i) => pdus[i % pdus.length]!);
  const all = Buffer.concat(many);
  const f = new SccpFramer();
  const out: string[] = [];
  for (let pos = 0; pos < all.length; ) {
    const n = 1 + rnd(700);
    out.push(...hexes(f.push(all.subarray(pos, pos + n))));
    pos += n;
  }
  assert.deepStrictEqual(out, hexes(many));
});

test('a chunk ending inside the 8-byte length prefix is carried over', () => {
  const f = new SccpFramer();
  assert.deepStrictEqual(f.push(stream.subarray(0, 3)), []);
  assert.equal(f.pending, 3);
  assert.deepStrictEqual(hexes(f.push(stream.subarray(3, pdus[0]!.length + 5))), hexes([pdus[0]!]));
});

test('oversize PDU throws SccpFrameError with the stream offset, and keeps failing', () => {
  const f = new SccpFramer({ maxPdu: 2000 });
  f.push(pdus[1]!);
  const big = Buffer.alloc(12);
  big.writeUInt32LE(1993, 0); // 1993 + 8 = 2001 > 2000
  assert.throws(() => f.push(big), (e: unknown) => e instanceof SccpFrameError && e.streamOffset === pdus[1]!.length && e.length === 1993);
  assert.throws(() => f.push(pdus[0]!), SccpFrameError);
  // Exactly 2000 bytes is accepted.
  const ok = new SccpFramer();
  const max = Buffer.alloc(2000);
  max.writeUInt32LE(1992, 0);
  assert.equal(ok.push(max).length, 1);
});

test('length < 4 is a framing error', () => {
  const f = new SccpFramer();
  assert.throws(() => f.push(Buffer.from('0300000000000000', 'hex')),
    (e: unknown) => e instanceof SccpFrameError && e.streamOffset === 0 && /length 3 < 4/.test(e.message));
});

test('garbage (an HTTP request on port 2000) is rejected at offset 0', () => {
  const f = new SccpFramer();
  assert.throws(() => f.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
    (e: unknown) => e instanceof SccpFrameError && e.streamOffset === 0);
});

test('split oversize header is detected once the 8 bytes are in', () => {
  const f = new SccpFramer();
  const h = Buffer.alloc(8);
  h.writeUInt32LE(0x7fffffff, 0);
  assert.deepStrictEqual(f.push(h.subarray(0, 4)), []);
  assert.throws(() => f.push(h.subarray(4)), SccpFrameError);
});
