import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { DtmfReceiver, DtmfSender, dtmfDigit, dtmfEventCode, newDtmfEventView, parseDtmfEvent, writeDtmfEvent } from '../../../firmware/media/dtmf.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';
import { newRtpView, parseRtp, writeRtpHeader } from '../../../firmware/media/rtp.js';
import { requireTool } from '../../support/oracles.js';
import { tsharkFields } from './udp-pcap.js';

const PCMU20 = { codec: 'PCMU', ptimeMs: 20 };
const realTick = () => new Promise<void>((r) => setTimeout(r, 2));
async function run(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 20) { await clock.advance(20); await realTick(); }
}
function udp(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((r) => s.bind(0, '127.0.0.1', () => r(s)));
}

test('event codes: RFC 4733 §3.2 table, case-insensitive, bad digits rejected', () => {
  assert.deepEqual([...'0123456789*#ABCD'].map(dtmfEventCode), [...Array(16).keys()]);
  assert.equal(dtmfEventCode('d'), 15);
  for (const bad of ['', 'E', '12', ' ', 'x']) assert.equal(dtmfEventCode(bad), -1);
  assert.equal(dtmfDigit(11), '#');
  assert.equal(dtmfDigit(16), undefined);
  const b = new Uint8Array(4);
  writeDtmfEvent(b, 0, 11, true, 10, 800);
  assert.deepEqual([...b], [11, 0x8a, 0x03, 0x20]);
  const v = newDtmfEventView();
  assert.equal(parseDtmfEvent(b, 0, 4, v), true);
  assert.deepEqual({ ...v }, { event: 11, end: true, volume: 10, duration: 800 });
  assert.equal(parseDtmfEvent(b, 0, 3, v), false);
  assert.throws(() => new DtmfSender().enqueue('E', 800), /'E' is not a DTMF digit/);
});

test('sender state machine: same ts, marker first, growing duration, three E packets with the final duration', () => {
  const s = new DtmfSender();
  s.enqueue('7', 100 * 8);
  const b = new Uint8Array(4);
  const v = newDtmfEventView();
  const rows: string[] = [];
  let ts = 5000;
  while (s.active) {
    assert.equal(s.step(ts, 160, b, 0), 4);
    parseDtmfEvent(b, 0, 4, v);
    rows.push(`${s.eventTs}/${s.marker ? 'M' : '-'}/${v.event}/${v.end ? 'E' : '-'}/${v.duration}`);
    ts += 160;
  }
  assert.deepEqual(rows, ['5000/M/7/-/160', '5000/-/7/-/320', '5000/-/7/-/480', '5000/-/7/-/640',
    '5000/-/7/E/800', '5000/-/7/E/800', '5000/-/7/E/800']);
  assert.equal(s.step(ts, 160, b, 0), 0, 'idle afterwards');
  assert.equal(s.eventsSent, 1);
});

test('engine sends RFC 4733 packets in place of audio; tshark decodes them as telephone-events', async (t) => {
  const clock = new VirtualClock();
  const engine = new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: 1000 }), speaker: new RecordingSpeaker(), dtmfPayloadType: 110 });
  const peer = await udp();
  const pkts: Buffer[] = [];
  peer.on('message', (m) => pkts.push(Buffer.from(m)));
  try {
    await engine.openReceive(1, PCMU20);
    await engine.startTransmit(1, { address: '127.0.0.1', port: peer.address().port }, PCMU20);
    await run(clock, 100);
    engine.sendDtmf(1, '#', 120);
    await run(clock, 400);
    assert.throws(() => engine.sendDtmf(1, 'Z', 100), /sendDtmf\(id 1\).*'Z' is not a DTMF digit/);
    assert.throws(() => engine.sendDtmf(9, '1', 100), /sendDtmf\(id 9, '1'\): no transmit stream/);
  } finally { await engine.close(); peer.close(); }
  const v = newRtpView();
  const seen = pkts.map((p) => { parseRtp(p, p.length, v); return { ...v.toObject(), payload: p.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength) }; });
  for (let i = 1; i < seen.length; i++) assert.equal(seen[i]!.seq, (seen[i - 1]!.seq + 1) & 0xffff, 'seq +1 across audio and events');
  const first = seen.findIndex((p) => p.pt === 110);
  const ev = seen.filter((p) => p.pt === 110);
  assert.equal(ev.length, 6 + 2, '120 ms = 6 packet times, + 2 repeated end packets');
  assert.ok(ev.every((p) => p.ts === seen[first]!.ts && p.payload.length === 4), 'one timestamp for the whole event');
  assert.deepEqual(ev.map((p) => p.marker), [true, false, false, false, false, false, false, false]);
  assert.equal(seen[first]!.ts, (seen[first - 1]!.ts + 160) >>> 0, 'event starts at the next audio timestamp');
  const after = seen[first + ev.length]!;
  assert.equal(after.pt, 0);
  assert.equal(after.ts, (seen[first]!.ts + 160 * ev.length) >>> 0, 'audio resumes on the media clock');
  assert.equal(after.marker, true, 'audio after the event starts a talkspurt (marker)');
  if (!requireTool(t, 'tshark') || !requireTool(t, 'text2pcap')) return;
  const rows = tsharkFields(ev.map((p) => pkts[seen.indexOf(p)]!), 5004, 'rtp',
    ['rtpevent.event_id', 'rtpevent.end_of_event', 'rtpevent.volume', 'rtpevent.duration'], ['-o', 'rtpevent.event_payload_type_value:110']);
  assert.deepEqual(rows.map((r) => r.join(' ')), [
    '11 0 10 160', '11 0 10 320', '11 0 10 480', '11 0 10 640', '11 0 10 800', '11 1 10 960', '11 1 10 960', '11 1 10 960']);
});

test('two engines: digits arrive once each, in order, at the far end onDtmf', async () => {
  const clock = new VirtualClock();
  const mk = (freq: number, digits: string[]) => new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq }),
    speaker: new RecordingSpeaker(), onDtmf: (id, d) => digits.push(`${id}:${d}`) });
  const gotA: string[] = [];
  const gotB: string[] = [];
  const a = mk(1000, gotA);
  const b = mk(1500, gotB);
  try {
    const epA = await a.openReceive(3, PCMU20);
    const epB = await b.openReceive(4, PCMU20);
    await a.startTransmit(3, epB, PCMU20);
    await b.startTransmit(4, epA, PCMU20);
    await run(clock, 200);
    for (const d of '12#*9D') a.sendDtmf!(3, d, 80);
    await run(clock, 2000);
    assert.deepEqual(gotB, [...'12#*9D'].map((d) => `4:${d}`));
    assert.deepEqual(gotA, []);
    assert.equal(b.stats(4)!.dtmfReceived, 6);
    assert.equal(a.stats(3)!.dtmfSent, 6);
    assert.equal(b.stats(4)!.wrongPayloadType, 0);
    assert.equal(b.stats(4)!.packetsLost, 0, 'event packets share the sequence space: no false loss');
  } finally { await a.close(); await b.close(); }
});

test('receiver dedupes by timestamp: duplicated packets, lost start packets, repeats of the end', () => {
  const r = new DtmfReceiver();
  const p = new Uint8Array(16);
  const pkt = (ts: number, ev: number, end: boolean, dur: number): string | undefined => {
    writeRtpHeader(p, 0, { pt: 101, seq: 0, ts, ssrc: 1 });
    writeDtmfEvent(p, 12, ev, end, 10, dur);
    return r.onPacket(1, ts, p, 12, 4);
  };
  const got = [pkt(100, 5, false, 160), pkt(100, 5, false, 160), pkt(100, 5, false, 320), pkt(100, 5, true, 400),
    pkt(100, 5, true, 400), pkt(900, 6, true, 400), pkt(900, 6, true, 400), pkt(1700, 5, false, 160)];
  assert.deepEqual(got.filter(Boolean), ['5', '6', '5'], 'start lost: the end packet still reports; same digit again at a new ts');
  assert.equal(r.onPacket(1, 2000, p, 12, 2), undefined);
  assert.equal(r.malformed, 1);
  writeDtmfEvent(p, 12, 40, false, 10, 160);              // event 40 (not DTMF, RFC 4733 §3.2)
  assert.equal(r.onPacket(1, 2500, p, 12, 4), undefined);
  assert.equal(r.nonDigit, 1);
});
