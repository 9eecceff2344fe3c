/**
 * `npm run bench [-- --json] [-- --only phone | --skip phone]`: media hot-path benchmark and the "whole phone" group (bench-whole.ts) against hand-written baselines and npm peers,
 * all measured in this one run on this machine (docs/media.md ("Benchmark", "External peers and checkers") gives the method and
 * reference numbers). Peers (rtp.js, werift-rtp, alawmulaw) are devDependencies; a missing one is
 * reported as "not installed", not a failure. Re-executes itself with --expose-gc for allocation rows.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { G722, PCMA, PCMU, type AudioCodec } from '../firmware/media/codecs.js';
import { AdaptiveJitterBuffer } from '../firmware/media/jitter-buffer.js';
import { newRtpView, parseRtp, writeRtpHeader } from '../firmware/media/rtp.js';
import { type Case, type GroupTiming, type SampledAlloc, bytesPerOp, canMeasureAlloc, sampledAlloc, fmtRate, measure, measureGroup, pairedRatio } from './bench-harness.js';
import { type DuplexRunner, cpuPaired, enginePipeline, rawDgram, senderJitter } from './bench-pipeline.js';
import { conferenceRows } from './bench-conference.js';
import { wholePhoneRows } from './bench-whole.js';
import { SystemClock } from '../hal/bindings/system-clock.js';

if (!canMeasureAlloc && !process.execArgv.includes('--expose-gc')) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const json = process.argv.includes('--json');
const t0 = Date.now();
interface Row { group: string; name: string; value: number; unit: string; ratio?: string; target?: string; pass?: boolean }
const rows: Row[] = [];
const log = (s: string): void => { if (!json) process.stderr.write(s); };

async function peer<T>(name: string): Promise<T | undefined> {
  try { const m = (await import(name)) as { default?: T }; return (m.default ?? m) as T; } catch { return undefined; }
}

// ---- packets: 64 different 172-byte PCMU packets (12-byte header + 160 B payload) ----
const PKTS = Array.from({ length: 64 }, (_, i) => {
  const b = Buffer.alloc(172);
  writeRtpHeader(b, 0, { pt: 0, seq: 1000 + i, ts: 160 * i + 0x9000_0000, ssrc: 0x1234_5678 + i, marker: i === 0 });
  for (let k = 12; k < 172; k++) b[k] = (k * 7 + i) & 0xff;
  return b;
});

function rtpCases(rtpjs: any, werift: any): Record<string, Case | undefined> {
  const view = newRtpView();
  const out = Buffer.alloc(172);
  const hdr = { pt: 0, seq: 0, ts: 0, ssrc: 0x11223344, marker: false };
  // rtp.js refuses to serialize into its own current buffer: alternate between two.
  const abs = [new ArrayBuffer(172), new ArrayBuffer(172)];
  let flip = 0;
  const rjPkt = rtpjs ? new rtpjs.packets.RtpPacket() : undefined;
  if (rjPkt) rjPkt.setPayload(new DataView(new ArrayBuffer(160)));
  const payload = Buffer.alloc(160);
  return {
    // The parse target's baseline: index reads into locals plus exactly parseRtp's validation
    // (length ≥ 12, V = 2, CSRCs inside, extension header and length, padding octet), RFC 3550 §5.1/§5.3.1.
    'parse: baseline (index reads + same validation)': (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const b = PKTS[i & 63]!;
        let len = b.length;
        if (len < 12) continue;
        const b0 = b[0]!;
        if (b0 >>> 6 !== 2) continue;
        let off = 12 + (b0 & 0x0f) * 4;
        if (off > len) continue;
        if (b0 & 0x10) { if (off + 4 > len) continue; off += 4 + ((b[off + 2]! << 8) | b[off + 3]!) * 4; if (off > len) continue; }
        if (b0 & 0x20) { const pad = b[len - 1]!; if (pad === 0 || off + pad > len) continue; len -= pad; }
        const seq = (b[2]! << 8) | b[3]!;
        const ts = (b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!;
        const ssrc = (b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!;
        s = (s + seq + ts + ssrc + off + (len - off)) | 0;
      }
      return s;
    },
    'parse: baseline (index reads, no validation)': (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const b = PKTS[i & 63]!;
        const seq = (b[2]! << 8) | b[3]!;
        const ts = (b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!;
        const ssrc = (b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!;
        const off = 12 + (b[0]! & 0x0f) * 4;
        s = (s + seq + ts + ssrc + off + (b.length - off)) | 0;
      }
      return s;
    },
    'parse: ours (parseRtp)': (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const b = PKTS[i & 63]!;
        parseRtp(b, b.length, view);
        s = (s + view.seq + (view.ts | 0) + (view.ssrc | 0) + view.payloadOffset + view.payloadLength) | 0;
      }
      return s;
    },
    'parse: rtp.js': rtpjs && ((n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const b = PKTS[i & 63]!;
        const p = new rtpjs.packets.RtpPacket(new DataView(b.buffer, b.byteOffset, b.length));
        s = (s + p.getSequenceNumber() + (p.getTimestamp() | 0) + (p.getSsrc() | 0) + p.getPayload().byteLength) | 0;
      }
      return s;
    }),
    'parse: werift-rtp': werift && ((n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const p = werift.RtpPacket.deSerialize(PKTS[i & 63]!);
        s = (s + p.header.sequenceNumber + (p.header.timestamp | 0) + (p.header.ssrc | 0) + p.payload.length) | 0;
      }
      return s;
    }),
    'write header: baseline (index writes)': (n) => {
      for (let i = 0; i < n; i++) {
        const seq = i & 0xffff; const ts = (i * 160) >>> 0;
        out[0] = 0x80; out[1] = 0; out[2] = seq >>> 8; out[3] = seq & 0xff;
        out[4] = ts >>> 24; out[5] = (ts >>> 16) & 0xff; out[6] = (ts >>> 8) & 0xff; out[7] = ts & 0xff;
        out[8] = 0x11; out[9] = 0x22; out[10] = 0x33; out[11] = 0x44;
      }
      return out[3]!;
    },
    'write header: ours (writeRtpHeader)': (n) => {
      for (let i = 0; i < n; i++) { hdr.seq = i & 0xffff; hdr.ts = (i * 160) >>> 0; writeRtpHeader(out, 0, hdr); }
      return out[3]!;
    },
    'write header: rtp.js (reused packet, serialize)': rjPkt && ((n) => {
      for (let i = 0; i < n; i++) { rjPkt.setSequenceNumber(i & 0xffff); rjPkt.setTimestamp((i * 160) >>> 0); rjPkt.serialize(abs[(flip ^= 1)]!, 0); }
      return new Uint8Array(abs[0]!)[3]!;
    }),
    'write header: werift-rtp (new packet, serialize)': werift && ((n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const h = new werift.RtpHeader({ payloadType: 0, sequenceNumber: i & 0xffff, timestamp: (i * 160) >>> 0, ssrc: 0x11223344 });
        s = (s + new werift.RtpPacket(h, payload).serialize()[3]) | 0;
      }
      return s;
    }),
  };
}

/**
 * G.711 cases. Every case is its own function literal: V8 shares type feedback between closures of
 * one literal, so a loop over [µ, A] would make every call site polymorphic (µ and A functions) for
 * ours, the baseline and the peer alike, and measure that instead of the codec.
 */
function g711Cases(alawmulaw: any): Record<string, Case | undefined> {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(20000 * Math.sin(i * 0.37) + 3000 * Math.sin(i * 2.1)));
  const codes = new Uint8Array(160);
  const dec = new Int16Array(160);
  // plain lookup-table baseline (docs/media.md "External peers and checkers"): 64K-entry encode and 256-entry decode tables built from our codec
  const luts = (codec: AudioCodec): [Uint8Array, Int16Array] => {
    const enc = new Uint8Array(65536);
    const one = new Int16Array(1); const oneC = new Uint8Array(1);
    for (let v = 0; v < 65536; v++) { one[0] = v; codec.encode(one, 0, 1, oneC, 0); enc[v] = oneC[0]!; }
    const d = new Int16Array(256);
    for (let c = 0; c < 256; c++) { oneC[0] = c; codec.decode(oneC, 0, 1, one, 0); d[c] = one[0]!; }
    return [enc, d];
  };
  const [uEnc, uDec] = luts(PCMU);
  const [aEnc, aDec] = luts(PCMA);
  const mu = alawmulaw?.mulaw;
  const al = alawmulaw?.alaw;
  PCMU.encode(pcm, 0, 160, codes, 0);
  return {
    'µ encode: lookup-table baseline': (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) codes[i] = uEnc[pcm[i]! & 0xffff]!; return codes[5]!; },
    'µ encode: ours': (n) => { for (let k = 0; k < n; k++) PCMU.encode(pcm, 0, 160, codes, 0); return codes[5]!; },
    'µ encode: alawmulaw': mu && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= mu.encode(pcm)[5]; return s; }),
    'µ decode: lookup-table baseline': (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) dec[i] = uDec[codes[i]!]!; return dec[5]!; },
    'µ decode: ours': (n) => { for (let k = 0; k < n; k++) PCMU.decode(codes, 0, 160, dec, 0); return dec[5]!; },
    'µ decode: alawmulaw': mu && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= mu.decode(codes)[5]; return s; }),
    'A encode: lookup-table baseline': (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) codes[i] = aEnc[pcm[i]! & 0xffff]!; return codes[5]!; },
    'A encode: ours': (n) => { for (let k = 0; k < n; k++) PCMA.encode(pcm, 0, 160, codes, 0); return codes[5]!; },
    'A encode: alawmulaw': al && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= al.encode(pcm)[5]; return s; }),
    'A decode: lookup-table baseline': (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) dec[i] = aDec[codes[i]!]!; return dec[5]!; },
    'A decode: ours': (n) => { for (let k = 0; k < n; k++) PCMA.decode(codes, 0, 160, dec, 0); return dec[5]!; },
    'A decode: alawmulaw': al && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= al.decode(codes)[5]; return s; }),
  };
}

function ratioRow(group: string, name: string, value: number, unit: string, ratio: number, target: string, pass: boolean): void {
  rows.push({ group, name, value, unit, ratio: `${ratio.toFixed(2)}×`, target, pass });
}

async function main(): Promise<void> {
  // `--only phone`: just the "whole phone" group (processes, ~2–3 min); `--skip phone`: everything else.
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const skipPhone = process.argv.includes('--skip') && process.argv[process.argv.indexOf('--skip') + 1] === 'phone';
  if (process.argv.includes('--only') && only === 'phone') { rows.push(...await wholePhoneRows(log)); report(); return; }
  const [rtpjs, werift, alawmulaw] = await Promise.all([peer<any>('rtp.js'), peer<any>('werift-rtp'), peer<any>('alawmulaw')]);
  // ---- RTP ----
  log('  RTP parse/write (interleaved rounds)…\n');
  const present: Record<string, Case> = {};
  for (const [name, fn] of Object.entries(rtpCases(rtpjs, werift))) {
    if (fn) present[name] = fn; else rows.push({ group: 'RTP', name, value: Number.NaN, unit: 'not installed' });
  }
  const rt = measureGroup(present);
  for (const [name, t] of Object.entries(rt)) rows.push({ group: 'RTP', name, value: t.opsPerSec, unit: 'pkt/s', ratio: `${t.nsPerOp.toFixed(1)} ns` });
  const vs = (a: string, b: string) => pairedRatio(rt[a]!, rt[b]!);
  const pv = vs('parse: ours (parseRtp)', 'parse: baseline (index reads + same validation)');
  ratioRow('RTP', 'parse: ours / baseline with the same validation', pv, '×', pv, '≤ 2×', pv <= 2);
  const pr = vs('parse: ours (parseRtp)', 'parse: baseline (index reads, no validation)');
  ratioRow('RTP', 'parse: ours / bare index reads (no validation, no stores)', pr, '×', pr, '≤ 2×', pr <= 2);
  const wr = vs('write header: ours (writeRtpHeader)', 'write header: baseline (index writes)');
  ratioRow('RTP', 'write: ours / baseline (ns)', wr, '×', wr, '≤ 2×', wr <= 2);
  if (rtpjs) {
    const p = vs('parse: rtp.js', 'parse: ours (parseRtp)');
    const w = vs('write header: rtp.js (reused packet, serialize)', 'write header: ours (writeRtpHeader)');
    ratioRow('RTP', 'parse: rtp.js / ours (speed-up)', p, '×', p, '≥ 20×', p >= 20);
    ratioRow('RTP', 'write: rtp.js / ours (speed-up)', w, '×', w, '≥ 20×', w >= 20);
  }
  if (werift) {
    const p = vs('parse: werift-rtp', 'parse: ours (parseRtp)');
    ratioRow('RTP', 'parse: werift-rtp / ours (speed-up)', p, '×', p, 'info', true);
  }
  // ---- G.711 ----
  const g: Record<string, GroupTiming> = {};
  const gc = g711Cases(alawmulaw);
  for (const k of ['µ encode', 'µ decode', 'A encode', 'A decode']) {
    log(`  G.711 ${k} (interleaved rounds)…\n`);
    const group: Record<string, Case> = {};
    for (const who of ['lookup-table baseline', 'ours', 'alawmulaw']) {
      const name = `${k}: ${who}`;
      const fn = gc[name];
      if (fn) group[name] = fn; else rows.push({ group: 'G.711', name, value: Number.NaN, unit: 'not installed' });
    }
    Object.assign(g, measureGroup(group, 7));
    for (const name of Object.keys(group)) {
      const t = g[name]!;
      rows.push({ group: 'G.711', name, value: t.opsPerSec * 160, unit: 'samples/s', ratio: `${t.nsPerOp.toFixed(0)} ns/frame` });
    }
  }
  if (alawmulaw) {
    for (const k of ['µ encode', 'µ decode', 'A encode', 'A decode']) {
      const r = pairedRatio(g[`${k}: alawmulaw`]!, g[`${k}: ours`]!);
      ratioRow('G.711', `${k}: ours / alawmulaw (speed-up)`, r, '×', r, '≥ 5×', r >= 5);
    }
  }
  for (const k of ['µ encode', 'µ decode', 'A encode', 'A decode']) {
    const r = pairedRatio(g[`${k}: ours`]!, g[`${k}: lookup-table baseline`]!);
    ratioRow('G.711', `${k}: ours / lookup-table baseline (ns)`, r, '×', r, 'info', true);
  }
  // ---- G.722 realtime factor ----
  if (G722) {
    log('  G.722…\n');
    const pcm = Int16Array.from({ length: 320 }, (_, i) => Math.round(12000 * Math.sin(i * 0.2)));
    const enc = new Uint8Array(160);
    const dec = new Int16Array(320);
    const t = measure((n) => { for (let k = 0; k < n; k++) { G722.encode(pcm, 0, 320, enc, 0); G722.decode(enc, 0, 160, dec, 0); } return dec[9]!; });
    rows.push({ group: 'G.722', name: 'encode+decode 20 ms frame: realtime factor (1 core)', value: t.opsPerSec * 0.02, unit: '× realtime', ratio: `${(t.nsPerOp / 1000).toFixed(1)} µs/frame` });
  }
  // ---- allocation per packet ----
  log('  allocation…\n');
  const allocRow = (name: string, fn: Case): void => {
    const b = bytesPerOp(fn);
    rows.push({ group: 'Alloc', name, value: b, unit: 'B/pkt', target: '0', pass: b < 1 });
  };
  const rc = rtpCases(rtpjs, werift);
  allocRow('parse: ours', rc['parse: ours (parseRtp)']!);
  allocRow('write header: ours', rc['write header: ours (writeRtpHeader)']!);
  if (rtpjs) rows.push({ group: 'Alloc', name: 'parse: rtp.js', value: bytesPerOp(rc['parse: rtp.js']!, 5000), unit: 'B/pkt' });
  if (werift) rows.push({ group: 'Alloc', name: 'parse: werift-rtp', value: bytesPerOp(rc['parse: werift-rtp']!, 1000), unit: 'B/pkt' });
  allocRow('media path without sockets (encode → header → parse → jitter buffer put/pull → decode)', syncPath(PCMU));
  // ---- conference bridge (docs/conference.md "Cost") ----
  log('  conference bridge (interleaved rounds)…\n');
  rows.push(...conferenceRows());
  // ---- pipeline vs raw dgram ----
  log('  pipeline vs raw dgram…\n');
  const pipe = await enginePipeline();
  const raw = await rawDgram(PKTS[0]!);
  const rawCb = await rawDgram(PKTS[0]!, true);
  const iters = 3000;
  const cpu = await cpuPaired(raw, pipe, iters);
  rows.push({ group: 'Pipeline', name: 'raw dgram send+receive (CPU per packet)', value: cpu.a, unit: 'µs/pkt' });
  rows.push({ group: 'Pipeline', name: 'full-duplex engine pipeline (CPU per packet)', value: cpu.b, unit: 'µs/pkt' });
  ratioRow('Pipeline', 'pipeline / raw dgram CPU (median of 7 alternating rounds)', cpu.ratio, '×', cpu.ratio, '≤ 1.5×', cpu.ratio <= 1.5);
  rows[rows.length - 1]!.ratio = `${cpu.ratio.toFixed(2)}× (rounds ${cpu.spread[0].toFixed(2)}–${cpu.spread[1].toFixed(2)})`;
  // Allocation with sockets: sampled heap profile (every allocation, collected or not), per packet.
  const ours = (url: string): boolean => /\/(firmware|hal)\//.test(url);
  // Steady state: a long warm-up, then the lower of two sampled runs. A function that was just
  // deoptimised runs unoptimised (boxing doubles) until V8 re-optimises it; that is tier-up, not
  // a per-packet cost, and shows up in one run but not in every run (a real per-packet allocation would).
  const N = 4000;
  await pipe.run(5 * N); await raw.run(5 * N); await rawCb.run(N);
  const low = async (r: DuplexRunner): Promise<SampledAlloc> => {
    const x = await sampledAlloc((n) => r.run(n), N, ours);
    const y = await sampledAlloc((n) => r.run(n), N, ours);
    return x.total <= y.total ? x : y;
  };
  const aRaw = await low(raw);
  const aRawCb = await sampledAlloc((n) => rawCb.run(n), N, ours);
  const aPipe = await low(pipe);
  const per = (x: number): number => x / 2;                             // two packets per iteration
  rows.push({ group: 'Alloc', name: 'raw dgram, Node itself: send(buf, port, addr) + message Buffer/rinfo', value: per(aRaw.total), unit: 'B/pkt' });
  rows.push({ group: 'Alloc', name: 'raw dgram with a send callback (info: what a callback costs in Node)', value: per(aRawCb.total), unit: 'B/pkt' });
  rows.push({ group: 'Alloc', name: 'engine pipeline with sockets, all allocations (Node included)', value: per(aPipe.total), unit: 'B/pkt' });
  const net = per(aPipe.total - aRaw.total);
  // Node's own per-packet figure moves by ~±30 B between runs (its nextTick/lookup paths), so the
  // difference is only a cross-check; the attribution row below is the exact figure for our code.
  rows.push({ group: 'Alloc', name: 'engine pipeline minus raw dgram (cross-check; Node\'s share varies ±30 B)', value: net, unit: 'B/pkt', target: '≈ 0', pass: net < 32 });
  const mine = per(aPipe.ours);
  rows.push({ group: 'Alloc', name: 'engine pipeline: allocated by firmware/ or hal/ frames (our code)', value: mine, unit: 'B/pkt', target: '0', pass: mine < 1 });
  if (!json) for (const [k, v] of aPipe.sites) log(`    pipeline alloc site: ${per(v).toFixed(1)} B/pkt ${k}\n`);
  if (pipe.speakers.some((s) => s.periods < iters)) throw new Error(`bench: pipeline played ${pipe.speakers.map((s) => s.periods)} periods, expected ≥ ${iters}`);
  await pipe.close(); await raw.close(); await rawCb.close();
  // ---- real time: the figure test/firmware/media/interop.test.ts bounds only loosely ----
  log('  sender jitter (3 s real time)…\n');
  const jit = await senderJitter(new SystemClock(), 3000);
  rows.push({ group: 'Real time', name: 'RTP interarrival jitter, engine → engine on loopback, SystemClock (RFC 3550 A.8)', value: jit.jitterMs, unit: 'ms',
    ratio: `${jit.packets} packets, ${jit.lost} lost`, target: '< 1 ms', pass: jit.jitterMs < 1 && jit.lost === 0 });
  if (!skipPhone) rows.push(...await wholePhoneRows(log));
  report();
}

/** One packet through every hot-path stage of our code, no sockets (for the allocation row). */
function syncPath(codec: AudioCodec): Case {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(9000 * Math.sin(i * 0.4)));
  const pkt = Buffer.alloc(172);
  const out = new Int16Array(160);
  const view = newRtpView();
  let now = 0;                                       // media time: 20 ms per packet
  const clock = { now: () => now, wallTime: () => new Date(0), setTimeout: () => ({ id: 0 }), clearTimeout: () => {},
    setInterval: () => ({ id: 0 }), clearInterval: () => {}, sleep: () => Promise.resolve() };
  const jb = new AdaptiveJitterBuffer({ clock });
  const hdr = { pt: codec.payloadType, seq: 0, ts: 0, ssrc: 0x9abcdef0, marker: false };
  let seq = 0;
  let ts = 0xfff00000;                               // crosses the 32-bit wrap during the run
  return (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      hdr.seq = seq = (seq + 1) & 0xffff; hdr.ts = ts = (ts + 160) | 0; now += 20;
      writeRtpHeader(pkt, 0, hdr);
      codec.encode(pcm, 0, 160, pkt, 12);
      parseRtp(pkt, 172, view);
      jb.putRtp(view.seq, view.ts | 0, view.ssrc | 0, view.marker, pkt, view.payloadOffset, view.payloadLength);
      jb.pull(codec, out);
      s = (s + out[7]!) | 0;
    }
    return s;
  };
}

function report(): void {
  const cpus = availableParallelism();
  const secs = (Date.now() - t0) / 1000;
  if (json) { process.stdout.write(`${JSON.stringify({ node: process.version, seconds: secs, loadavg: loadavg(), rows }, null, 2)}\n`); return; }
  const lines = ['| group | case | result | detail | target |', '|---|---|---:|---|---|'];
  for (const r of rows) {
    const v = Number.isNaN(r.value) ? (r.unit === 'not installed' ? '—' : r.unit === 'note' ? 'note' : 'n/a') : r.unit === 'pkt/s' || r.unit === 'samples/s' ? `${fmtRate(r.value)} ${r.unit}` : `${r.value.toFixed(r.unit === 'B/pkt' ? 0 : 2)} ${r.unit}`;
    const tgt = r.target ? `${r.target} ${r.pass ? '✅' : '❌'}` : '';
    lines.push(`| ${r.group} | ${r.name} | ${v} | ${r.ratio ?? (r.unit === 'not installed' ? 'not installed' : '')} | ${tgt} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n${process.version}, ${secs.toFixed(0)} s, load average ${loadavg().map((x) => x.toFixed(1)).join('/')} on ${cpus} CPUs, ${rows.filter((r) => r.pass === false).length} target(s) missed\n`);
}

main().catch((e: unknown) => { console.error(`bench: ${(e as Error).stack ?? String(e)}`); process.exit(1); });
