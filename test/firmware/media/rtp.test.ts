import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtpStatus, newRtpView, parseRtp, seqDelta, writeRtpHeader } from '../../../firmware/media/rtp.js';

// Golden bytes written by hand from the RFC 3550 §5.1 header diagram.
const GOLDEN = Buffer.from([
  0x80,                   // V=2 (10), P=0, X=0, CC=0
  0x80,                   // M=1, PT=0 (PCMU)
  0x12, 0x34,             // seq 0x1234
  0xde, 0xad, 0xbe, 0xef, // ts 0xdeadbeef
  0x01, 0x02, 0x03, 0x04, // ssrc 0x01020304
]);

test('writeRtpHeader writes the RFC 3550 §5.1 bytes in place at an offset', () => {
  const buf = Buffer.alloc(20, 0xaa);
  const n = writeRtpHeader(buf, 4, { pt: 0, seq: 0x1234, ts: 0xdeadbeef, ssrc: 0x01020304, marker: true });
  assert.equal(n, 12);
  assert.deepEqual(buf.subarray(4, 16), GOLDEN);
  assert.equal(buf[3], 0xaa, 'byte before the header untouched');
  assert.equal(buf[16], 0xaa, 'byte after the header untouched');
  writeRtpHeader(buf, 0, { pt: 8, seq: 0x1ffff, ts: -1, ssrc: 0xffffffff });
  assert.deepEqual([...buf.subarray(0, 12)], [0x80, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
});

test('parseRtp reads a golden packet into the reusable view', () => {
  const pkt = Buffer.concat([GOLDEN, Buffer.from([1, 2, 3, 4, 5])]);
  const v = newRtpView();
  assert.equal(parseRtp(pkt, pkt.length, v), RtpStatus.OK);
  assert.deepEqual(v.toObject(), {
    version: 2, padding: false, extension: false, csrcCount: 0, marker: true, pt: 0, seq: 0x1234,
    ts: 0xdeadbeef, ssrc: 0x01020304, payloadOffset: 12, payloadLength: 5,
  });
  // length shorter than the buffer: only `length` bytes count
  assert.equal(parseRtp(pkt, 14, v), RtpStatus.OK);
  assert.equal(v.payloadLength, 2);
});

test('parseRtp handles CSRCs, header extension and padding (RFC 3550 §5.1, §5.3.1)', () => {
  const pkt = Buffer.from([
    0xb2, 0x08, 0x00, 0x01, 0, 0, 0, 160, 0, 0, 0, 9, // V=2 P=1 X=1 CC=2, PT 8
    0, 0, 0, 1, 0, 0, 0, 2,                           // 2 CSRCs
    0xbe, 0xde, 0x00, 0x01, 0x10, 0xff, 0x00, 0x00,   // extension: 1 word
    0x55, 0x55, 0x55,                                 // payload 3 bytes
    0x00, 0x00, 0x03,                                 // padding 3 (last octet counts itself)
  ]);
  const v = newRtpView();
  assert.equal(parseRtp(pkt, pkt.length, v), RtpStatus.OK);
  assert.equal(v.csrcCount, 2);
  assert.equal(v.payloadOffset, 28);
  assert.equal(v.payloadLength, 3);
  assert.equal(v.pt, 8);
  assert.equal(v.marker, false);
});

test('parseRtp rejects each malformed case with its own status, never throwing', () => {
  const v = newRtpView();
  const base = () => Buffer.from(GOLDEN);
  assert.equal(parseRtp(Buffer.alloc(0), 0, v), RtpStatus.SHORT);
  assert.equal(parseRtp(base(), 11, v), RtpStatus.SHORT);
  assert.equal(parseRtp(base(), 100, v), RtpStatus.OK, 'length beyond the buffer is clamped');
  const v1 = base(); v1[0] = 0x40;                       // V=1
  assert.equal(parseRtp(v1, 12, v), RtpStatus.BAD_VERSION);
  const cc = base(); cc[0] = 0x81;                       // CC=1 but no CSRC bytes
  assert.equal(parseRtp(cc, 12, v), RtpStatus.CSRC_OVERRUN);
  const x1 = Buffer.concat([base(), Buffer.from([0xbe, 0xde])]); x1[0] = 0x90;  // X=1, ext header cut
  assert.equal(parseRtp(x1, x1.length, v), RtpStatus.EXT_OVERRUN);
  const x2 = Buffer.concat([base(), Buffer.from([0xbe, 0xde, 0x00, 0x02, 1, 2, 3, 4])]); x2[0] = 0x90; // claims 2 words, has 1
  assert.equal(parseRtp(x2, x2.length, v), RtpStatus.EXT_OVERRUN);
  const p0 = Buffer.concat([base(), Buffer.from([1, 0])]); p0[0] = 0xa0; // P=1, pad count 0
  assert.equal(parseRtp(p0, p0.length, v), RtpStatus.BAD_PADDING);
  const p9 = Buffer.concat([base(), Buffer.from([1, 9])]); p9[0] = 0xa0; // pad 9 > 2 payload bytes
  assert.equal(parseRtp(p9, p9.length, v), RtpStatus.BAD_PADDING);
  // random garbage: any status, no throw
  for (let i = 0; i < 2000; i++) {
    const g = Buffer.alloc(i % 64);
    for (let k = 0; k < g.length; k++) g[k] = (Math.random() * 256) | 0;
    const st = parseRtp(g, g.length, v);
    assert.ok(st >= 0 && st <= 5);
    if (st === RtpStatus.OK) assert.ok(v.payloadOffset + v.payloadLength <= g.length);
  }
});

test('seqDelta follows 16-bit wrap-around', () => {
  assert.equal(seqDelta(65535, 0), 1);
  assert.equal(seqDelta(0, 65535), -1);
  assert.equal(seqDelta(100, 110), 10);
  assert.equal(seqDelta(110, 100), -10);
});
