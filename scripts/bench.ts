/**
 * `npm run bench [-- --json]`: media hot-path benchmark against hand-written baselines and npm peers,
 * all measured in this one run on this machine (research/perf-anchors.md gives the method and
 * reference numbers). Peers (rtp.js, werift-rtp, alawmulaw) are devDependencies; a missing one is
 * reported as "not installed", not a failure. Re-executes itself with --expose-gc for allocation rows.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { G722, PCMA, PCMU, type AudioCodec } from '../firmware/media/codecs.js';
import { FixedPlayoutBuffer } from '../firmware/media/playout.js';
import { newRtpView, parseRtp, writeRtpHeader } from '../firmware/media/rtp.js';
import { type Case, bytesPerOp, bytesPerOpAsync, canMeasureAlloc, fmtRate, measure } from './bench-harness.js';
import { cpuPerPacket, enginePipeline, rawDgram } from './bench-pipeline.js';

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
    'parse: baseline (index reads)': (n) => {
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

function g711Cases(alawmulaw: any): Record<string, Case | undefined> {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(20000 * Math.sin(i * 0.37) + 3000 * Math.sin(i * 2.1)));
  const codes = new Uint8Array(160);
  const dec = new Int16Array(160);
  const cases: Record<string, Case | undefined> = {};
  for (const [law, codec, peer] of [['µ', PCMU, alawmulaw?.mulaw], ['A', PCMA, alawmulaw?.alaw]] as const) {
    // plain lookup-table baseline: 64K-entry encode table and 256-entry decode table built from our codec
    const encLut = new Uint8Array(65536);
    const one = new Int16Array(1); const oneC = new Uint8Array(1);
    for (let s = 0; s < 65536; s++) { one[0] = s; codec.encode(one, 0, 1, oneC, 0); encLut[s] = oneC[0]!; }
    const decLut = new Int16Array(256);
    for (let c = 0; c < 256; c++) { oneC[0] = c; codec.decode(oneC, 0, 1, one, 0); decLut[c] = one[0]!; }
    codec.encode(pcm, 0, 160, codes, 0);
    cases[`${law} encode: lookup-table baseline`] = (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) codes[i] = encLut[pcm[i]! & 0xffff]!; return codes[5]!; };
    cases[`${law} encode: ours`] = (n) => { for (let k = 0; k < n; k++) codec.encode(pcm, 0, 160, codes, 0); return codes[5]!; };
    cases[`${law} encode: alawmulaw`] = peer && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= peer.encode(pcm)[5]; return s; });
    cases[`${law} decode: lookup-table baseline`] = (n) => { for (let k = 0; k < n; k++) for (let i = 0; i < 160; i++) dec[i] = decLut[codes[i]!]!; return dec[5]!; };
    cases[`${law} decode: ours`] = (n) => { for (let k = 0; k < n; k++) codec.decode(codes, 0, 160, dec, 0); return dec[5]!; };
    cases[`${law} decode: alawmulaw`] = peer && ((n) => { let s = 0; for (let k = 0; k < n; k++) s ^= peer.decode(codes)[5]; return s; });
  }
  return cases;
}

function ratioRow(group: string, name: string, value: number, unit: string, ratio: number, target: string, pass: boolean): void {
  rows.push({ group, name, value, unit, ratio: `${ratio.toFixed(2)}×`, target, pass });
}

async function main(): Promise<void> {
  const [rtpjs, werift, alawmulaw] = await Promise.all([peer<any>('rtp.js'), peer<any>('werift-rtp'), peer<any>('alawmulaw')]);
  // ---- RTP ----
  const rtp: Record<string, number> = {};
  for (const [name, fn] of Object.entries(rtpCases(rtpjs, werift))) {
    if (!fn) { rows.push({ group: 'RTP', name, value: Number.NaN, unit: 'not installed' }); continue; }
    log(`  ${name}…\n`);
    const t = measure(fn);
    rtp[name] = t.nsPerOp;
    rows.push({ group: 'RTP', name, value: t.opsPerSec, unit: 'pkt/s', ratio: `${t.nsPerOp.toFixed(1)} ns` });
  }
  const vs = (a: string, b: string) => rtp[a]! / rtp[b]!;
  ratioRow('RTP', 'parse: ours / baseline (ns)', vs('parse: ours (parseRtp)', 'parse: baseline (index reads)'), '×', vs('parse: ours (parseRtp)', 'parse: baseline (index reads)'), '≤ 2×', vs('parse: ours (parseRtp)', 'parse: baseline (index reads)') <= 2);
  ratioRow('RTP', 'write: ours / baseline (ns)', vs('write header: ours (writeRtpHeader)', 'write header: baseline (index writes)'), '×', vs('write header: ours (writeRtpHeader)', 'write header: baseline (index writes)'), '≤ 2×', vs('write header: ours (writeRtpHeader)', 'write header: baseline (index writes)') <= 2);
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
  const g: Record<string, number> = {};
  for (const [name, fn] of Object.entries(g711Cases(alawmulaw))) {
    if (!fn) { rows.push({ group: 'G.711', name, value: Number.NaN, unit: 'not installed' }); continue; }
    log(`  ${name}…\n`);
    const t = measure(fn);
    g[name] = t.opsPerSec * 160;
    rows.push({ group: 'G.711', name, value: t.opsPerSec * 160, unit: 'samples/s', ratio: `${(t.nsPerOp).toFixed(0)} ns/frame` });
  }
  if (alawmulaw) {
    for (const k of ['µ encode', 'µ decode', 'A encode', 'A decode']) {
      const r = g[`${k}: ours`]! / g[`${k}: alawmulaw`]!;
      ratioRow('G.711', `${k}: ours / alawmulaw (speed-up)`, r, '×', r, '≥ 5×', r >= 5);
    }
  }
  for (const k of ['µ encode', 'µ decode']) {
    const r = g[`${k}: lookup-table baseline`]! / g[`${k}: ours`]!;
    ratioRow('G.711', `${k}: baseline / ours (slow-down)`, r, '×', r, 'info', true);
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
  allocRow('media path without sockets (encode → header → parse → playout put/pull → decode)', syncPath(PCMU));
  // ---- pipeline vs raw dgram ----
  log('  pipeline vs raw dgram…\n');
  const pipe = await enginePipeline();
  const raw = await rawDgram(PKTS[0]!);
  const iters = 3000;
  const cpuRaw = await cpuPerPacket(raw, iters);
  const cpuPipe = await cpuPerPacket(pipe, iters);
  const cpuRaw2 = await cpuPerPacket(raw, iters);            // again, to show the noise
  const rawMid = (cpuRaw + cpuRaw2) / 2;
  rows.push({ group: 'Pipeline', name: 'raw dgram send+receive (CPU per packet)', value: rawMid, unit: 'µs/pkt', ratio: `${cpuRaw.toFixed(2)} / ${cpuRaw2.toFixed(2)}` });
  rows.push({ group: 'Pipeline', name: 'full-duplex engine pipeline (CPU per packet)', value: cpuPipe, unit: 'µs/pkt' });
  ratioRow('Pipeline', 'pipeline / raw dgram CPU', cpuPipe / rawMid, '×', cpuPipe / rawMid, '≤ 1.5×', cpuPipe / rawMid <= 1.5);
  const bPipe = await bytesPerOpAsync((n) => pipe.run(n), 500) / 2;
  const bRaw = await bytesPerOpAsync((n) => raw.run(n), 500) / 2;
  rows.push({ group: 'Alloc', name: 'raw dgram (Node: Buffer + rinfo per message)', value: bRaw, unit: 'B/pkt' });
  rows.push({ group: 'Alloc', name: 'engine pipeline with sockets', value: bPipe, unit: 'B/pkt' });
  const over = Math.max(0, bPipe - bRaw);
  rows.push({ group: 'Alloc', name: 'engine pipeline minus raw dgram (our share)', value: over, unit: 'B/pkt', target: '0', pass: over < 8 });
  if (pipe.speakers.some((s) => s.periods < iters)) throw new Error(`bench: pipeline played ${pipe.speakers.map((s) => s.periods)} periods, expected ≥ ${iters}`);
  await pipe.close(); await raw.close();
  report();
}

/** One packet through every hot-path stage of our code, no sockets (for the allocation row). */
function syncPath(codec: AudioCodec): Case {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(9000 * Math.sin(i * 0.4)));
  const pkt = Buffer.alloc(172);
  const out = new Int16Array(160);
  const view = newRtpView();
  const jb = new FixedPlayoutBuffer();
  const hdr = { pt: codec.payloadType, seq: 0, ts: 0, ssrc: 42, marker: false };
  let seq = 0;
  return (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      hdr.seq = seq = (seq + 1) & 0xffff; hdr.ts = (seq * 160) >>> 0;
      writeRtpHeader(pkt, 0, hdr);
      codec.encode(pcm, 0, 160, pkt, 12);
      parseRtp(pkt, 172, view);
      jb.put(view.seq, pkt, view.payloadOffset, view.payloadLength);
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
    const v = Number.isNaN(r.value) ? (r.unit === 'not installed' ? '—' : 'n/a') : r.unit === 'pkt/s' || r.unit === 'samples/s' ? `${fmtRate(r.value)} ${r.unit}` : `${r.value.toFixed(r.unit === 'B/pkt' ? 0 : 2)} ${r.unit}`;
    const tgt = r.target ? `${r.target} ${r.pass ? '✅' : '❌'}` : '';
    lines.push(`| ${r.group} | ${r.name} | ${v} | ${r.ratio ?? (r.unit === 'not installed' ? 'not installed' : '')} | ${tgt} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n${process.version}, ${secs.toFixed(0)} s, load average ${loadavg().map((x) => x.toFixed(1)).join('/')} on ${cpus} CPUs, ${rows.filter((r) => r.pass === false).length} target(s) missed\n`);
}

main().catch((e: unknown) => { console.error(`bench: ${(e as Error).stack ?? String(e)}`); process.exit(1); });
