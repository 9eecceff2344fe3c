/**
 * Full-duplex call pipeline vs raw dgram, CPU time per packet (process.cpuUsage, user+system).
 *
 * Pipeline: two RtpMediaEngines on loopback. Each iteration pushes one 20 ms microphone period
 * into each engine (capture → G.711 encode → RTP header → send); on arrival the far engine parses,
 * puts into its adaptive jitter buffer (the engine default), and one playout tick pulls, decodes
 * and writes to a null speaker. Window of one packet per direction, the next iteration starts when
 * both arrived. Media time advances 20 ms per iteration (the clock the jitter buffer sees).
 * Baseline: the same 172-byte packets, same window, plain dgram sockets, nothing else; a second
 * baseline makes the same dgram call as the engine (`send(buf, port, address, callback)`).
 */
import dgram from 'node:dgram';
import type { Clock, TimerHandle } from '../hal/api/clock.js';
import type { PcmFormat, PcmSink, PcmSource } from '../hal/api/pcm.js';
import { RtpMediaEngine } from '../firmware/media/rtp-engine.js';
import { AdaptiveJitterBuffer } from '../firmware/media/jitter-buffer.js';
import { RecordingSpeaker } from '../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../firmware/media/emulated-audio.js';

const FMT: PcmFormat = { sampleRate: 8000, channels: 1, periodFrames: 160 };

/**
 * Media time that advances 20 ms per iteration (advance()); intervals only run when the bench
 * calls tick() (no timer noise in the CPU figure). Arrays, not a Map: no iterator per tick.
 */
class ManualClock implements Clock {
  private readonly ids: number[] = [];
  private readonly fns: Array<() => void> = [];
  private id = 1;
  private t = 0;
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
  wallTime(): Date { return new Date(); }
  setTimeout(_fn: () => void, _ms: number): TimerHandle { return { id: this.id++ }; }   // RTCP timers: never fire here
  clearTimeout(): void {}
  setInterval(fn: () => void, _ms: number): TimerHandle { const id = this.id++; this.ids.push(id); this.fns.push(fn); return { id }; }
  clearInterval(h: TimerHandle | undefined): void {
    const i = h ? this.ids.indexOf(h.id) : -1;
    if (i >= 0) { this.ids.splice(i, 1); this.fns.splice(i, 1); }
  }
  sleep(): Promise<void> { return Promise.resolve(); }
  tick(): void { const f = this.fns; for (let i = 0; i < f.length; i++) f[i]!(); }
}

class PushMic implements PcmSource {
  readonly name = 'bench-mic';
  readonly format = FMT;
  private cb: ((s: Int16Array) => void) | undefined;
  readonly frame = new Int16Array(160);
  constructor(freq: number) { for (let i = 0; i < 160; i++) this.frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / 8000)); }
  async start(cb: (s: Int16Array) => void): Promise<void> { this.cb = cb; }
  async stop(): Promise<void> { this.cb = undefined; }
  push(): void { this.cb?.(this.frame); }
  onError(): () => void { return () => {}; }
}

class NullSpeaker implements PcmSink {
  readonly name = 'bench-speaker';
  readonly format = FMT;
  periods = 0;
  sum = 0;
  write(s: Int16Array): void { this.periods++; this.sum = (this.sum + s[80]!) | 0; }
  async close(): Promise<void> {}
  onError(): () => void { return () => {}; }
}

/** The engine's default jitter buffer, telling the bench synchronously when a packet arrived (no allocation). */
class CountingPlayout extends AdaptiveJitterBuffer {
  onPut: () => void = () => {};
  override putRtp(seq: number, ts: number, ssrc: number, marker: boolean, p: Uint8Array, off: number, len: number): void {
    super.putRtp(seq, ts, ssrc, marker, p, off, len);
    this.onPut();
  }
}

export interface DuplexRunner { run(iterations: number): Promise<void>; close(): Promise<void>; packetsPerIteration: number }

export async function enginePipeline(): Promise<DuplexRunner & { speakers: NullSpeaker[] }> {
  const sides = [0, 1].map((i) => {
    const clock = new ManualClock();
    const mic = new PushMic(i ? 1500 : 1000);
    const speaker = new NullSpeaker();
    const playout = new CountingPlayout({ clock });
    const engine = new RtpMediaEngine({ clock, microphone: mic, speaker, playout: () => playout });
    return { clock, mic, speaker, playout, engine };
  });
  const choice = { codec: 'PCMU', ptimeMs: 20 };
  const [a, b] = sides as [typeof sides[0], typeof sides[0]];
  const epA = await a.engine.openReceive(1, choice);
  const epB = await b.engine.openReceive(1, choice);
  await a.engine.startTransmit(1, epB, choice);
  await b.engine.startTransmit(1, epA, choice);
  let left = 0;
  let arrived = 0;
  let done: () => void = () => {};
  const step = (): void => { a.clock.advance(20); b.clock.advance(20); a.mic.push(); b.mic.push(); };
  for (const s of sides) {
    s.playout.onPut = () => {
      s.clock.tick();                                 // one playout tick: pull → decode → speaker
      if (++arrived < 2) return;
      arrived = 0;
      if (--left > 0) step(); else done();
    };
  }
  return {
    packetsPerIteration: 2,
    speakers: [a.speaker, b.speaker],
    run: (n) => new Promise<void>((resolve) => { left = n; done = resolve; step(); }),
    close: async () => { await a.engine.close(); await b.engine.close(); },
  };
}

/**
 * Plain dgram, window of one per direction. `withCallback`: the engine's exact call shape, a whole
 * Buffer plus a preallocated completion callback (`send(buf, port, address, cb)`).
 */
export async function rawDgram(packet: Uint8Array, withCallback = false): Promise<DuplexRunner> {
  const bind = (): Promise<dgram.Socket> => new Promise((r) => { const s = dgram.createSocket('udp4'); s.bind(0, '127.0.0.1', () => r(s)); });
  const a = await bind();
  const b = await bind();
  const pa = a.address().port;
  const pb = b.address().port;
  let left = 0;
  let arrived = 0;
  let done: () => void = () => {};
  let sent = 0;
  const cb = (): void => { sent++; };
  const step = withCallback
    ? (): void => { a.send(packet, pb, '127.0.0.1', cb); b.send(packet, pa, '127.0.0.1', cb); }
    : (): void => { a.send(packet, pb, '127.0.0.1'); b.send(packet, pa, '127.0.0.1'); };
  const onMsg = (): void => {
    if (++arrived < 2) return;
    arrived = 0;
    if (--left > 0) step(); else done();
  };
  a.on('message', onMsg);
  b.on('message', onMsg);
  return {
    packetsPerIteration: 2,
    run: (n) => new Promise<void>((resolve) => { left = n; done = resolve; step(); }),
    close: async () => { a.close(); b.close(); },
  };
}

/** CPU µs per packet over `iterations`, after a warm-up; median of `rounds`. */
export async function cpuPerPacket(r: DuplexRunner, iterations: number, rounds = 5): Promise<number> {
  await r.run(Math.max(200, iterations >> 2));
  const vals: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const c0 = process.cpuUsage();
    await r.run(iterations);
    const c = process.cpuUsage(c0);
    vals.push((c.user + c.system) / (iterations * r.packetsPerIteration));
  }
  vals.sort((x, y) => x - y);
  return vals[rounds >> 1]!;
}

/**
 * CPU µs per packet of `a` and `b` measured in alternating rounds (a b a b ...), so machine load
 * changes hit both alike; returns the medians and the median of the per-round ratios b/a.
 */
export async function cpuPaired(a: DuplexRunner, b: DuplexRunner, iterations: number, rounds = 7): Promise<{ a: number; b: number; ratio: number; spread: [number, number] }> {
  await a.run(Math.max(200, iterations >> 2));
  await b.run(Math.max(200, iterations >> 2));
  const one = async (r: DuplexRunner): Promise<number> => {
    const c0 = process.cpuUsage();
    await r.run(iterations);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / (iterations * r.packetsPerIteration);
  };
  const va: number[] = []; const vb: number[] = []; const ratios: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const x = await one(a);
    const y = await one(b);
    va.push(x); vb.push(y); ratios.push(y / x);
  }
  const med = (v: number[]): number => [...v].sort((p, q) => p - q)[v.length >> 1]!;
  const sr = [...ratios].sort((p, q) => p - q);
  return { a: med(va), b: med(vb), ratio: med(ratios), spread: [sr[0]!, sr[sr.length - 1]!] };
}

/**
 * Real time: engine A sends PCMU to engine B for `ms` on the system clock (what a call does);
 * B's receiver estimates the RFC 3550 A.8 interarrival jitter. On an idle machine it is a fraction
 * of a millisecond; the tests only bound it loosely (a loaded machine wakes timers late).
 */
export async function senderJitter(clock: Clock, ms: number): Promise<{ jitterMs: number; packets: number; lost: number }> {
  const mk = (f: number): RtpMediaEngine => new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: f }), speaker: new RecordingSpeaker() });
  const a = mk(1000);
  const b = mk(1500);
  const codec = { codec: 'PCMU', ptimeMs: 20 };
  try {
    const epB = await b.openReceive(1, codec);
    await a.openReceive(1, codec);
    await a.startTransmit(1, epB, codec);
    await clock.sleep(ms);
    await a.stopTransmit(1);
    await clock.sleep(100);
    const s = b.stats(1)!;
    return { jitterMs: s.jitterMs, packets: s.packetsReceived, lost: s.packetsLost };
  } finally { await a.close(); await b.close(); }
}
