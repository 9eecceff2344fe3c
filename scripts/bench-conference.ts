/**
 * Conference bridge rows of `npm run bench` (docs/conference.md "Cost"), and the synchronous rig
 * the allocation test shares: N participants' MediaLegs on a counting stand-in socket, one RTP
 * packet per participant per 20 ms tick delivered through the real receive path (parse, source
 * check, RTCP statistics, jitter buffer, decoder), mixed N−1 and sent through the real transmit
 * path (encoder, header). Time is a bare now() so the whole run is synchronous.
 */
import type { Clock } from '../hal/api/clock.js';
import { mixMinusOne } from '../firmware/media/mix-minus.js';
import { writeRtpHeader } from '../firmware/media/rtp.js';
import { ConferenceMixer } from '../callmanager/media/conference-mixer.js';
import { type LegCodecName, MediaLeg, legCodec } from '../callmanager/media/leg.js';
import { type Case, bytesPerOp, measureGroup, pairedRatio } from './bench-harness.js';

export interface ConferenceRig {
  /** Delivers one packet per participant, advances 20 ms and mixes; returns a checksum. */
  tick(): number;
  mixer: ConferenceMixer;
  legs: MediaLeg[];
  /** Packets the bridge sent. */
  sent(): number;
}

/** Tone frequencies of the participants (distinct, inside the telephone band). */
const FREQS = [400, 700, 1100, 1500, 1900, 2300, 2700, 3100];
/** Pre-encoded packets per participant (one second), replayed with fresh headers. */
const PACKETS = 50;

export function conferenceRig(codecs: readonly LegCodecName[]): ConferenceRig {
  let now = 0;
  const clock: Clock = { now: () => now, wallTime: () => new Date(0), setTimeout: () => ({ id: 0 }), clearTimeout: () => {},
    setInterval: () => ({ id: 0 }), clearInterval: () => {}, sleep: () => Promise.resolve() };
  let sent = 0;
  let sum = 0;
  const socket = {
    send: (buf: Uint8Array): void => { sent++; sum = (sum + buf[20]!) | 0; },
    getSendQueueCount: (): number => 0,
  };
  const mixer = new ConferenceMixer();
  const legs: MediaLeg[] = [];
  const streams = codecs.map((name, p) => {
    const codec = legCodec(name);
    const leg = new MediaLeg({ clock, codec, ptimeMs: 20, socket, rtcpSend: () => {}, receive: true, cname: 'bench', name: `bench ${p}` });
    leg.setRemote('127.0.0.1', 20000 + 2 * p);
    mixer.add(leg);
    legs.push(leg);
    // What this participant's phone sends: a −10 dBFS tone, encoded by its own encoder instance.
    const enc = codec.instance?.() ?? codec;
    const n = 20 * codec.samplesPerMs;
    const pcm = new Int16Array(n);
    const bytes = codec.payloadBytes(20);
    const pkts = Array.from({ length: PACKETS }, (_, k) => {
      for (let i = 0; i < n; i++) pcm[i] = Math.round(10362 * Math.sin((2 * Math.PI * FREQS[p % FREQS.length]! * (k * n + i)) / codec.sampleRate));
      const b = Buffer.alloc(12 + bytes);
      enc.encode(pcm, 0, n, b, 12);
      return b;
    });
    return { leg, pkts, port: 20000 + 2 * p, pt: codec.payloadType, tsStep: 20 * codec.tsPerMs, hdr: { pt: codec.payloadType, seq: 0, ts: 0, ssrc: 0x1000 + p, marker: false } };
  });
  let k = 0;
  return {
    mixer, legs, sent: () => sent,
    tick() {
      for (let p = 0; p < streams.length; p++) {
        const s = streams[p]!;
        const b = s.pkts[k % PACKETS]!;
        s.hdr.seq = k & 0xffff; s.hdr.ts = (k * s.tsStep) | 0;
        writeRtpHeader(b, 0, s.hdr);
        s.leg.onRtp(b, b.length, '127.0.0.1', s.port);
      }
      k++;
      now += 20;
      mixer.tick();
      return sum;
    },
  };
}

/** The same N−1 mix as a plain loop: for each participant, add up everyone else, clip. */
function plainMix(inputs: readonly Int16Array[], outputs: readonly Int16Array[], count: number, n: number): number {
  let clipped = 0;
  for (let p = 0; p < count; p++) {
    const y = outputs[p]!;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let q = 0; q < count; q++) if (q !== p) acc += inputs[q]![i]!;
      if (acc > 32767) { acc = 32767; clipped++; } else if (acc < -32768) { acc = -32768; clipped++; }
      y[i] = acc;
    }
  }
  return clipped;
}

export interface BenchRow { group: string; name: string; value: number; unit: string; ratio?: string; target?: string; pass?: boolean }

/** Conference rows: CPU per participant (3 and 6), the kernel against a plain loop, allocation per tick. */
export function conferenceRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  const group = 'Conference';
  const cases: Record<string, Case> = {};
  const mixes: Record<string, Case> = {};
  const configs: Array<[string, LegCodecName[]]> = [
    ['3 × µ-law', ['ulaw', 'ulaw', 'ulaw']],
    ['6 × µ-law', ['ulaw', 'ulaw', 'ulaw', 'ulaw', 'ulaw', 'ulaw']],
    ['6 mixed (2 G.722 + 4 µ-law, 16 kHz mix)', ['g722', 'g722', 'ulaw', 'ulaw', 'ulaw', 'ulaw']],
  ];
  for (const [label, codecs] of configs) {
    const rig = conferenceRig(codecs);
    for (let i = 0; i < 100; i++) rig.tick();                 // jitter buffers playing
    cases[`bridge tick, ${label}`] = (n) => { let s = 0; for (let i = 0; i < n; i++) s ^= rig.tick(); return s; };
    // The same decoded PCM, mixed by our kernel and by a plain loop (no codecs, no RTP).
    const ports = rig.mixer.list;
    const inputs = ports.map((p) => p.input);
    const outputs = ports.map((p) => p.target);
    const len = (20 * rig.mixer.rate) / 1000;
    const scratch = new Int32Array(len);
    mixes[`${label}: mixMinusOne`] = (n) => { let s = 0; for (let i = 0; i < n; i++) s += mixMinusOne(inputs, outputs, inputs.length, len, scratch) + outputs[0]![i & 63]!; return s; };
    mixes[`${label}: plain loop`] = (n) => { let s = 0; for (let i = 0; i < n; i++) s += plainMix(inputs, outputs, inputs.length, len) + outputs[0]![i & 63]!; return s; };
  }
  const t = measureGroup(cases, 7);
  const m = measureGroup(mixes, 7);
  for (const [label, codecs] of configs) {
    const full = t[`bridge tick, ${label}`]!;
    const per = full.nsPerOp / 1000 / codecs.length;
    rows.push({ group, name: `bridge tick per participant, ${label} (RTP in → jitter buffer → decode → mix → encode → RTP out)`,
      value: per, unit: 'µs/participant', ratio: `${(full.nsPerOp / 1000).toFixed(1)} µs/tick = ${((full.nsPerOp / 1e6 / 20) * 100).toFixed(2)} % of a core` });
    const ours = m[`${label}: mixMinusOne`]!;
    const plain = m[`${label}: plain loop`]!;
    rows.push({ group, name: `N−1 mix of the same PCM, ${label}: mixMinusOne / plain loop (ns)`, value: pairedRatio(ours, plain), unit: '×',
      ratio: `${(ours.nsPerOp / 1000).toFixed(2)} vs ${(plain.nsPerOp / 1000).toFixed(2)} µs/tick`, target: '≤ 1×', pass: pairedRatio(ours, plain) <= 1 });
    rows.push({ group, name: `whole bridge tick / plain mixing loop of the same PCM, ${label}`, value: pairedRatio(full, plain), unit: '×',
      ratio: 'cost of RTP + jitter buffer + codecs + resampling over the mix alone', target: 'info', pass: true });
  }
  for (const [label, codecs] of [configs[1]!, configs[2]!]) {
    const rig = conferenceRig(codecs);
    const b = bytesPerOp((n) => { let s = 0; for (let i = 0; i < n; i++) s ^= rig.tick(); return s; }, 5000);
    rows.push({ group: 'Alloc', name: `conference bridge tick, ${label} (per mixed packet: ${codecs.length} in, ${codecs.length} out)`,
      value: b / codecs.length, unit: 'B/pkt', target: '0', pass: b / codecs.length < 1 });
  }
  return rows;
}
