import assert from 'node:assert/strict';
import type dgram from 'node:dgram';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { RTCP_SR, RtcpStatus, newReportBlock, newRtcpView, parseRtcp, writeReceiverReport } from '../../../firmware/media/rtcp.js';
import { bindRtpPair } from '../../../firmware/media/udp-pair.js';

const PCMU20 = { codec: 'PCMU', ptimeMs: 20 };
const realTick = () => new Promise<void>((r) => setTimeout(r, 2));
async function run(clock: VirtualClock, ms: number, until?: () => boolean): Promise<void> {
  for (let t = 0; t < ms && !until?.(); t += 20) { await clock.advance(20); await realTick(); }
}
function engine(clock: VirtualClock, freq: number) {
  const microphone = new ToneMicrophone({ clock, freq });
  return new RtpMediaEngine({ clock, microphone, speaker: new RecordingSpeaker(), cname: `t${freq}@test` });
}
const closeAll = (...s: dgram.Socket[]) => Promise.all(s.map((k) => new Promise<void>((r) => k.close(() => r()))));

test('two engines exchange RTCP on port+1: reports counted, RTT measured, stats carry it', async () => {
  const clock = new VirtualClock();
  const a = engine(clock, 1000);
  const b = engine(clock, 1500);
  try {
    const epA = await a.openReceive(1, PCMU20);
    const epB = await b.openReceive(2, PCMU20);
    await a.startTransmit(1, epB, PCMU20);
    await b.startTransmit(2, epA, PCMU20);
    await run(clock, 16000);
    const sa = a.stats(1)!;
    const sb = b.stats(2)!;
    assert.equal(sa.rtcpPort, sa.localPort + 1);
    assert.ok(sa.rtcpSent >= 2 && sb.rtcpSent >= 2, `reports sent: A ${sa.rtcpSent}, B ${sb.rtcpSent} in 16 s`);
    assert.ok(sa.rtcpReceived >= 1 && sb.rtcpReceived >= 1, `reports received: A ${sa.rtcpReceived}, B ${sb.rtcpReceived}`);
    assert.equal(sa.rtcpMalformed + sb.rtcpMalformed, 0);
    assert.ok(sa.rttMs !== undefined && sa.rttMs >= 0 && sa.rttMs < 25, `A rtt ${sa.rttMs} (virtual time stands still in flight)`);
    assert.equal(sa.remoteFractionLost, 0);
    assert.equal(sa.remoteCumulativeLost, 0);
  } finally { await a.close(); await b.close(); }
});

test('RTT = A − LSR − DLSR against a raw peer that holds the SR 200 ms and claims 50 ms DLSR; BYE on close', async () => {
  const clock = new VirtualClock();
  const e = engine(clock, 1000);
  const [rtp, rtcp] = await bindRtpPair('127.0.0.1', 'test peer');
  const got: Buffer[] = [];
  rtcp.on('message', (m) => got.push(Buffer.from(m)));
  rtp.on('message', () => {});
  try {
    const ep = await e.openReceive(4, PCMU20);
    await e.startTransmit(4, { address: '127.0.0.1', port: rtp.address().port }, PCMU20);
    await run(clock, 8000, () => got.length > 0);
    assert.ok(got.length > 0, 'peer received an RTCP report on RTP port + 1');
    const v = newRtcpView();
    assert.equal(parseRtcp(got[0]!, got[0]!.length, v), RtcpStatus.OK);
    assert.equal(got[0]![1], RTCP_SR, 'a sending engine reports with an SR');
    assert.ok(v.packetCount > 0 && v.octetCount === v.packetCount * 160, `SR counts ${v.packetCount}/${v.octetCount}`);
    const ourSsrc = v.ssrc;
    const lsr = (((v.ntpSec & 0xffff) << 16) | (v.ntpFrac >>> 16)) >>> 0;
    await clock.advance(200);
    const rr = new Uint8Array(32);
    const n = writeReceiverReport(rr, 0, 0x1234, [{ ...newReportBlock(), ssrc: ourSsrc, fractionLost: 128, cumulativeLost: 7, lsr, dlsr: 50 * 65.536 }], 1);
    await new Promise<void>((r) => rtcp.send(rr.subarray(0, n), ep.port + 1, '127.0.0.1', () => r()));
    await run(clock, 200, () => e.stats(4)!.rttMs !== undefined);
    const s = e.stats(4)!;
    assert.ok(s.rttMs !== undefined && Math.abs(s.rttMs - 150) < 25, `rtt ${s.rttMs} ms, expected 200 − 50 (+ up to one 20 ms step)`);
    assert.equal(s.latencyMs, Math.round(s.rttMs!));
    assert.equal(s.remoteFractionLost, 0.5);
    assert.equal(s.remoteCumulativeLost, 7);
    const before = got.length;
    await e.close();
    await run(clock, 40, () => got.length > before);
    const last = got[got.length - 1]!;
    assert.ok(got.length > before, 'a final report arrived on close');
    assert.equal(parseRtcp(last, last.length, v), RtcpStatus.OK);
    assert.equal(v.bye, true, 'close sends BYE (RFC 3550 §6.3.7)');
  } finally { await e.close(); await closeAll(rtp, rtcp); }
});

test('port pair: many streams get even RTP ports with RTCP on port + 1, all distinct', async () => {
  const clock = new VirtualClock();
  const e = engine(clock, 1000);
  try {
    const ports = new Set<number>();
    for (let id = 0; id < 12; id++) {
      const ep = await e.openReceive(id, PCMU20);
      assert.equal(ep.port % 2, 0);
      assert.equal(e.stats(id)!.rtcpPort, ep.port + 1);
      ports.add(ep.port); ports.add(ep.port + 1);
    }
    assert.equal(ports.size, 24);
  } finally { await e.close(); }
});

test('garbage on the RTCP port is counted, never crashes; RTCP from strangers is ignored (defect 10)', async () => {
  const clock = new VirtualClock();
  const e = engine(clock, 1000);
  const [p1, p2] = await bindRtpPair('127.0.0.1', 'peer');
  const [q1, q2] = await bindRtpPair('127.0.0.1', 'stranger');
  try {
    const ep = await e.openReceive(1, PCMU20);
    const rr = new Uint8Array(32);
    const n = writeReceiverReport(rr, 0, 0x666, [{ ...newReportBlock(), ssrc: 1, fractionLost: 255, cumulativeLost: 99999 }], 1);
    await new Promise<void>((r) => p2.send(rr.subarray(0, n), ep.port + 1, '127.0.0.1', () => r()));   // before the peer is known
    await run(clock, 100, () => e.stats(1)!.rtcpUnexpectedSource >= 1);
    await e.startTransmit(1, { address: '127.0.0.1', port: p1.address().port }, PCMU20);
    for (const g of [Buffer.alloc(0), Buffer.from([0x80]), Buffer.alloc(64, 0xff), Buffer.from('hello world, not rtcp')]) {
      await new Promise<void>((r) => p2.send(g, ep.port + 1, '127.0.0.1', () => r()));
    }
    for (const k of [q1, q2, p1]) await new Promise<void>((r) => k.send(rr.subarray(0, n), ep.port + 1, '127.0.0.1', () => r()));
    await run(clock, 100, () => e.stats(1)!.rtcpMalformed >= 4 && e.stats(1)!.rtcpUnexpectedSource >= 4);
    const st = e.stats(1)!;
    assert.equal(st.rtcpMalformed, 4);
    assert.equal(st.rtcpUnexpectedSource, 4, 'before negotiation, two stranger ports and the peer\'s RTP port');
    assert.equal(st.rtcpReceived, 0);
    assert.equal(st.remoteFractionLost, 0, 'a stranger\'s report sets no loss figures');
    assert.equal(st.remoteCumulativeLost, 0);
  } finally { await e.close(); await closeAll(p1, p2, q1, q2); }
});
