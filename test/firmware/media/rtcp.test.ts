import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import {
  RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR, RtcpStatus, newReportBlock, newRtcpView, ntpMiddle32, parseRtcp, setNtp,
  writeBye, writeReceiverReport, writeSdesCname, writeSenderReport,
} from '../../../firmware/media/rtcp.js';
import { RtcpSession } from '../../../firmware/media/rtcp-session.js';
import { requireTool } from '../../support/oracles.js';
import { tsharkFields } from './udp-pcap.js';

function compound(): Uint8Array {
  const b = new Uint8Array(200);
  const blk = { ...newReportBlock(), ssrc: 0xcafebabe, fractionLost: 64, cumulativeLost: -3, extHighestSeq: 0x1fffe,
    jitter: 37, lsr: 0x12345678, dlsr: 65536 };
  let n = writeSenderReport(b, 0, 0xdeadbeef, { ntpSec: 0xe000_0001, ntpFrac: 0x8000_0000, rtpTs: 123456, packetCount: 250, octetCount: 40000 }, [blk], 1);
  n += writeSdesCname(b, n, 0xdeadbeef, new TextEncoder().encode('deskphone@test'));
  n += writeBye(b, n, 0xdeadbeef);
  return b.subarray(0, n);
}

test('SR + report block + SDES CNAME + BYE round-trip through parseRtcp', () => {
  const p = compound();
  assert.equal(p.length % 4, 0, 'compound packet is 32-bit aligned');
  const v = newRtcpView();
  assert.equal(parseRtcp(p, p.length, v), RtcpStatus.OK);
  assert.equal(v.isSr, true);
  assert.equal(v.ssrc, 0xdeadbeef);
  assert.deepEqual([v.ntpSec, v.ntpFrac, v.rtpTs, v.packetCount, v.octetCount], [0xe0000001, 0x80000000, 123456, 250, 40000]);
  assert.equal(v.blockCount, 1);
  assert.deepEqual({ ...v.blocks[0] }, { ssrc: 0xcafebabe, fractionLost: 64, cumulativeLost: -3, extHighestSeq: 0x1fffe,
    jitter: 37, lsr: 0x12345678, dlsr: 65536 });
  assert.equal(Buffer.from(p.subarray(v.cnameOffset, v.cnameOffset + v.cnameLength)).toString(), 'deskphone@test');
  assert.equal(v.bye, true);
});

test('tshark decodes our compound RTCP packet field by field (independent oracle)', (t) => {
  if (!requireTool(t, 'tshark') || !requireTool(t, 'text2pcap')) return;
  const rr = new Uint8Array(64);
  let n = writeReceiverReport(rr, 0, 7, [{ ...newReportBlock(), ssrc: 9, fractionLost: 25, cumulativeLost: 1000, extHighestSeq: 70000, jitter: 5 }], 1);
  n += writeSdesCname(rr, n, 7, new TextEncoder().encode('a'));
  const rows = tsharkFields([compound(), rr.subarray(0, n)], 5005, 'rtcp', [
    'rtcp.pt', 'rtcp.senderssrc', 'rtcp.timestamp.rtp', 'rtcp.sender.packetcount', 'rtcp.sender.octetcount',
    'rtcp.ssrc.fraction', 'rtcp.ssrc.cum_nr', 'rtcp.ssrc.ext_high', 'rtcp.ssrc.jitter', 'rtcp.ssrc.lsr', 'rtcp.ssrc.dlsr',
    'rtcp.sdes.text', '_ws.expert.message',
  ]);
  assert.equal(rows.length, 2);
  const [sr, r2] = rows as [string[], string[]];
  assert.equal(sr[0], `${RTCP_SR},${RTCP_SDES},${RTCP_BYE}`);
  assert.equal(Number(sr[1]), 0xdeadbeef);
  assert.deepEqual(sr.slice(2, 5).map(Number), [123456, 250, 40000]);
  assert.equal(Number(sr[5]), 64);
  assert.equal(Number(sr[6]), -3);
  assert.equal(Number(sr[7]), 0x1fffe);
  assert.equal(Number(sr[8]), 37);
  assert.equal(Number(sr[9]), 0x12345678);
  assert.equal(Number(sr[10]), 65536);
  assert.equal(sr[11], 'deskphone@test');
  assert.equal(sr[12] ?? '', '', `tshark expert info: ${sr[12]}`);
  assert.equal(r2[0], `${RTCP_RR},${RTCP_SDES}`);
  assert.deepEqual([r2[5], r2[6], r2[7], r2[8]].map(Number), [25, 1000, 70000, 5]);
  assert.equal(r2[12] ?? '', '', `tshark expert info: ${r2[12]}`);
});

test('parseRtcp rejects malformed compounds with a status and never throws on random bytes', () => {
  const v = newRtcpView();
  const p = Buffer.from(compound());
  assert.equal(parseRtcp(p, 7, v), RtcpStatus.SHORT);
  const badV = Buffer.from(p); badV[0] = (badV[0]! & 0x3f) | 0x40;
  assert.equal(parseRtcp(badV, badV.length, v), RtcpStatus.BAD_VERSION);
  const sdesFirst = Buffer.from(p.subarray(p.length - 28 - 8));   // SDES + BYE without the SR
  assert.equal(parseRtcp(sdesFirst, sdesFirst.length, v), RtcpStatus.NOT_REPORT_FIRST);
  const badCount = Buffer.from(p); badCount[0] = 0x80 | 5;       // 5 blocks claimed, 1 present
  assert.equal(parseRtcp(badCount, badCount.length, v), RtcpStatus.BAD_COUNT);
  const padFirst = Buffer.from(p); padFirst[0]! |= 0x20;         // padding on a non-last packet
  assert.equal(parseRtcp(padFirst, padFirst.length, v), RtcpStatus.BAD_PADDING);
  assert.equal(parseRtcp(p, p.length - 4, v), RtcpStatus.SHORT);  // truncated BYE
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20000; i++) {
    const len = Math.floor(rnd() * 80);
    const b = Buffer.alloc(len);
    for (let k = 0; k < len; k++) b[k] = Math.floor(rnd() * 256);
    if (len > 1 && rnd() < 0.5) { b[0] = 0x80 | (b[0]! & 0x3f); b[1] = RTCP_RR; }
    const st = parseRtcp(b, len, v);
    assert.ok(st >= 0 && st <= 5);
  }
});

test('NTP helpers: middle 32 bits agree with setNtp', () => {
  const si = { ntpSec: 0, ntpFrac: 0, rtpTs: 0, packetCount: 0, octetCount: 0 };
  const ms = Date.UTC(2024, 0, 1, 12, 0, 0, 250);
  setNtp(si, ms);
  assert.equal(si.ntpSec, Math.floor(ms / 1000) + 2208988800);
  assert.equal(si.ntpFrac, 0x40000000);                              // .25 s
  assert.equal(ntpMiddle32(ms), (((si.ntpSec & 0xffff) << 16) | (si.ntpFrac >>> 16)) >>> 0);
});

/** Two sessions joined by a one-way delay line on the virtual clock. */
function pair(delayAtoB: number, delayBtoA: number) {
  const clock = new VirtualClock();
  let seed = 1;
  const random = () => ((seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff);
  const sessions: RtcpSession[] = [];
  const link = (to: () => RtcpSession, delay: number) => (buf: Uint8Array, len: number) => {
    const copy = Buffer.from(buf.subarray(0, len));
    clock.setTimeout(() => to().onRtcp(copy, copy.length), delay);
  };
  const a = new RtcpSession({ clock, ssrc: 0xa, cname: 'a', random, send: link(() => sessions[1]!, delayAtoB) });
  const b = new RtcpSession({ clock, ssrc: 0xb, cname: 'b', random, send: link(() => sessions[0]!, delayBtoA) });
  sessions.push(a, b);
  return { clock, a, b };
}

test('RTT from LSR/DLSR equals the sum of both path delays; loss and jitter reach the sender', async () => {
  const { clock, a, b } = pair(30, 45);
  a.start(); b.start();
  let seq = 65000;                                        // crosses the 16-bit wrap (A.1 cycles)
  let ts = 1000;
  const timer = clock.setInterval(() => {
    a.onRtpSent(ts, 160, 8);
    if (seq % 10 !== 3) b.onRtp(0xa, seq & 0xffff, ts, 8, true);   // every 10th packet lost
    seq++; ts += 160;
  }, 20);
  await clock.advance(21000);
  clock.clearInterval(timer);
  assert.ok(a.reportsSent >= 3 && b.reportsSent >= 3, `reports sent a=${a.reportsSent} b=${b.reportsSent} in 21 s (interval 2.5..7.5 s)`);
  assert.ok(a.remoteReports >= 2, 'A received report blocks about its SSRC');
  assert.ok(a.rttMs !== undefined, 'A measured an RTT');
  assert.ok(Math.abs(a.rttMs! - 75) < 0.05, `RTT ${a.rttMs} ms, expected 30 + 45`);
  assert.equal(b.rttMs, undefined, 'B sends no RTP, so nobody reports on it');
  const r = a.remoteReport;
  assert.ok(Math.abs(r.fractionLost - 25.6) <= 1.5, `fraction lost ${r.fractionLost}/256, expected ~10 %`);
  assert.ok(r.cumulativeLost >= 80 && r.cumulativeLost <= b.totalLost(), `cumulative lost ${r.cumulativeLost} (B counts ${b.totalLost()})`);
  assert.ok(r.extHighestSeq > 65536, `extended highest seq ${r.extHighestSeq} counts one wrap`);
  assert.equal(r.jitter, 0, 'no jitter on a perfectly paced virtual link');
});

test('session sends SR when sending, RR otherwise, and a final BYE on stop', () => {
  const clock = new VirtualClock();
  const got: Buffer[] = [];
  const s = new RtcpSession({ clock, ssrc: 5, cname: 'x', send: (b, n) => got.push(Buffer.from(b.subarray(0, n))) });
  const v = newRtcpView();
  s.stop(true);
  assert.equal(parseRtcp(got[0]!, got[0]!.length, v), RtcpStatus.OK);
  assert.equal(got[0]![1], RTCP_RR);
  assert.equal(v.bye, true);
  s.onRtpSent(100, 160, 8);
  s.stop(false);
  assert.equal(got.length, 1, 'stop without bye sends nothing');
  const n = s.buildReport(false);
  assert.ok(n > 0);
});
