/**
 * Music on hold as a held party hears it: a plain UDP socket in the test receives the CM's RTP
 * (VirtualClock pacing) and decodes it. A WAV made by SoX must arrive as exactly that audio
 * through the party's codec; the built-in melody must play its notes in order.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { G722, PCMA, PCMU, type AudioCodec } from '../../../firmware/media/codecs.js';
import { newRtpView, parseRtp, RtpStatus } from '../../../firmware/media/rtp.js';
import { dominantFrequencies } from '../../../firmware/media/tone-detect.js';
import { parseWav } from '../../../firmware/media/wav.js';
import { MELODY, MELODY_LOOP_MS, NOTE_HZ } from '../../../callmanager/media/melody.js';
import { MusicOnHold, loadMohFile } from '../../../callmanager/media/moh.js';
import type { LegCodecName } from '../../../callmanager/media/leg.js';
import { requireTool, run as sh, tempDir } from '../../support/oracles.js';
import { run } from './phones.js';

interface Heard { pcm: Int16Array; packets: number; pts: Set<number>; ssrcs: Set<number>; tsSteps: Set<number>; seqSteps: Set<number>; firstMarker: boolean }

/** Holds a party on `moh` for `ms` of virtual time and decodes everything it received. */
async function hold(clock: VirtualClock, moh: MusicOnHold, codecName: LegCodecName, ms: number): Promise<Heard> {
  const codec: AudioCodec = codecName === 'ulaw' ? PCMU : codecName === 'alaw' ? PCMA : G722.instance!();
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const pkts: Buffer[] = [];
  sock.on('message', (m) => pkts.push(m));
  const { id } = await moh.start({ codec: codecName, remote: { ip: '127.0.0.1', port: sock.address().port } });
  await run(clock, ms);
  await moh.stop(id);
  await run(clock, 50);
  sock.close();
  const v = newRtpView();
  const frames: Array<[number, Buffer]> = [];
  const h: Heard = { pcm: new Int16Array(0), packets: pkts.length, pts: new Set(), ssrcs: new Set(), tsSteps: new Set(), seqSteps: new Set(), firstMarker: false };
  let last: { seq: number; ts: number } | undefined;
  for (const p of pkts) {
    assert.equal(parseRtp(p, p.length, v), RtpStatus.OK);
    h.pts.add(v.pt); h.ssrcs.add(v.ssrc);
    if (!last) h.firstMarker = v.marker;
    if (last) { h.seqSteps.add((v.seq - last.seq) & 0xffff); h.tsSteps.add((v.ts - last.ts) >>> 0); }
    last = { seq: v.seq, ts: v.ts };
    frames.push([v.payloadOffset, p]);
  }
  const per = 20 * codec.samplesPerMs;
  h.pcm = new Int16Array(frames.length * per);
  frames.forEach(([off, p], i) => codec.decode(p, off, p.length - off, h.pcm, i * per));
  return h;
}

function assertRtp(h: Heard, pt: number): void {
  assert.deepEqual([...h.pts], [pt]);
  assert.equal(h.ssrcs.size, 1);
  assert.deepEqual([...h.seqSteps], [1]);
  assert.deepEqual([...h.tsSteps], [160], 'RFC 3551: +160 per 20 ms (G.722 too, §4.5.2)');
  assert.ok(h.firstMarker, 'marker on the first packet (RFC 3551 §4.1)');
}

/** What a party must hear of `x`: encoded and decoded by a fresh codec instance, as the sender did. */
function through(codec: AudioCodec, x: Int16Array): Int16Array {
  const c = codec.instance?.() ?? codec;
  const bytes = new Uint8Array(x.length);
  const n = c.encode(x, 0, x.length, bytes, 0);
  const out = new Int16Array(x.length);
  c.decode(bytes, 0, n, out, 0);
  return out;
}

function firstMismatch(a: Int16Array, b: Int16Array, n: number): number {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

test('a WAV made by SoX (8 kHz) reaches a µ-law party as exactly that audio, looped; 16 kHz to G.722 likewise', async (t) => {
  if (!requireTool(t, 'sox')) return;
  const dir = tempDir('moh');
  const wav8 = join(dir, 'moh8.wav');
  const wav16 = join(dir, 'moh16.wav');
  sh('sox', ['-D', '-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed', wav8, 'synth', '0.5', 'sine', '300-2000', 'gain', '-6']);
  sh('sox', ['-D', '-n', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed', wav16, 'synth', '0.5', 'sine', '5000-500', 'gain', '-6']);
  // Our WAV reader against SoX's own raw export of the same file.
  const raw = readRaw(wav8);
  const file8 = parseWav(readFileSync(wav8), wav8).samples;
  assert.equal(file8.length, 4000);
  assert.deepEqual(file8, new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2));

  const clock = new VirtualClock();
  const moh8 = new MusicOnHold({ clock, file: wav8 });
  try {
    const h = await hold(clock, moh8, 'ulaw', 1200);
    assertRtp(h, 0);
    assert.ok(h.packets >= 55, `${h.packets} packets in 1.2 s`);
    const want = through(PCMU, Int16Array.from({ length: h.pcm.length }, (_, i) => file8[i % file8.length]!));
    assert.equal(firstMismatch(h.pcm, want, h.pcm.length), -1, 'decoded music differs from the file (through µ-law)');
  } finally { await moh8.close(); }

  const music16 = loadMohFile(wav16);
  const moh16 = new MusicOnHold({ clock, music: music16 });
  try {
    const h = await hold(clock, moh16, 'g722', 1000);
    assertRtp(h, 9);
    const want = through(G722, Int16Array.from({ length: h.pcm.length }, (_, i) => music16.pcm16[i % music16.pcm16.length]!));
    assert.equal(firstMismatch(h.pcm, want, h.pcm.length), -1, 'decoded music differs from the file (through G.722)');
    // and an A-law party gets the 8 kHz version (the 5 kHz start of the sweep filtered out, not aliased).
    const a = await hold(clock, moh16, 'alaw', 600);
    assertRtp(a, 8);
    const want8 = through(PCMA, Int16Array.from({ length: a.pcm.length }, (_, i) => music16.pcm8[i % music16.pcm8.length]!));
    assert.equal(firstMismatch(a.pcm, want8, a.pcm.length), -1);
  } finally { await moh16.close(); }
});

function readRaw(wav: string): Buffer {
  const dir = tempDir('mohraw');
  const out = join(dir, 'x.raw');
  sh('sox', [wav, '-t', 'raw', '-e', 'signed', '-b', '16', '-L', out]);
  return readFileSync(out);
}

test('the built-in melody: non-silent, its notes in order at the right pitches, for µ-law and G.722 parties', async () => {
  const clock = new VirtualClock();
  const moh = new MusicOnHold({ clock });
  const candidates = Object.values(NOTE_HZ);
  try {
    for (const codec of ['ulaw', 'g722'] as const) {
      const h = await hold(clock, moh, codec, MELODY_LOOP_MS + 400);
      const rate = codec === 'g722' ? 16000 : 8000;
      assertRtp(h, codec === 'g722' ? 9 : 0);
      const wrong: string[] = [];
      const heard = new Set<number>();
      for (const n of MELODY) {
        // The note's interior: its attack and release edges excluded.
        const a = Math.round(((n.startMs + 30) * rate) / 1000);
        const b = Math.round(((n.startMs + n.ms - 50) * rate) / 1000);
        const top = dominantFrequencies(h.pcm.subarray(a, b), rate, candidates, { minDbfs: -30, withinDb: 6 });
        if (top[0] !== n.hz) wrong.push(`${n.note} at ${n.startMs} ms: heard ${top.map((f) => f.toFixed(0)).join('/') || 'nothing'}`);
        else heard.add(n.hz);
      }
      assert.deepEqual(wrong, [], `${codec}: notes not heard as written`);
      assert.equal(heard.size, 5, 'five different pitches: a melody, not a tone');
      // The loop starts again after one beat of rest.
      const again = Math.round(((MELODY_LOOP_MS + 30) * rate) / 1000);
      assert.deepEqual(dominantFrequencies(h.pcm.subarray(again, again + rate / 10), rate, candidates, { minDbfs: -30, withinDb: 6 })[0], MELODY[0]!.hz);
    }
  } finally { await moh.close(); }
});

test('music files that cannot be played fail at load with the file named and a hint', async (t) => {
  assert.throws(() => loadMohFile('/nonexistent/moh.wav'), /moh: cannot read music file \/nonexistent\/moh\.wav.*hint: check moh\.file/);
  if (!requireTool(t, 'sox')) return;
  const dir = tempDir('mohbad');
  const cases: Array<[string, string[], RegExp]> = [
    ['cd.wav', ['-r', '44100', '-c', '1', '-b', '16'], /44100 Hz; music on hold reads 8000 or 16000 Hz.*hint: convert/],
    ['stereo.wav', ['-r', '8000', '-c', '2', '-b', '16'], /2 channels, only mono/],
    ['u8.wav', ['-r', '8000', '-c', '1', '-b', '8', '-e', 'unsigned'], /8-bit samples, only 16-bit/],
  ];
  for (const [name, fmt, re] of cases) {
    const f = join(dir, name);
    sh('sox', ['-D', '-n', ...fmt, f, 'synth', '0.2', 'sine', '440']);
    assert.throws(() => loadMohFile(f), (e: Error) => re.test(e.message) && e.message.includes(f), name);
  }
  assert.throws(() => new MusicOnHold({ clock: new VirtualClock(), file: join(dir, 'cd.wav') }), /44100 Hz/);
});
