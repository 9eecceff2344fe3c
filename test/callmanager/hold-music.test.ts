/**
 * Music on hold through the call core (callmanager/hold-music.ts): CallCore with the real media
 * services on the VirtualClock, fake station sinks, and a plain UDP socket as the held phone's
 * receive channel. The held party gets OpenReceiveChannel, then StartMediaTransmission naming the
 * music stream, and receives the configured WAV (made by SoX) as exactly that audio through µ-law;
 * the holder gets nothing; the music stops on resume, end of call and detach; a phone that itself
 * holds gets no music.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { PCMU } from '../../firmware/media/codecs.js';
import { newRtpView, parseRtp, RtpStatus } from '../../firmware/media/rtp.js';
import { loadMohFile } from '../../callmanager/media/moh.js';
import { createMediaServices, type MediaServices } from '../../callmanager/media/services.js';
import { CallCore, type Leg } from '../../callmanager/calls.js';
import { HoldMusic } from '../../callmanager/hold-music.js';
import type { MohStreamSpec } from '../../callmanager/media/moh.js';
import type { CallManagerConfig } from '../../callmanager/config.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import type { CmCommand } from '../../callmanager/station.js';
import { exampleConfig } from '../support/callmanager.js';
import { requireTool, run as sh, tempDir } from '../support/oracles.js';
import { run } from './media/phones.js';
import { RecordingSink as Sink, type Cmd } from '../support/recording-sink.js';

const A = 'SEP000000000100'; const B = 'SEP000000000101';


/** A phone's receive socket: what arrived, and from where. */
class Ear {
  readonly sock = dgram.createSocket('udp4');
  pkts: { msg: Buffer; from: string }[] = [];
  async open(): Promise<number> {
    await new Promise<void>((r) => this.sock.bind(0, '127.0.0.1', () => r()));
    this.sock.on('message', (msg, ri) => this.pkts.push({ msg, from: `${ri.address}:${ri.port}` }));
    return this.sock.address().port;
  }
  close(): void { this.sock.close(); }
}

async function setup(t: { after(fn: () => unknown): void }, edit?: (c: CallManagerConfig) => void) {
  const clock = new VirtualClock();
  const cfg = exampleConfig();
  edit?.(cfg);
  const services: MediaServices = createMediaServices(cfg, clock, { bindAddress: '127.0.0.1' });
  const warns: string[] = [];
  const core = new CallCore(cfg, clock, { info: () => {}, warn: (m) => warns.push(m) }, undefined, undefined, services);
  const s: Record<string, Sink> = { [A]: new Sink(), [B]: new Sink() };
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  const ears: Ear[] = [];
  t.after(async () => { core.close(); for (const e of ears) e.close(); await services.close(); });
  /** Answers every OpenReceiveChannel `dev` got since the last call with a fresh socket's port. */
  const ack = async (dev: string): Promise<Ear[]> => {
    const out: Ear[] = [];
    for (const o of s[dev]!.take().filter((c): c is Cmd<'openReceive'> => c.t === 'openReceive')) {
      const ear = new Ear(); ears.push(ear); out.push(ear);
      core.mediaReady(dev, o.passThru, 0, '127.0.0.1', await ear.open());
    }
    return out;
  };
  /** B calls A, A answers, both acks in: they talk phone to phone. */
  const talk = async () => {
    core.offHook(B); for (const d of '100') core.keypad(B, d as KeypadKey);
    core.offHook(A);
    await ack(A); await ack(B);
    assert.equal(core.legState(A), 'connected');
  };
  return { clock, core, s, services, ack, talk, warns };
}

/** Waits (virtual and real time) until `sink` got a StartMediaTransmission. */
async function startOf(clock: VirtualClock, sink: Sink): Promise<Cmd<'startMedia'>> {
  for (let i = 0; i < 100 && sink.all('startMedia').length === 0; i++) await run(clock, 10);
  const st = sink.all('startMedia').at(-1);
  assert.ok(st, 'StartMediaTransmission to the held party');
  return st;
}

test('Hold: the held party hears the moh.file WAV through µ-law from the address StartMediaTransmission names; the holder gets nothing', async (t) => {
  if (!requireTool(t, 'sox')) return;
  const wav = join(tempDir('hold-music'), 'hold.wav');
  sh('sox', ['-D', '-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed', wav, 'synth', '0.4', 'sine', '300-1800', 'gain', '-6']);
  const { clock, core, s, services, ack, talk } = await setup(t, (c) => { c.moh.file = wav; });
  await talk();
  s[A].take(); s[B].take();
  core.softkey(A, 'hold');
  const toA = s[A].take();
  assert.ok(toA.some((c) => c.t === 'closeReceive') && toA.some((c) => c.t === 'stopMedia'), 'the holder stops its media');
  assert.ok(!toA.some((c) => c.t === 'openReceive' || c.t === 'startMedia'), 'and opens none');
  assert.ok(s[B].all('openReceive').length === 1, 'the held party gets a receive channel');
  const [ear] = await ack(B);
  const st = await startOf(clock, s[B]);
  assert.equal(services.moh.size, 1);
  assert.equal(st.codec, 'PCMU');
  await run(clock, 800);
  assert.ok(ear!.pkts.length >= 35, `${ear!.pkts.length} packets in 0.8 s`);
  assert.deepEqual([...new Set(ear!.pkts.map((p) => p.from))], [`${st.ip}:${st.port}`], 'every packet from the address the phone was told');
  // The audio: exactly the file, looped, through µ-law.
  const file = loadMohFile(wav).pcm8;
  const v = newRtpView();
  const pcm = new Int16Array(ear!.pkts.length * 160);
  ear!.pkts.forEach((p, i) => { assert.equal(parseRtp(p.msg, p.msg.length, v), RtpStatus.OK); assert.equal(v.pt, 0); PCMU.decode(p.msg, v.payloadOffset, 160, pcm, i * 160); });
  const bytes = new Uint8Array(pcm.length); const want = new Int16Array(pcm.length);
  PCMU.encode(Int16Array.from({ length: pcm.length }, (_, i) => file[i % file.length]!), 0, pcm.length, bytes, 0);
  PCMU.decode(bytes, 0, pcm.length, want, 0);
  assert.deepEqual(pcm, want, 'the held party hears the WAV');
  assert.equal(s[A].all('openReceive').length + s[A].all('startMedia').length, 0, 'still nothing to the holder');

  // Resume: the music stops, the channel closes and normal media is set up again.
  s[B].take();
  core.softkey(A, 'resume');
  const toB = s[B].take();
  const i = toB.findIndex((c) => c.t === 'stopMedia'); const j = toB.findIndex((c) => c.t === 'closeReceive'); const k = toB.findIndex((c) => c.t === 'openReceive');
  assert.ok(i >= 0 && j > i && k > j, `StopMediaTransmission, CloseReceiveChannel, then OpenReceiveChannel: ${toB.map((c) => c.t).join(', ')}`);
  assert.ok(s[A].all('openReceive').length === 1, 'the holder gets its media back');
  await run(clock, 60);
  assert.equal(services.moh.size, 0);
  const n = ear!.pkts.length;
  await run(clock, 200);
  assert.equal(ear!.pkts.length, n, 'no music after resume');
});

test('the music stops when the holder ends the call, and when the held phone detaches', async (t) => {
  const { clock, core, s, services, ack, talk } = await setup(t);
  await talk();
  core.softkey(A, 'hold');
  await ack(B); await startOf(clock, s[B]);
  assert.equal(services.moh.size, 1);
  core.softkey(A, 'endCall');
  await run(clock, 30);
  assert.equal(services.moh.size, 0, 'end of call');
  assert.ok(s[B].all('closeReceive').length >= 1);
  core.onHook(B);

  await talk();
  core.softkey(A, 'hold');
  await ack(B); await startOf(clock, s[B]);
  assert.equal(services.moh.size, 1);
  core.detach(B);
  await run(clock, 30);
  assert.equal(services.moh.size, 0, 'detach');
  assert.equal(core.legState(A), 'idle');
});

test('Resume before the held phone acknowledged its receive channel: no stream is started, and the late ack is not taken for the call\'s', async (t) => {
  const { clock, core, s, services, talk } = await setup(t);
  await talk();
  s[B].take();
  core.softkey(A, 'hold');
  assert.equal(s[B].all('openReceive').length, 1);
  s[A].take();
  core.softkey(A, 'resume');
  await run(clock, 30);
  assert.equal(services.moh.size, 0);
  assert.ok(s[B].all('closeReceive').length >= 1);
  assert.equal(s[B].all('startMedia').length, 0, 'no StartMediaTransmission to a music stream');
  // The phone answers both OpenReceiveChannels in order: the music's (port 41000, closed since), then the call's.
  const opens = s[B].all('openReceive');
  assert.equal(opens.length, 2);
  for (const o of s[A].all('openReceive')) core.mediaReady(A, o.passThru, 0, '127.0.0.1', 42000);
  core.mediaReady(B, opens[0]!.passThru, 0, '127.0.0.1', 41000);
  assert.equal(s[A].all('startMedia').length, 0, 'the stale ack starts nothing');
  core.mediaReady(B, opens[1]!.passThru, 0, '127.0.0.1', 41002);
  const toA = s[A].all('startMedia').at(-1);
  assert.equal(toA?.port, 41002, 'A sends to the channel B opened for the call');
  await run(clock, 30);
  assert.equal(services.moh.size, 0);
});

test('both hold: no music to a phone that itself holds; when one resumes it hears the other\'s music', async (t) => {
  const { clock, core, s, services, ack, talk } = await setup(t);
  await talk();
  core.softkey(A, 'hold');
  await ack(B); await startOf(clock, s[B]);
  s[A].take();
  core.softkey(B, 'hold'); // B holds too: its music stops, A (holding) gets none
  await run(clock, 30);
  assert.equal(services.moh.size, 0);
  assert.equal(s[A].all('openReceive').length, 0, 'no music channel to a holding phone');
  core.softkey(A, 'resume'); // A picks up; B still holds it: A hears B's music
  assert.equal(s[A].all('openReceive').length, 1);
  await ack(A);
  await startOf(clock, s[A]);
  assert.equal(services.moh.size, 1);
  core.softkey(B, 'resume');
  await run(clock, 30);
  assert.equal(services.moh.size, 0, 'both talk again');
});

test('moh.enabled: false: the held party gets no receive channel (silence, as without media services)', async (t) => {
  const { core, s, services, talk } = await setup(t, (c) => { c.moh.enabled = false; });
  await talk();
  s[B].take();
  core.softkey(A, 'hold');
  assert.equal(s[B].all('openReceive').length, 0);
  assert.equal(services.moh.size, 0);
});

test('HoldMusic: start and stop are idempotent; a stop while the stream opens stops it once open; a failed start is logged with the device', async () => {
  const started: number[] = []; const stopped: number[] = []; const warns: string[] = []; const sent: CmCommand[] = [];
  let release: (() => void) | undefined; let fail = false;
  const specs: MohStreamSpec[] = [];
  const moh = {
    async start(spec: MohStreamSpec) {
      specs.push(spec);
      await new Promise<void>((r) => { release = r; });
      if (fail) throw new Error('no socket');
      const id = started.length + 1; started.push(id); return { id, localAddress: '127.0.0.1', localPort: 40000 };
    },
    async stop(id: number) { stopped.push(id); },
  };
  const hm = new HoldMusic({ moh, log: { info: () => {}, warn: (m) => warns.push(m) }, send: (_l, c) => sent.push(c) });
  const leg = { dev: { name: 'SEP000000000101' }, ref: 7, state: 'connected', call: { codec: 'PCMU' } } as unknown as Leg;
  hm.start(leg); hm.start(leg);
  assert.deepEqual(sent.map((c) => c.t), ['openReceive'], 'one receive channel');
  assert.equal(hm.ready('SEP000000000101', 8, 0, '127.0.0.1', 5000), false, 'another passThru is not ours');
  assert.equal(hm.ready('SEP000000000101', 7, 0, '127.0.0.1', 5000), true);
  release!(); await new Promise((r) => setImmediate(r));
  assert.equal(hm.streamOf(leg), 1);
  assert.deepEqual(sent.map((c) => c.t), ['openReceive', 'startMedia']);
  hm.stop(leg); hm.stop(leg);
  assert.deepEqual(stopped, [1]);
  assert.deepEqual(sent.map((c) => c.t), ['openReceive', 'startMedia', 'stopMedia', 'closeReceive'], 'closed once');
  // Stopped while the stream's socket opens: the stream is stopped as soon as it exists, never announced.
  sent.length = 0;
  hm.start(leg); hm.ready('SEP000000000101', 7, 0, '127.0.0.1', 5000); hm.stop(leg);
  release!(); await new Promise((r) => setImmediate(r));
  assert.deepEqual(stopped, [1, 2]);
  assert.deepEqual(sent.map((c) => c.t), ['openReceive', 'closeReceive']);
  // A start that fails: logged with the device, the channel closed, nothing playing.
  sent.length = 0; fail = true;
  hm.start(leg); hm.ready('SEP000000000101', 7, 0, '127.0.0.1', 5000);
  release!(); await new Promise((r) => setImmediate(r));
  assert.equal(hm.has(leg), false);
  assert.deepEqual(sent.map((c) => c.t), ['openReceive', 'closeReceive']);
  assert.match(warns.at(-1)!, /hold music: SEP000000000101: start towards 127\.0\.0\.1:5000: no socket/);
  // The stream binds the CM's address towards the phone (IPv4-mapped form unwrapped); a wildcard is not used.
  const onLan = { ...leg, dev: { name: 'SEP000000000101', sink: { localAddress: '::ffff:192.0.2.1', send: () => {} } } } as unknown as Leg;
  const onAny = { ...leg, dev: { name: 'SEP000000000101', sink: { localAddress: '0.0.0.0', send: () => {} } } } as unknown as Leg;
  fail = false;
  for (const l of [onLan, onAny]) { hm.start(l); hm.ready('SEP000000000101', 7, 0, '192.0.2.9', 5000); release!(); await new Promise((r) => setImmediate(r)); hm.stop(l); }
  assert.deepEqual(specs.slice(-2).map((x) => x.bindAddress), ['192.0.2.1', undefined]);
  // A holding leg gets nothing.
  sent.length = 0;
  hm.start({ ...leg, state: 'hold' } as Leg);
  assert.equal(sent.length, 0);
});
