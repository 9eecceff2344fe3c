/**
 * Full-duplex call pipeline vs raw dgram, CPU time per packet (process.cpuUsage, user+system).
 *
 * Pipeline: two RtpMediaEngines on loopback. Each iteration pushes one 20 ms microphone period
 * into each engine (capture → G.711 encode → RTP header → send); on arrival the far engine parses,
 * puts into its playout buffer, and one playout tick pulls, decodes and writes to a null speaker.
 * Window of one packet per direction, the next iteration starts when both arrived.
 * Baseline: the same 172-byte packets, same window, plain dgram sockets, nothing else.
 */
import dgram from 'node:dgram';
import type { Clock, TimerHandle } from '../hal/api/clock.js';
import type { PcmFormat, PcmSink, PcmSource } from '../hal/api/pcm.js';
import { RtpMediaEngine } from '../firmware/media/rtp-engine.js';
import { FixedPlayoutBuffer, type PlayoutBuffer } from '../firmware/media/playout.js';
import type { AudioCodec } from '../firmware/media/codecs.js';

const FMT: PcmFormat = { sampleRate: 8000, channels: 1, periodFrames: 160 };

/** Real time, but intervals only run when the bench calls tick() (no timer noise in the CPU figure). */
class ManualClock implements Clock {
  private readonly intervals = new Map<number, () => void>();
  private id = 1;
  now(): number { return performance.now(); }
  wallTime(): Date { return new Date(); }
  setTimeout(_fn: () => void, _ms: number): TimerHandle { return { id: this.id++ }; }   // RTCP timers: never fire here
  clearTimeout(): void {}
  setInterval(fn: () => void, _ms: number): TimerHandle { const id = this.id++; this.intervals.set(id, fn); return { id }; }
  clearInterval(h: TimerHandle | undefined): void { if (h) this.intervals.delete(h.id); }
  sleep(): Promise<void> { return Promise.resolve(); }
  tick(): void { for (const f of this.intervals.values()) f(); }
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

/** Playout buffer wrapper that tells the bench when a packet arrived (no allocation per call). */
class CountingPlayout implements PlayoutBuffer {
  private readonly inner = new FixedPlayoutBuffer();
  onPut: () => void = () => {};
  get counters() { return this.inner.counters; }
  get depth(): number { return this.inner.depth; }
  put(seq: number, p: Uint8Array, off: number, len: number): void { this.inner.put(seq, p, off, len); queueMicrotask(this.onPut); }
  pull(codec: AudioCodec, out: Int16Array) { return this.inner.pull(codec, out); }
  reset(): void { this.inner.reset(); }
}

export interface DuplexRunner { run(iterations: number): Promise<void>; close(): Promise<void>; packetsPerIteration: number }

export async function enginePipeline(): Promise<DuplexRunner & { speakers: NullSpeaker[] }> {
  const sides = [0, 1].map((i) => {
    const clock = new ManualClock();
    const mic = new PushMic(i ? 1500 : 1000);
    const speaker = new NullSpeaker();
    const playout = new CountingPlayout();
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
  const step = (): void => { a.mic.push(); b.mic.push(); };
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

export async function rawDgram(packet: Uint8Array): Promise<DuplexRunner> {
  const bind = (): Promise<dgram.Socket> => new Promise((r) => { const s = dgram.createSocket('udp4'); s.bind(0, '127.0.0.1', () => r(s)); });
  const a = await bind();
  const b = await bind();
  const pa = a.address().port;
  const pb = b.address().port;
  let left = 0;
  let arrived = 0;
  let done: () => void = () => {};
  const step = (): void => { a.send(packet, pb, '127.0.0.1'); b.send(packet, pa, '127.0.0.1'); };
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
