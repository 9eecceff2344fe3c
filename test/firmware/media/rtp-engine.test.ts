import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { dominantFrequencies } from '../../../firmware/media/tone-detect.js';
import { PCMU } from '../../../firmware/media/codecs.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { newRtpView, parseRtp, writeRtpHeader } from '../../../firmware/media/rtp.js';

const RATE = 8000;
const PCMU20 = { codec: 'PCMU', ptimeMs: 20 };
const realTick = () => new Promise<void>((r) => setTimeout(r, 2));

/** Advances virtual time in 20 ms steps, letting real loopback datagrams arrive between steps. */
async function run(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 20) { await clock.advance(20); await realTick(); }
}

function phone(clock: VirtualClock, freq: number) {
  const microphone = new ToneMicrophone({ clock, freq, levelDbfs: -10 });
  const speaker = new RecordingSpeaker({ seconds: 3 });
  return { microphone, speaker, engine: new RtpMediaEngine({ clock, microphone, speaker }) };
}

function udp(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((r) => s.bind(0, '127.0.0.1', () => r(s)));
}

test('capabilities: G.722 (wideband) first, then PCMU and PCMA, all at 20 ms', () => {
  const clock = new VirtualClock();
  const { engine } = phone(clock, 1000);
  assert.deepEqual(engine.capabilities().map((c) => `${c.codec}/${c.ptimeMs}`), ['G722/20', 'PCMU/20', 'PCMA/20']);
});

for (const codec of ['PCMU', 'PCMA', 'G722']) {
  test(`two engines on loopback (${codec}): each hears the other's tone, not its own`, async () => {
    const clock = new VirtualClock();
    const a = phone(clock, 1000);
    const b = phone(clock, 1500);
    const choice = { codec, ptimeMs: 20 };
    try {
      const epA = await a.engine.openReceive(1, choice);
      const epB = await b.engine.openReceive(7, choice);
      assert.equal(epA.port % 2, 0, `RTP port ${epA.port} should be even (RFC 3550 §11)`);
      await a.engine.startTransmit(1, epB, choice);
      await b.engine.startTransmit(7, epA, choice);
      await run(clock, 2000);
      const heardByA = dominantFrequencies(a.speaker.recent(1000), RATE, [1000, 1500]);
      const heardByB = dominantFrequencies(b.speaker.recent(1000), RATE, [1000, 1500]);
      assert.deepEqual(heardByA, [1500], 'A hears B (1500 Hz) only');
      assert.deepEqual(heardByB, [1000], 'B hears A (1000 Hz) only');
      const sa = a.engine.stats(1)!;
      const sb = b.engine.stats(7)!;
      assert.ok(sa.packetsSent >= 95 && sa.packetsSent <= 101, `A sent ${sa.packetsSent} in 2 s of 20 ms packets`);
      assert.equal(sa.octetsSent, sa.packetsSent * 160);
      assert.ok(sb.packetsReceived >= sa.packetsSent - 2, `B received ${sb.packetsReceived} of ${sa.packetsSent}`);
      assert.equal(sb.packetsLost, 0);
      assert.equal(sb.malformed + sb.unexpectedSource + sb.wrongPayloadType, 0);
      assert.deepEqual(a.engine.activeStreams(), [1]);
    } finally {
      await a.engine.close();
      await b.engine.close();
    }
    assert.deepEqual(a.engine.activeStreams(), []);
  });
}

test('transmit: random SSRC/seq/ts, marker on first packet only, +1 seq, +160 ts, PT 0, 160 B', async () => {
  const clock = new VirtualClock();
  const { engine } = phone(clock, 1000);
  const peer = await udp();
  const pkts: Buffer[] = [];
  peer.on('message', (m) => pkts.push(Buffer.from(m)));
  try {
    await engine.openReceive(3, PCMU20);
    await engine.startTransmit(3, { address: '127.0.0.1', port: peer.address().port }, PCMU20);
    await run(clock, 400);
    assert.ok(pkts.length >= 18, `got ${pkts.length} packets`);
    const v = newRtpView();
    const pcm = new Int16Array(pkts.length * 160);
    let prev: { seq: number; ts: number; ssrc: number } | undefined;
    pkts.forEach((p, i) => {
      assert.equal(parseRtp(p, p.length, v), 0);
      assert.equal(v.pt, 0);
      assert.equal(v.payloadLength, 160);
      assert.equal(v.marker, i === 0, `marker on packet ${i}`);
      if (prev) {
        assert.equal(v.seq, (prev.seq + 1) & 0xffff);
        assert.equal(v.ts, (prev.ts + 160) >>> 0);
        assert.equal(v.ssrc, prev.ssrc);
      }
      prev = { seq: v.seq, ts: v.ts, ssrc: v.ssrc };
      PCMU.decode(p, v.payloadOffset, 160, pcm, i * 160);
    });
    assert.deepEqual(dominantFrequencies(pcm, RATE, [500, 1000, 1500]), [1000]);
  } finally {
    await engine.close();
    peer.close();
  }
});

test('receive: sequence gaps count as lost; malformed flood, wrong PT and strangers are dropped and counted', async () => {
  const clock = new VirtualClock();
  const { engine, speaker } = phone(clock, 1000);
  const peer = await udp();
  const stranger = await udp();
  try {
    const ep = await engine.openReceive(5, PCMU20);
    const pkt = Buffer.alloc(172);
    const send = (sock: dgram.Socket, seq: number, pt = 0) => {
      writeRtpHeader(pkt, 0, { pt, seq, ts: ((seq - 65530) & 0xffff) * 160, ssrc: 0xcafe });   // ts continues across the seq wrap
      PCMU.encode(new Int16Array(160).fill(1000), 0, 160, pkt, 12);
      sock.send(Buffer.from(pkt), ep.port, '127.0.0.1');   // copy: dgram sends asynchronously
    };
    // Defect 10: before StartMediaTransmission names the peer, nothing is played, not even from the later peer.
    send(stranger, 65000); send(peer, 65001);
    await run(clock, 100);
    assert.equal(engine.stats(5)!.unexpectedSource, 2);
    assert.equal(engine.stats(5)!.packetsReceived, 0);
    await engine.startTransmit(5, { address: '127.0.0.1', port: peer.address().port }, PCMU20);
    // seq 65530..65535, 0..9 with 65533, 2 and 3 missing → 3 lost across the wrap
    const seqs = [65530, 65531, 65532, 65534, 65535, 0, 1, 4, 5, 6, 7, 8, 9];
    for (const s of seqs) { send(peer, s); await clock.advance(20); await realTick(); }
    // malformed flood: must not throw, each one counted
    for (let i = 0; i < 500; i++) {
      const g = Buffer.alloc(i % 40);
      for (let k = 0; k < g.length; k++) g[k] = (i * 31 + k * 7) & 0xff;
      if (g.length > 0) g[0] = (g[0]! & 0x3f) | (i % 2 ? 0x40 : 0x00);   // never version 2: always malformed
      peer.send(g, ep.port, '127.0.0.1');
      if (i % 50 === 49) await realTick();   // batches of 50 stay far below the socket receive buffer
    }
    send(peer, 10, 8);                     // PCMA on a PCMU stream
    send(stranger, 11);                    // right format, wrong source
    await run(clock, 200);
    const st = engine.stats(5)!;
    assert.equal(st.packetsReceived, seqs.length);
    assert.equal(st.packetsLost, 3);
    assert.equal(st.malformed, 500);
    assert.equal(st.wrongPayloadType, 1);
    assert.equal(st.unexpectedSource, 3);
    assert.ok(st.concealed >= 1, 'lost frames are played as concealment');
    assert.ok(speaker.totalSamples >= 160 * 10, 'received audio reached the speaker');
  } finally {
    await engine.close();
    peer.close();
    stranger.close();
  }
});

test('close releases the socket and stops the microphone', async () => {
  const clock = new VirtualClock();
  const { engine, microphone } = phone(clock, 1000);
  const ep = await engine.openReceive(9, PCMU20);
  await engine.startTransmit(9, { address: '127.0.0.1', port: 9 }, PCMU20);
  await run(clock, 60);
  const before = microphone.periods;
  assert.ok(before >= 2);
  await engine.stopTransmit(9);
  await engine.closeReceive(9);
  assert.deepEqual(engine.activeStreams(), []);
  await run(clock, 100);
  assert.equal(microphone.periods, before, 'microphone stopped');
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r, j) => { s.once('error', j); s.bind(ep.port, '127.0.0.1', () => r()); });
  s.close();
  await assert.rejects(engine.openReceive(1, { codec: 'G729', ptimeMs: 20 }), /unknown codec 'G729'/);
  await assert.rejects(engine.startTransmit(1, { address: 'nowhere', port: 5 }, PCMU20), /bad remote endpoint/);
  await engine.close();
});
