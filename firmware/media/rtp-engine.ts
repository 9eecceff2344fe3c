/**
 * MediaEngine over RTP/UDP (RFC 3550, RFC 3551 audio profile). One UDP socket per stream id,
 * used both to receive and to send (symmetric RTP). Transmit is paced by the microphone's
 * periods; receive goes through a PlayoutBuffer pulled once per packet time on the injected
 * Clock and written to the speaker (normally a SpeakerMixer channel).
 *
 * Hot path: one reusable RtpView, preallocated packet/PCM buffers; bad input is counted, never thrown.
 */
import { randomFillSync } from 'node:crypto';
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmSink, PcmSource } from '../../hal/api/pcm.js';
import type { CodecChoice, MediaEndpoint, MediaEngine, MediaStats } from './engine.js';
import { type AudioCodec, requireCodec } from './codecs.js';
import { FixedPlayoutBuffer, PullResult, type PlayoutBuffer } from './playout.js';
import { RTP_HEADER_LEN, type RtpHeaderFields, RtpStatus, newRtpView, parseRtp, seqDelta, writeRtpHeader } from './rtp.js';

export type MediaLog = (level: 'debug' | 'info' | 'warn', msg: string) => void;

export interface RtpMediaEngineOptions {
  clock: Clock;
  microphone: PcmSource;
  /** Receives decoded far-end audio (a SpeakerMixer channel, or the speaker itself). Not closed by the engine. */
  speaker: PcmSink;
  /** '127.0.0.1', '0.0.0.0', '::' ... Default '127.0.0.1'. */
  bindAddress?: string;
  log?: MediaLog;
  /** Builds each stream's playout buffer (default: FixedPlayoutBuffer with 2-frame prefill). */
  playout?: () => PlayoutBuffer;
}

/** MediaStats plus the engine's drop counters. */
export interface RtpStreamStats extends MediaStats {
  localPort: number;
  /** Packets that failed RTP parsing (RtpStatus other than OK). */
  malformed: number;
  /** Packets from an address/port other than the remote, once transmit started. */
  unexpectedSource: number;
  /** Valid RTP with a payload type other than the negotiated codec's. */
  wrongPayloadType: number;
  late: number; duplicates: number; concealed: number; underruns: number;
  /** Transmit periods skipped because every packet buffer was still in flight. */
  txBusy: number;
  /** Socket send errors (counted; the stream keeps going). */
  sendErrors: number;
}

/** Codecs offered in CapabilitiesRes, preference order: G.711 µ-law then A-law at 20 ms (RFC 3551 §4.5.14). */
const CAPABILITIES: readonly CodecChoice[] = Object.freeze([
  Object.freeze({ codec: 'PCMU', ptimeMs: 20 }), Object.freeze({ codec: 'PCMA', ptimeMs: 20 }),
]);
/** Packet buffers per transmit stream: ~80 ms of 20 ms packets may be in flight in the kernel. */
const TX_BUFFERS = 4;
/** Playout timer stops after this many empty pulls (1 s at 20 ms) and restarts on the next packet. */
const PLAYOUT_IDLE_TICKS = 50;
/** RFC 3550 A.8: interarrival jitter estimator gain 1/16. */
const JITTER_GAIN = 1 / 16;

interface Stream {
  id: number;
  socket: dgram.Socket;
  port: number;
  closed: boolean;
  // receive
  rxOpen: boolean;
  rxCodec: AudioCodec | undefined;
  rxPcm: Int16Array;
  playout: PlayoutBuffer;
  playTimer: TimerHandle | undefined;
  idleTicks: number;
  rxSsrc: number; rxStarted: boolean; baseSeq: number; maxSeq: number; cycles: number;
  /** Packets received from the current SSRC, and loss counted for earlier SSRCs. */
  rxCount: number; lostPrior: number;
  lastTransit: number; jitter: number;
  // transmit
  tx: TxState | undefined;
  stats: RtpStreamStats;
}

interface TxState {
  remote: MediaEndpoint;
  codec: AudioCodec;
  pcm: Int16Array;       // one ptime of samples being collected from microphone periods
  pcmFill: number;
  bufs: Buffer[];
  busy: boolean[];
  done: Array<(err: Error | null) => void>;
  next: number;
  ssrc: number; seq: number; ts: number; tsStep: number; first: boolean;
  /** Reused header fields object (no object literal per packet). */
  hdr: RtpHeaderFields;
}

function freshStats(port: number): RtpStreamStats {
  return {
    packetsSent: 0, octetsSent: 0, packetsReceived: 0, octetsReceived: 0, packetsLost: 0, jitterMs: 0, latencyMs: 0,
    localPort: port, malformed: 0, unexpectedSource: 0, wrongPayloadType: 0, late: 0, duplicates: 0, concealed: 0,
    underruns: 0, txBusy: 0, sendErrors: 0,
  };
}

/** '::ffff:10.0.0.1' (IPv4-mapped, seen on dual-stack sockets) → '10.0.0.1'. */
function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export class RtpMediaEngine implements MediaEngine {
  private readonly streams = new Map<number, Stream>();
  private readonly view = newRtpView();
  private readonly rand = new Uint32Array(3);
  private readonly bindAddress: string;
  private micRunning = false;

  constructor(private readonly opts: RtpMediaEngineOptions) {
    this.bindAddress = opts.bindAddress ?? '127.0.0.1';
  }

  capabilities(): readonly CodecChoice[] { return CAPABILITIES; }

  activeStreams(): number[] { return [...this.streams.keys()]; }

  stats(id: number): RtpStreamStats | undefined {
    const s = this.streams.get(id);
    if (!s) return undefined;
    const c = s.playout.counters;
    Object.assign(s.stats, { late: c.late, duplicates: c.duplicates, concealed: c.concealed, underruns: c.underruns });
    s.stats.packetsLost = s.lostPrior + this.currentLost(s);
    s.stats.jitterMs = s.rxCodec ? s.jitter / s.rxCodec.tsPerMs : 0;
    return { ...s.stats };
  }

  async openReceive(id: number, choice: CodecChoice): Promise<MediaEndpoint> {
    const codec = requireCodec(choice.codec, `openReceive(id ${id})`);
    const s = this.streams.get(id) ?? (await this.createStream(id));
    if (!s.rxCodec || s.rxCodec !== codec || s.rxPcm.length !== choice.ptimeMs * codec.samplesPerMs) {
      s.rxPcm = new Int16Array(choice.ptimeMs * codec.samplesPerMs);
      s.playout.reset();
    }
    s.rxCodec = codec;
    s.rxOpen = true;
    return { address: this.bindAddress, port: s.port };
  }

  async startTransmit(id: number, remote: MediaEndpoint, choice: CodecChoice): Promise<void> {
    const op = `startTransmit(id ${id})`;
    const codec = requireCodec(choice.codec, op);
    const mic = this.opts.microphone;
    if (mic.format.sampleRate !== codec.sampleRate) {
      throw new Error(`media: ${op}: microphone '${mic.name}' runs at ${mic.format.sampleRate} Hz but ${codec.name} needs ` +
        `${codec.sampleRate} Hz (hint: configure the capture device for ${codec.sampleRate} Hz)`);
    }
    if (!Number.isInteger(remote.port) || remote.port <= 0 || remote.port > 65535 || !isIP(remote.address)) {
      throw new Error(`media: ${op}: bad remote endpoint ${remote.address}:${remote.port} (hint: expected an IP literal and port 1..65535)`);
    }
    const s = this.streams.get(id) ?? (await this.createStream(id));
    const frame = choice.ptimeMs * codec.samplesPerMs;
    const bytes = RTP_HEADER_LEN + codec.payloadBytes(choice.ptimeMs);
    randomFillSync(this.rand);                        // RFC 3550 §5.1: random SSRC, initial seq and ts
    const tx: TxState = {
      remote: { address: plainAddress(remote.address), port: remote.port }, codec,
      pcm: new Int16Array(frame), pcmFill: 0,
      bufs: Array.from({ length: TX_BUFFERS }, () => Buffer.alloc(bytes)),
      busy: new Array<boolean>(TX_BUFFERS).fill(false), done: [], next: 0,
      ssrc: this.rand[0]!, seq: this.rand[1]! & 0xffff, ts: this.rand[2]!,
      tsStep: choice.ptimeMs * codec.tsPerMs, first: true,
      hdr: { pt: codec.payloadType, seq: 0, ts: 0, ssrc: 0, marker: false },
    };
    for (let i = 0; i < TX_BUFFERS; i++) {
      tx.done.push((err) => {                         // one preallocated completion per buffer
        tx.busy[i] = false;
        if (err) { s.stats.sendErrors++; this.opts.log?.('warn', `media: stream ${id}: send to ${tx.remote.address}:${tx.remote.port}: ${err.message}`); }
      });
    }
    s.tx = tx;
    await this.updateMic();
  }

  async stopTransmit(id: number): Promise<void> {
    const s = this.streams.get(id);
    if (!s) return;
    s.tx = undefined;
    await this.updateMic();
    if (!s.rxOpen) await this.destroy(s);
  }

  async closeReceive(id: number): Promise<void> {
    const s = this.streams.get(id);
    if (!s) return;
    s.rxOpen = false;
    this.stopPlayout(s);
    s.playout.reset();
    if (!s.tx) await this.destroy(s);
  }

  async close(): Promise<void> {
    for (const s of [...this.streams.values()]) { s.tx = undefined; s.rxOpen = false; this.stopPlayout(s); await this.destroy(s); }
    await this.updateMic();
  }

  // ---- sockets ----

  private async createStream(id: number): Promise<Stream> {
    const socket = await this.bindPreferEven(id);
    const s: Stream = {
      id, socket, port: socket.address().port, closed: false,
      rxOpen: false, rxCodec: undefined, rxPcm: new Int16Array(0), playout: this.opts.playout?.() ?? new FixedPlayoutBuffer(),
      playTimer: undefined, idleTicks: 0,
      rxSsrc: 0, rxStarted: false, baseSeq: 0, maxSeq: 0, cycles: 0, rxCount: 0, lostPrior: 0, lastTransit: 0, jitter: 0,
      tx: undefined, stats: freshStats(0),
    };
    s.stats.localPort = s.port;
    socket.on('message', (msg, rinfo) => this.onPacket(s, msg, rinfo));
    socket.on('error', (err) => this.opts.log?.('warn', `media: stream ${id} port ${s.port}: socket error: ${err.message}`));
    this.streams.set(id, s);
    return s;
  }

  /** RFC 3550 §11: RTP on an even port, RTCP on the next odd one. Try a few times, then accept odd. */
  private async bindPreferEven(id: number): Promise<dgram.Socket> {
    const type = isIP(this.bindAddress) === 6 ? 'udp6' : 'udp4';
    let last: dgram.Socket | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const want = last && last.address().port < 65535 ? last.address().port + 1 : 0;
      if (last) { const l = last; await new Promise<void>((r) => l.close(() => r())); last = undefined; }
      const sock = dgram.createSocket({ type, reuseAddr: false });
      try {
        await new Promise<void>((resolve, reject) => {
          sock.once('error', reject);
          sock.bind(want, this.bindAddress, () => { sock.off('error', reject); resolve(); });
        });
      } catch (e) {
        sock.close();
        if (attempt === 3) {
          throw new Error(`media: openReceive(id ${id}): cannot bind UDP on ${this.bindAddress}: ${(e as Error).message} ` +
            `(hint: check bindAddress is an address of this host)`, { cause: e });
        }
        continue;
      }
      if (sock.address().port % 2 === 0 || attempt === 3) return sock;
      last = sock;
    }
    return last!;
  }

  private async destroy(s: Stream): Promise<void> {
    if (s.closed) return;
    s.closed = true;
    this.stopPlayout(s);
    this.streams.delete(s.id);
    await new Promise<void>((r) => s.socket.close(() => r()));
  }

  // ---- transmit ----

  private async updateMic(): Promise<void> {
    let want = false;
    for (const s of this.streams.values()) if (s.tx) want = true;
    if (want && !this.micRunning) {
      this.micRunning = true;
      await this.opts.microphone.start((samples) => this.onMicPeriod(samples));
    } else if (!want && this.micRunning) {
      this.micRunning = false;
      await this.opts.microphone.stop();
    }
  }

  private onMicPeriod(samples: Int16Array): void {
    for (const s of this.streams.values()) {
      const tx = s.tx;
      if (!tx) continue;
      let i = 0;
      while (i < samples.length) {
        const n = Math.min(samples.length - i, tx.pcm.length - tx.pcmFill);
        const pcm = tx.pcm;
        for (let k = 0; k < n; k++) pcm[tx.pcmFill + k] = samples[i + k]!;   // no subarray view per period
        tx.pcmFill += n;
        i += n;
        if (tx.pcmFill === tx.pcm.length) { this.sendFrame(s, tx); tx.pcmFill = 0; }
      }
    }
  }

  private sendFrame(s: Stream, tx: TxState): void {
    const k = tx.next;
    if (tx.busy[k]) { s.stats.txBusy++; return; }
    tx.next = (k + 1) % TX_BUFFERS;
    const buf = tx.bufs[k]!;
    const h = tx.hdr;
    h.seq = tx.seq; h.ts = tx.ts; h.ssrc = tx.ssrc; h.marker = tx.first;
    const hl = writeRtpHeader(buf, 0, h);
    const pl = tx.codec.encode(tx.pcm, 0, tx.pcm.length, buf, hl);
    tx.first = false;                                 // RFC 3551 §4.1: marker on the first packet of a talkspurt
    tx.seq = (tx.seq + 1) & 0xffff;
    tx.ts = (tx.ts + tx.tsStep) >>> 0;
    tx.busy[k] = true;
    try {
      s.socket.send(buf, 0, hl + pl, tx.remote.port, tx.remote.address, tx.done[k]);
      s.stats.packetsSent++;
      s.stats.octetsSent += pl;                       // RFC 3550 §6.4.1: payload octets only
    } catch (e) {
      tx.busy[k] = false;
      s.stats.sendErrors++;
      this.opts.log?.('warn', `media: stream ${s.id}: send: ${(e as Error).message}`);
    }
  }

  // ---- receive ----

  private onPacket(s: Stream, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (!s.rxOpen || !s.rxCodec) return;
    const v = this.view;
    if (parseRtp(msg, msg.length, v) !== RtpStatus.OK) { s.stats.malformed++; return; }
    if (s.tx && (rinfo.port !== s.tx.remote.port || plainAddress(rinfo.address) !== s.tx.remote.address)) {
      s.stats.unexpectedSource++;
      return;
    }
    if (v.pt !== s.rxCodec.payloadType) { s.stats.wrongPayloadType++; return; }
    if (!s.rxStarted || v.ssrc !== s.rxSsrc) {         // first packet, or the far end restarted
      if (s.rxStarted) { s.playout.reset(); s.lostPrior += this.currentLost(s); }
      s.rxStarted = true; s.rxSsrc = v.ssrc; s.baseSeq = v.seq; s.maxSeq = v.seq; s.cycles = 0;
      s.rxCount = 0; s.jitter = 0;
      s.lastTransit = this.opts.clock.now() * s.rxCodec.tsPerMs - v.ts;
    } else {
      const d = seqDelta(s.maxSeq, v.seq);            // RFC 3550 A.1: extended highest sequence
      if (d > 0) { if (v.seq < s.maxSeq) s.cycles += 65536; s.maxSeq = v.seq; }
      const transit = this.opts.clock.now() * s.rxCodec.tsPerMs - v.ts;   // RFC 3550 A.8, in ts units
      let dt = transit - s.lastTransit;
      s.lastTransit = transit;
      if (dt < 0) dt = -dt;
      s.jitter += (dt - s.jitter) * JITTER_GAIN;
    }
    s.rxCount++;
    s.stats.packetsReceived++;
    s.stats.octetsReceived += v.payloadLength;
    s.playout.put(v.seq, msg, v.payloadOffset, v.payloadLength);
    s.idleTicks = 0;
    if (!s.playTimer) {
      const periodMs = s.rxPcm.length / s.rxCodec.samplesPerMs;
      s.playTimer = this.opts.clock.setInterval(() => this.playTick(s), periodMs);
    }
  }

  /** RFC 3550 A.3: expected (extended highest − base + 1) minus received; duplicates can make it negative. */
  private currentLost(s: Stream): number {
    if (!s.rxStarted) return 0;
    return Math.max(0, s.cycles + s.maxSeq - s.baseSeq + 1 - s.rxCount);
  }

  private playTick(s: Stream): void {
    if (!s.rxCodec) return;
    const r = s.playout.pull(s.rxCodec, s.rxPcm);
    if (r === PullResult.BUFFERING) {
      if (++s.idleTicks >= PLAYOUT_IDLE_TICKS) this.stopPlayout(s);
      return;
    }
    s.idleTicks = 0;
    try {
      this.opts.speaker.write(s.rxPcm);
    } catch (e) {
      this.opts.log?.('warn', `media: stream ${s.id}: speaker '${this.opts.speaker.name}' write: ${(e as Error).message}`);
    }
  }

  private stopPlayout(s: Stream): void {
    if (s.playTimer) { this.opts.clock.clearInterval(s.playTimer); s.playTimer = undefined; }
  }
}
