/**
 * MediaEngine over RTP/UDP (RFC 3550, RFC 3551 audio profile). Per stream id: one UDP socket on an
 * even port for RTP (receive and send, symmetric RTP) and one on port+1 for RTCP (RFC 3550 §11).
 * Transmit (rtp-tx.ts) is paced by the microphone's periods; receive (rtp-rx.ts) goes through an
 * AdaptiveJitterBuffer with PLC pulled once per packet time on the injected Clock and written to the
 * speaker (normally a mixer channel). Codecs run at their own rate (G.722: 16 kHz); the microphone
 * and speaker may run at 8 or 16 kHz, converted 2:1 (resample.ts). RTCP (rtcp-session.ts) reports
 * every ~5 s and measures the round trip; DTMF uses RFC 4733 events.
 *
 * Hot path: one reusable RtpView, preallocated packet/PCM buffers, no closures or iterators per
 * packet; bad input is counted, never thrown.
 */
import type dgram from 'node:dgram';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { PcmSink, PcmSource } from '../../hal/api/pcm.js';
import type { CodecChoice, MediaEndpoint, MediaEngine } from './engine.js';
import { requireCodec } from './codecs.js';
import { DTMF_DEFAULT_PT, DtmfReceiver } from './dtmf.js';
import { RtcpSession } from './rtcp-session.js';
import { type PlayoutFactory, RxPath, defaultPlayout } from './rtp-rx.js';
import { type RtpStreamStats, freshStats, plainAddress } from './rtp-stats.js';
import { TxPath } from './rtp-tx.js';
import { bindRtpPair } from './udp-pair.js';
import { fillRandom } from './kernel-random.js';
import { RtpStatus, newRtpView, parseRtp } from './rtp.js';

export type { RtpStreamStats } from './rtp-stats.js';
export type { PlayoutFactory } from './rtp-rx.js';

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
  /** Builds each stream's playout buffer (default: AdaptiveJitterBuffer with PLC on this clock). */
  playout?: PlayoutFactory;
  /** RFC 4733 telephone-event payload type, sent and accepted (default 101). */
  dtmfPayloadType?: number;
  /** Called once per received RFC 4733 event (digit '0'-'9', '*', '#', 'A'-'D'). */
  onDtmf?: DtmfHandler;
  /** RTCP SDES CNAME (RFC 3550 §6.5.1). Default "deskphone@<hostname>". */
  cname?: string;
  /**
   * Codecs offered, in this order of preference ('G722', 'PCMU', 'PCMA'; default all, in the
   * order of CAPABILITIES below). Names not in CAPABILITIES are an error.
   */
  codecs?: readonly string[];
  /** Mean RTCP report interval (default 5000 ms, RFC 3550 §6.2). */
  rtcpIntervalMs?: number;
  /** Uniform [0,1) source for RTCP interval randomisation (tests inject a seeded one). */
  random?: () => number;
}

/**
 * Codecs offered in CapabilitiesRes, in preference order: G.722 first (wideband 50–7000 Hz at the
 * same 64 kbit/s as G.711, RFC 3551 §4.5.2; ~0.1 ms CPU per 20 ms frame here, comfortably real time
 * on a Pi Zero 2 W), then G.711 µ-law and A-law (RFC 3551 §4.5.14) that every call manager and
 * phone has. All at 20 ms. The call manager makes the final choice from both stations' lists.
 */
const CAPABILITIES: readonly CodecChoice[] = Object.freeze([
  Object.freeze({ codec: 'G722', ptimeMs: 20 }),
  Object.freeze({ codec: 'PCMU', ptimeMs: 20 }), Object.freeze({ codec: 'PCMA', ptimeMs: 20 }),
]);
/** Playout timer stops after this many empty pulls (1 s at 20 ms) and restarts on the next packet. */
const PLAYOUT_IDLE_TICKS = 50;

interface Stream {
  id: number;
  socket: dgram.Socket;
  rtcpSocket: dgram.Socket;
  port: number;
  closed: boolean;
  rxOpen: boolean;
  rx: RxPath | undefined;
  playTimer: TimerHandle | undefined;
  /** The playout tick bound once per stream (no closure per timer start). */
  tick: () => void;
  idleTicks: number;
  rtcp: RtcpSession;
  /** Where RTCP goes: the remote's port+1 once transmit starts, else the RTP source's port+1. */
  rtcpDest: MediaEndpoint | undefined;
  dtmfRx: DtmfReceiver;
  /** Settles when the last RTCP send completed. */
  rtcpPending: Promise<void>;
  tx: TxPath | undefined;
  stats: RtpStreamStats;
}

export class RtpMediaEngine implements MediaEngine {
  private readonly streams = new Map<number, Stream>();
  /** Same streams as an array: the per-period microphone loop iterates it without a Map iterator. */
  private readonly list: Stream[] = [];
  private readonly view = newRtpView();
  private readonly rand = new Uint32Array(3);
  private readonly bindAddress: string;
  private readonly dtmfPt: number;
  private readonly playout: PlayoutFactory;
  private readonly dtmfHandlers = new Set<DtmfHandler>();
  private readonly micPeriod = (samples: Int16Array): void => this.onMicPeriod(samples);
  private micRunning = false;
  private readonly offered: readonly CodecChoice[];

  constructor(private readonly opts: RtpMediaEngineOptions) {
    this.bindAddress = opts.bindAddress ?? '127.0.0.1';
    this.dtmfPt = opts.dtmfPayloadType ?? DTMF_DEFAULT_PT;
    this.playout = opts.playout ?? defaultPlayout(opts.clock);
    if (opts.onDtmf) this.dtmfHandlers.add(opts.onDtmf);
    this.offered = opts.codecs ? Object.freeze(opts.codecs.map((name) => {
      const c = CAPABILITIES.find((x) => x.codec === name.toUpperCase());
      if (!c) throw new Error(`media: codecs: "${name}" is not one of ${CAPABILITIES.map((x) => x.codec).join(', ')}`);
      return c;
    })) : CAPABILITIES;
  }

  capabilities(): readonly CodecChoice[] { return this.offered; }

  activeStreams(): number[] { return [...this.streams.keys()]; }

  /** Codec names ('PCMU', 'PCMA', 'G722') of the open receive streams, oldest first (diagnostics, scenario checks). */
  receiveCodecs(): string[] {
    const out: string[] = [];
    for (const s of this.list) if (s.rxOpen && s.rx && !s.closed) out.push(s.rx.base.name);
    return out;
  }

  /** Registers a received-DTMF listener; returns its remover. */
  onDtmf(cb: DtmfHandler): () => void {
    this.dtmfHandlers.add(cb);
    return () => this.dtmfHandlers.delete(cb);
  }

  stats(id: number): RtpStreamStats | undefined {
    const s = this.streams.get(id);
    if (!s) return undefined;
    const c = s.rx?.playout.counters;
    const j = s.rx?.jitterStats;
    const r = s.rtcp;
    Object.assign(s.stats, {
      late: c?.late ?? 0, duplicates: c?.duplicates ?? 0, concealed: c?.concealed ?? 0, underruns: c?.underruns ?? 0,
      packetsLost: r.totalLost(), jitterMs: s.rx ? r.jitter / s.rx.codec.tsPerMs : 0,
      rttMs: r.rttMs, latencyMs: r.rttMs === undefined ? 0 : Math.round(r.rttMs),   // SCCP reports whole ms
      rtcpSent: r.reportsSent, rtcpReceived: r.remoteReports, rtcpMalformed: r.malformed,
      remoteFractionLost: r.remoteReport.fractionLost / 256, remoteCumulativeLost: r.remoteReport.cumulativeLost,
      dtmfSent: s.tx?.dtmf.eventsSent ?? s.stats.dtmfSent,
      rxCodec: s.rx ? `${s.rx.base.name}/${s.rx.ptimeMs}` : '', jitterBuffer: j ? { ...j } : undefined,
    });
    return { ...s.stats };
  }

  async openReceive(id: number, choice: CodecChoice): Promise<MediaEndpoint> {
    const op = `openReceive(id ${id})`;
    const codec = requireCodec(choice.codec, op);
    const spk = this.opts.speaker;
    const s = this.streams.get(id) ?? (await this.createStream(id));
    if (!s.rx || s.rx.base !== codec || s.rx.ptimeMs !== choice.ptimeMs) {
      let rx: RxPath;
      try {
        rx = new RxPath(codec, choice.ptimeMs, spk.format.sampleRate, this.playout);
      } catch (e) {
        if (!s.tx && !s.rxOpen) await this.destroy(s);
        throw new Error(`media: ${op}: speaker '${spk.name}' at ${spk.format.sampleRate} Hz, ${codec.name} at ` +
          `${codec.sampleRate} Hz: ${(e as Error).message} (hint: configure the playback device for 8000 or 16000 Hz)`, { cause: e });
      }
      this.stopPlayout(s);                            // the period may change with the packet time
      s.rx = rx;
    }
    s.rxOpen = true;
    return { address: this.bindAddress, port: s.port };
  }

  async startTransmit(id: number, remote: MediaEndpoint, choice: CodecChoice): Promise<void> {
    const op = `startTransmit(id ${id})`;
    const codec = requireCodec(choice.codec, op);
    const mic = this.opts.microphone;
    if (!Number.isInteger(remote.port) || remote.port <= 0 || remote.port > 65535 || !isIP(remote.address)) {
      throw new Error(`media: ${op}: bad remote endpoint ${remote.address}:${remote.port} (hint: expected an IP literal and port 1..65535)`);
    }
    const s = this.streams.get(id) ?? (await this.createStream(id));
    fillRandom(this.rand);                        // RFC 3550 §5.1: random initial seq and ts (SSRC: the session's)
    const address = plainAddress(remote.address);
    let tx: TxPath;
    try {
      tx = new TxPath({
        socket: s.socket, remote: { address, port: remote.port }, codec, choice, micRate: mic.format.sampleRate,
        ssrc: s.rtcp.ssrc, seq: this.rand[1]!, ts: this.rand[2]!, dtmfPt: this.dtmfPt, rtcp: s.rtcp, counters: s.stats,
        onSendError: (err) => this.opts.log?.('warn', `media: stream ${id}: send to ${address}:${remote.port}: ${err.message}`),
      });
    } catch (e) {
      if (!s.rxOpen && !s.tx) await this.destroy(s);
      throw new Error(`media: ${op}: microphone '${mic.name}' runs at ${mic.format.sampleRate} Hz, ${codec.name} needs ` +
        `${codec.sampleRate} Hz: ${(e as Error).message} (hint: configure the capture device for ${codec.sampleRate} Hz)`, { cause: e });
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
    s.rx?.reset();
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
    fillRandom(this.rand);
    const s: Stream = {
      id, socket, rtcpSocket, port, closed: false, rxOpen: false, rx: undefined,
      playTimer: undefined, tick: () => this.playTick(s), idleTicks: 0, rtcpDest: undefined, dtmfRx: new DtmfReceiver(),
      rtcpPending: Promise.resolve(), tx: undefined, stats: freshStats(port),
      rtcp: new RtcpSession({
        clock: this.opts.clock, ssrc: this.rand[0]!, cname: this.opts.cname ?? `deskphone@${hostname()}`,
        send: (buf, len) => this.sendRtcp(s, buf, len),
        ...(this.opts.rtcpIntervalMs !== undefined ? { intervalMs: this.opts.rtcpIntervalMs } : {}),
        ...(this.opts.random ? { random: this.opts.random } : {}),
      }),
    };
    socket.on('message', (msg, rinfo) => this.onPacket(s, msg, rinfo));
    socket.on('error', (err) => {                   // asynchronous send failures (sends carry no callback, see rtp-tx.ts)
      s.stats.sendErrors++;
      this.opts.log?.('warn', `media: stream ${id} port ${port}: socket error: ${err.message}`);
    });
    rtcpSocket.on('message', (msg, rinfo) => {
      // RTCP only from the negotiated peer's RTP port + 1 (RFC 3550 §11; docs/security.md §7).
      const d = s.tx ? s.rtcpDest : undefined;
      if (!d || rinfo.port !== d.port || plainAddress(rinfo.address) !== d.address) { s.stats.rtcpUnexpectedSource++; return; }
      s.rtcp.onRtcp(msg, msg.length);
    });
    rtcpSocket.on('error', (err) => this.opts.log?.('warn', `media: stream ${id} RTCP port ${port + 1}: socket error: ${err.message}`));
    this.streams.set(id, s);
    this.list.push(s);
    return s;
  }

  private async destroy(s: Stream): Promise<void> {
    if (s.closed) return;
    this.stopPlayout(s);
    s.rtcp.stop(s.rtcpDest !== undefined);            // RFC 3550 §6.3.7: BYE when leaving
    s.closed = true;
    this.streams.delete(s.id);
    const i = this.list.indexOf(s);
    if (i >= 0) this.list.splice(i, 1);
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
    for (const s of this.list) if (s.tx) want = true;
    if (want && !this.micRunning) {
      this.micRunning = true;
      await this.opts.microphone.start(this.micPeriod);
    } else if (!want && this.micRunning) {
      this.micRunning = false;
      await this.opts.microphone.stop();
    }
  }

  private onMicPeriod(samples: Int16Array): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i]!.tx?.feed(samples);
  }

  // ---- receive ----

  private onPacket(s: Stream, msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const rx = s.rx;
    if (!s.rxOpen || !rx) return;
    const v = this.view;
    if (parseRtp(msg, msg.length, v) !== RtpStatus.OK) { s.stats.malformed++; return; }
    // docs/security.md §7: media only from the negotiated peer, the address:port it receives on
    // (symmetric RTP, RFC 4961); nothing is played before StartMediaTransmission/MediaStart names it.
    if (!s.tx || rinfo.port !== s.tx.remote.port || plainAddress(rinfo.address) !== s.tx.remote.address) {
      s.stats.unexpectedSource++;
      return;
    }
    const isDtmf = v.pt === this.dtmfPt;
    if (v.pt !== rx.base.payloadType && !isDtmf) { s.stats.wrongPayloadType++; return; }
    if (s.rtcp.onRtp(v.ssrc | 0, v.seq, v.ts | 0, rx.codec.tsPerMs, !isDtmf)) {   // int32: no HeapNumber per call
      rx.reset();                                     // first packet or the far end restarted (new SSRC)
      s.dtmfRx.reset();
      if (!s.tx) s.rtcpDest = { address: plainAddress(rinfo.address), port: rinfo.port + 1 };
      s.rtcp.start();
    }
    s.stats.packetsReceived++;
    s.stats.octetsReceived += v.payloadLength;
    if (isDtmf) { this.onDtmfPacket(s, msg); return; }
    rx.put(v, msg);
    s.idleTicks = 0;
    if (!s.playTimer) s.playTimer = this.opts.clock.setInterval(s.tick, rx.periodMs);
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
    const frame = s.rx?.pull();
    if (frame === undefined) {
      if (++s.idleTicks >= PLAYOUT_IDLE_TICKS) this.stopPlayout(s);
      return;
    }
    s.idleTicks = 0;
    try {
      this.opts.speaker.write(frame);
    } catch (e) {
      this.opts.log?.('warn', `media: stream ${s.id}: speaker '${this.opts.speaker.name}' write: ${(e as Error).message}`);
    }
  }

  private stopPlayout(s: Stream): void {
    if (s.playTimer) { this.opts.clock.clearInterval(s.playTimer); s.playTimer = undefined; }
  }
}
