/**
 * MediaEngine over RTP/UDP (RFC 3550, RFC 3551 audio profile). Per stream id: one UDP socket on an
 * even port for RTP (receive and send, symmetric RTP) and one on port+1 for RTCP (RFC 3550 §11).
 * Transmit is paced by the microphone's periods; receive goes through a PlayoutBuffer pulled
 * once per packet time on the injected Clock and written to the speaker (normally a mixer channel).
 * RTCP (rtcp-session.ts) reports every ~5 s and measures the round trip; DTMF uses RFC 4733 events.
 *
 * Hot path: one reusable RtpView, preallocated packet/PCM buffers; bad input is counted, never thrown.
 */
import { randomFillSync } from 'node:crypto';
import dgram from 'node:dgram';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmSink, PcmSource } from '../../hal/api/pcm.js';
import type { CodecChoice, MediaEndpoint, MediaEngine, MediaStats } from './engine.js';
import { type AudioCodec, requireCodec } from './codecs.js';
import { DTMF_DEFAULT_PT, DTMF_PAYLOAD_LEN, DtmfReceiver, DtmfSender } from './dtmf.js';
import { FixedPlayoutBuffer, PullResult, type PlayoutBuffer } from './playout.js';
import { RtcpSession } from './rtcp-session.js';
import { bindRtpPair } from './udp-pair.js';
import { RTP_HEADER_LEN, type RtpHeaderFields, RtpStatus, newRtpView, parseRtp, writeRtpHeader } from './rtp.js';

export type MediaLog = (level: 'debug' | 'info' | 'warn', msg: string) => void;
export type DtmfHandler = (id: number, digit: string) => void;

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
  /** RFC 4733 telephone-event payload type, sent and accepted (default 101). */
  dtmfPayloadType?: number;
  /** Called once per received RFC 4733 event (digit '0'-'9', '*', '#', 'A'-'D'). */
  onDtmf?: DtmfHandler;
  /** RTCP SDES CNAME (RFC 3550 §6.5.1). Default "deskphone@<hostname>". */
  cname?: string;
  /** Mean RTCP report interval (default 5000 ms, RFC 3550 §6.2). */
  rtcpIntervalMs?: number;
  /** Uniform [0,1) source for RTCP interval randomisation (tests inject a seeded one). */
  random?: () => number;
}

/** MediaStats plus the engine's drop counters and RTCP results. */
export interface RtpStreamStats extends MediaStats {
  localPort: number;
  /** Local RTCP port (localPort + 1). */
  rtcpPort: number;
  /** Packets that failed RTP parsing (RtpStatus other than OK). */
  malformed: number;
  /** Packets from an address/port other than the remote, once transmit started. */
  unexpectedSource: number;
  /** Valid RTP with a payload type other than the negotiated codec's or telephone-event. */
  wrongPayloadType: number;
  late: number; duplicates: number; concealed: number; underruns: number;
  /** Transmit periods skipped because every packet buffer was still in flight. */
  txBusy: number;
  /** Socket send errors (counted; the stream keeps going). */
  sendErrors: number;
  /** RTCP round-trip time (RFC 3550 §6.4.1 A−LSR−DLSR) in ms, undefined until measured. */
  rttMs: number | undefined;
  rtcpSent: number; rtcpReceived: number; rtcpMalformed: number;
  /** Far end's view of our stream from its last report block: fraction lost (0..1) and cumulative lost. */
  remoteFractionLost: number; remoteCumulativeLost: number;
  dtmfReceived: number; dtmfSent: number;
}

/** Codecs offered in CapabilitiesRes, preference order: G.711 µ-law then A-law at 20 ms (RFC 3551 §4.5.14). */
const CAPABILITIES: readonly CodecChoice[] = Object.freeze([
  Object.freeze({ codec: 'PCMU', ptimeMs: 20 }), Object.freeze({ codec: 'PCMA', ptimeMs: 20 }),
]);
/** Packet buffers per transmit stream: ~80 ms of 20 ms packets may be in flight in the kernel. */
const TX_BUFFERS = 4;
/** Playout timer stops after this many empty pulls (1 s at 20 ms) and restarts on the next packet. */
const PLAYOUT_IDLE_TICKS = 50;

interface Stream {
  id: number;
  socket: dgram.Socket;
  rtcpSocket: dgram.Socket;
  port: number;
  closed: boolean;
  rxOpen: boolean;
  rxCodec: AudioCodec | undefined;
  rxPcm: Int16Array;
  playout: PlayoutBuffer;
  playTimer: TimerHandle | undefined;
  idleTicks: number;
  rtcp: RtcpSession;
  /** Where RTCP goes: the remote's port+1 once transmit starts, else the RTP source's port+1. */
  rtcpDest: MediaEndpoint | undefined;
  dtmfRx: DtmfReceiver;
  /** Settles when the last RTCP send completed. */
  rtcpPending: Promise<void>;
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
  seq: number; ts: number; tsStep: number; first: boolean;
  /** Reused header fields object (no object literal per packet). */
  hdr: RtpHeaderFields;
  dtmf: DtmfSender;
}

function freshStats(port: number): RtpStreamStats {
  return {
    packetsSent: 0, octetsSent: 0, packetsReceived: 0, octetsReceived: 0, packetsLost: 0, jitterMs: 0, latencyMs: 0,
    localPort: port, rtcpPort: port + 1, malformed: 0, unexpectedSource: 0, wrongPayloadType: 0, late: 0, duplicates: 0,
    concealed: 0, underruns: 0, txBusy: 0, sendErrors: 0, rttMs: undefined, rtcpSent: 0, rtcpReceived: 0,
    rtcpMalformed: 0, remoteFractionLost: 0, remoteCumulativeLost: 0, dtmfReceived: 0, dtmfSent: 0,
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
  private readonly dtmfPt: number;
  private readonly dtmfHandlers = new Set<DtmfHandler>();
  private micRunning = false;

  constructor(private readonly opts: RtpMediaEngineOptions) {
    this.bindAddress = opts.bindAddress ?? '127.0.0.1';
    this.dtmfPt = opts.dtmfPayloadType ?? DTMF_DEFAULT_PT;
    if (opts.onDtmf) this.dtmfHandlers.add(opts.onDtmf);
  }

  capabilities(): readonly CodecChoice[] { return CAPABILITIES; }

  activeStreams(): number[] { return [...this.streams.keys()]; }

  /** Registers a received-DTMF listener; returns its remover. */
  onDtmf(cb: DtmfHandler): () => void {
    this.dtmfHandlers.add(cb);
    return () => this.dtmfHandlers.delete(cb);
  }

  stats(id: number): RtpStreamStats | undefined {
    const s = this.streams.get(id);
    if (!s) return undefined;
    const c = s.playout.counters;
    const r = s.rtcp;
    Object.assign(s.stats, {
      late: c.late, duplicates: c.duplicates, concealed: c.concealed, underruns: c.underruns,
      packetsLost: r.totalLost(), jitterMs: s.rxCodec ? r.jitter / s.rxCodec.tsPerMs : 0,
      rttMs: r.rttMs, latencyMs: r.rttMs === undefined ? 0 : Math.round(r.rttMs),   // SCCP reports whole ms
      rtcpSent: r.reportsSent, rtcpReceived: r.remoteReports, rtcpMalformed: r.malformed,
      remoteFractionLost: r.remoteReport.fractionLost / 256, remoteCumulativeLost: r.remoteReport.cumulativeLost,
      dtmfSent: s.tx?.dtmf.eventsSent ?? s.stats.dtmfSent,
    });
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
    const bytes = RTP_HEADER_LEN + Math.max(codec.payloadBytes(choice.ptimeMs), DTMF_PAYLOAD_LEN);
    randomFillSync(this.rand);                        // RFC 3550 §5.1: random initial seq and ts (SSRC: the session's)
    const address = plainAddress(remote.address);
    const tx: TxState = {
      remote: { address, port: remote.port }, codec,
      pcm: new Int16Array(frame), pcmFill: 0,
      bufs: Array.from({ length: TX_BUFFERS }, () => Buffer.alloc(bytes)),
      busy: new Array<boolean>(TX_BUFFERS).fill(false), done: [], next: 0,
      seq: this.rand[1]! & 0xffff, ts: this.rand[2]!,
      tsStep: choice.ptimeMs * codec.tsPerMs, first: true,
      hdr: { pt: codec.payloadType, seq: 0, ts: 0, ssrc: s.rtcp.ssrc, marker: false },
      dtmf: new DtmfSender(),
    };
    for (let i = 0; i < TX_BUFFERS; i++) {
      tx.done.push((err) => {                         // one preallocated completion per buffer
        tx.busy[i] = false;
        if (err) { s.stats.sendErrors++; this.opts.log?.('warn', `media: stream ${id}: send to ${tx.remote.address}:${tx.remote.port}: ${err.message}`); }
      });
    }
    s.tx = tx;
    s.rtcpDest = { address, port: remote.port + 1 };  // RFC 3550 §11: RTCP on the next higher port
    s.rtcp.start();
    await this.updateMic();
  }

  /** Queues an RFC 4733 event on stream `id`'s transmit path (sent in place of audio for `ms`). */
  sendDtmf(id: number, digit: string, ms: number): void {
    const tx = this.streams.get(id)?.tx;
    if (!tx) throw new Error(`media: sendDtmf(id ${id}, '${digit}'): no transmit stream (hint: call startTransmit first)`);
    try {
      tx.dtmf.enqueue(digit, ms * tx.codec.tsPerMs);   // telephone-event uses the audio's RTP clock (RFC 4733 §2.3.5)
    } catch (e) {
      throw new Error(`media: sendDtmf(id ${id}): ${(e as Error).message}`, { cause: e });
    }
  }

  async stopTransmit(id: number): Promise<void> {
    const s = this.streams.get(id);
    if (!s) return;
    if (s.tx) s.stats.dtmfSent = s.tx.dtmf.eventsSent;
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
    const [socket, rtcpSocket] = await bindRtpPair(this.bindAddress, `openReceive(id ${id})`);
    const port = socket.address().port;
    randomFillSync(this.rand);
    const s: Stream = {
      id, socket, rtcpSocket, port, closed: false,
      rxOpen: false, rxCodec: undefined, rxPcm: new Int16Array(0), playout: this.opts.playout?.() ?? new FixedPlayoutBuffer(),
      playTimer: undefined, idleTicks: 0, rtcpDest: undefined, dtmfRx: new DtmfReceiver(), rtcpPending: Promise.resolve(), tx: undefined, stats: freshStats(port),
      rtcp: new RtcpSession({
        clock: this.opts.clock, ssrc: this.rand[0]!, cname: this.opts.cname ?? `deskphone@${hostname()}`,
        send: (buf, len) => this.sendRtcp(s, buf, len),
        ...(this.opts.rtcpIntervalMs !== undefined ? { intervalMs: this.opts.rtcpIntervalMs } : {}),
        ...(this.opts.random ? { random: this.opts.random } : {}),
      }),
    };
    socket.on('message', (msg, rinfo) => this.onPacket(s, msg, rinfo));
    socket.on('error', (err) => this.opts.log?.('warn', `media: stream ${id} port ${port}: socket error: ${err.message}`));
    rtcpSocket.on('message', (msg) => { s.rtcp.onRtcp(msg, msg.length); });
    rtcpSocket.on('error', (err) => this.opts.log?.('warn', `media: stream ${id} RTCP port ${port + 1}: socket error: ${err.message}`));
    this.streams.set(id, s);
    return s;
  }

  private async destroy(s: Stream): Promise<void> {
    if (s.closed) return;
    this.stopPlayout(s);
    s.rtcp.stop(s.rtcpDest !== undefined);            // RFC 3550 §6.3.7: BYE when leaving
    s.closed = true;
    this.streams.delete(s.id);
    await s.rtcpPending;                              // let the BYE leave before the socket closes
    await Promise.all([s.socket, s.rtcpSocket].map((k) => new Promise<void>((r) => k.close(() => r()))));
  }

  private sendRtcp(s: Stream, buf: Uint8Array, len: number): void {
    const d = s.rtcpDest;
    if (!d || s.closed) return;
    s.rtcpPending = new Promise<void>((done) => {
      const fail = (err: Error): void => {
        this.opts.log?.('debug', `media: stream ${s.id}: RTCP send to ${d.address}:${d.port}: ${err.message}`);
        done();
      };
      try {
        // Copy: the session reuses its buffer and dgram sends asynchronously (one ~100-byte copy per ~5 s).
        s.rtcpSocket.send(Buffer.from(buf.subarray(0, len)), d.port, d.address, (err) => (err ? fail(err) : done()));
      } catch (e) { fail(e as Error); }
    });
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
    if (tx.busy[k]) { s.stats.txBusy++; tx.ts = (tx.ts + tx.tsStep) >>> 0; return; }   // keep ts on the media clock
    tx.next = (k + 1) % TX_BUFFERS;
    const buf = tx.bufs[k]!;
    const h = tx.hdr;
    h.seq = tx.seq;
    const ev = tx.dtmf.active ? tx.dtmf.step(tx.ts, tx.tsStep, buf, RTP_HEADER_LEN) : 0;
    let pl: number;
    if (ev > 0) {
      h.pt = this.dtmfPt; h.ts = tx.dtmf.eventTs; h.marker = tx.dtmf.marker;   // RFC 4733 §2.5.1.2/§2.5.1.3
      writeRtpHeader(buf, 0, h);
      pl = ev;
      if (!tx.dtmf.active) tx.first = true;           // RFC 3551 §4.1: audio after the event starts a talkspurt
    } else {
      h.pt = tx.codec.payloadType; h.ts = tx.ts; h.marker = tx.first;
      writeRtpHeader(buf, 0, h);
      pl = tx.codec.encode(tx.pcm, 0, tx.pcm.length, buf, RTP_HEADER_LEN);
      tx.first = false;                               // RFC 3551 §4.1: marker on the first packet of a talkspurt
    }
    s.rtcp.onRtpSent(h.ts, pl, tx.codec.tsPerMs);
    tx.seq = (tx.seq + 1) & 0xffff;
    tx.ts = (tx.ts + tx.tsStep) >>> 0;
    tx.busy[k] = true;
    try {
      s.socket.send(buf, 0, RTP_HEADER_LEN + pl, tx.remote.port, tx.remote.address, tx.done[k]);
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
    const isDtmf = v.pt === this.dtmfPt;
    if (v.pt !== s.rxCodec.payloadType && !isDtmf) { s.stats.wrongPayloadType++; return; }
    if (s.rtcp.onRtp(v.ssrc, v.seq, v.ts, s.rxCodec.tsPerMs, !isDtmf)) {
      s.playout.reset();                              // first packet or the far end restarted (new SSRC)
      s.dtmfRx.reset();
      if (!s.tx) s.rtcpDest = { address: plainAddress(rinfo.address), port: rinfo.port + 1 };
      s.rtcp.start();
    }
    s.stats.packetsReceived++;
    s.stats.octetsReceived += v.payloadLength;
    if (isDtmf) { this.onDtmfPacket(s, msg); return; }
    s.playout.put(v.seq, msg, v.payloadOffset, v.payloadLength);
    s.idleTicks = 0;
    if (!s.playTimer) {
      const periodMs = s.rxPcm.length / s.rxCodec.samplesPerMs;
      s.playTimer = this.opts.clock.setInterval(() => this.playTick(s), periodMs);
    }
  }

  private onDtmfPacket(s: Stream, msg: Buffer): void {
    const v = this.view;
    const digit = s.dtmfRx.onPacket(v.ssrc, v.ts, msg, v.payloadOffset, v.payloadLength);
    if (digit === undefined) return;
    s.stats.dtmfReceived++;
    for (const cb of this.dtmfHandlers) {
      try { cb(s.id, digit); } catch (e) { this.opts.log?.('warn', `media: stream ${s.id}: DTMF handler: ${(e as Error).message}`); }
    }
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
