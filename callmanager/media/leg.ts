/**
 * One RTP endpoint the call manager terminates itself (a conference participant, a held party
 * hearing music): the firmware media pieces of one stream put together without a microphone or a
 * speaker. Receive: RTP parse (RFC 3550 §5.1) → source / payload-type checks → RTCP receiver
 * statistics → RxPath (adaptive jitter buffer, PLC, decoder). Transmit: PCM at the codec's rate →
 * TxPath (ptime packetising, encoder, header, send). RTCP SR/RR every ~5 s and BYE on close
 * (rtcp-session.ts). Media is accepted only from the remote once it is known (symmetric RTP,
 * RFC 4961; docs/security.md §7), as the phone's engine does.
 *
 * MediaLeg itself has no sockets (the mixer benchmark and allocation tests drive it with a
 * stand-in); UdpLeg binds the RTP/RTCP pair (RFC 3550 §11) and wires it in. Nothing is allocated
 * per packet in our code: the received Buffer is Node's, the view and counters are reused.
 */
import { randomFillSync } from 'node:crypto';
import type dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { Clock } from '../../hal/api/clock.js';
import { G722, PCMA, PCMU, type AudioCodec } from '../../firmware/media/codecs.js';
import { RtcpSession } from '../../firmware/media/rtcp-session.js';
import { RxPath, defaultPlayout } from '../../firmware/media/rtp-rx.js';
import { plainAddress } from '../../firmware/media/rtp-stats.js';
import { type RtpSendSocket, TxPath } from '../../firmware/media/rtp-tx.js';
import { RtpStatus, newRtpView, parseRtp } from '../../firmware/media/rtp.js';
import { bindRtpPair } from '../../firmware/media/udp-pair.js';
import { silentLogger, type Logger } from '../station.js';

/** Codec names as the call-manager config spells them (server.codecs). */
export type LegCodecName = 'ulaw' | 'alaw' | 'g722';

export function legCodec(name: LegCodecName): AudioCodec {
  const c = name === 'ulaw' ? PCMU : name === 'alaw' ? PCMA : name === 'g722' ? G722 : undefined;
  if (!c) throw new Error(`media: unknown codec '${String(name)}' (known: ulaw, alaw, g722)`);
  return c;
}

/** Packet times accepted: 10..60 ms in 10 ms steps (SCCP millisecondPacketSize, docs/sccp.md §3). */
export function checkPtime(ptimeMs: number, where: string): void {
  if (!Number.isInteger(ptimeMs) || ptimeMs < 10 || ptimeMs > 60 || ptimeMs % 10 !== 0) {
    throw new Error(`${where}: packet time ${ptimeMs} ms is not supported (hint: 10, 20, 30, 40, 50 or 60 ms; phones use 20)`);
  }
}

export interface LegStats {
  packetsReceived: number; octetsReceived: number; packetsSent: number; octetsSent: number;
  /** Unparseable RTP (RtpStatus other than OK). */
  malformed: number;
  /** RTP from anything but the remote address:port (all of it before the remote is known). */
  unexpectedSource: number;
  /** Valid RTP with another payload type than the leg's codec (RFC 4733 events included: not mixed). */
  wrongPayloadType: number;
  txBusy: number; sendErrors: number;
  rtcpSent: number; rtcpReceived: number;
}

export interface MediaLegOptions {
  clock: Clock;
  codec: AudioCodec;
  ptimeMs: number;
  socket: RtpSendSocket;
  /** Sends one RTCP compound packet to the remote's port + 1 (the buffer is reused). */
  rtcpSend: (buf: Uint8Array, len: number) => void;
  /** Whether received RTP is decoded (conference) or only counted (music on hold). */
  receive: boolean;
  cname: string;
  log?: Logger;
  /** Name in log lines ("conference 1 participant 3"). */
  name: string;
}

export class MediaLeg {
  readonly codec: AudioCodec;
  readonly ptimeMs: number;
  readonly rx: RxPath | undefined;
  tx: TxPath | undefined;
  remote: { address: string; port: number } | undefined;
  readonly rtcp: RtcpSession;
  readonly stats: LegStats = {
    packetsReceived: 0, octetsReceived: 0, packetsSent: 0, octetsSent: 0, malformed: 0, unexpectedSource: 0,
    wrongPayloadType: 0, txBusy: 0, sendErrors: 0, rtcpSent: 0, rtcpReceived: 0,
  };
  private readonly view = newRtpView();
  private readonly rand = new Uint32Array(3);
  private readonly log: Logger;

  constructor(private readonly o: MediaLegOptions) {
    checkPtime(o.ptimeMs, o.name);
    this.codec = o.codec;
    this.ptimeMs = o.ptimeMs;
    this.log = o.log ?? silentLogger;
    // The speaker rate is the codec's own: the mixer converts to its mixing rate itself.
    this.rx = o.receive ? new RxPath(o.codec, o.ptimeMs, o.codec.sampleRate, defaultPlayout(o.clock)) : undefined;
    randomFillSync(this.rand);                                  // RFC 3550 §5.1: random SSRC, seq, ts
    this.rtcp = new RtcpSession({ clock: o.clock, ssrc: this.rand[0]!, cname: o.cname, send: (b, l) => { this.stats.rtcpSent++; o.rtcpSend(b, l); } });
  }

  /** Where this leg's RTP goes (and the only source it accepts). Starts transmitting. */
  setRemote(ip: string, port: number): void {
    if (!Number.isInteger(port) || port <= 0 || port > 65535 || isIP(ip) === 0) {
      throw new Error(`${this.o.name}: bad remote endpoint ${ip}:${port} (hint: an IP literal and a port 1..65535)`);
    }
    const address = plainAddress(ip);
    if (this.tx && this.remote?.address === address && this.remote.port === port) return;
    this.remote = { address, port };
    this.tx = new TxPath({
      socket: this.o.socket, remote: this.remote, codec: this.codec, choice: { codec: this.codec.name, ptimeMs: this.ptimeMs },
      micRate: this.codec.sampleRate, ssrc: this.rtcp.ssrc, seq: this.rand[1]!, ts: this.rand[2]!, dtmfPt: 101,
      rtcp: this.rtcp, counters: this.stats,
      onSendError: (e) => this.log.warn(`${this.o.name}: send to ${address}:${port}: ${e.message}`),
    });
    this.rtcp.start();
  }

  /** One datagram from the RTP socket. */
  onRtp(msg: Uint8Array, len: number, address: string, port: number): void {
    const v = this.view;
    const st = this.stats;
    if (parseRtp(msg, len, v) !== RtpStatus.OK) { st.malformed++; return; }
    const r = this.remote;
    if (!r || port !== r.port || plainAddress(address) !== r.address) { st.unexpectedSource++; return; }
    if (v.pt !== this.codec.payloadType) { st.wrongPayloadType++; return; }
    st.packetsReceived++;
    st.octetsReceived += v.payloadLength;
    const rx = this.rx;
    // int32 ts/ssrc (`| 0`): no HeapNumber per call (docs/media.md "Benchmark", pipeline notes).
    if (this.rtcp.onRtp(v.ssrc | 0, v.seq, v.ts | 0, this.codec.tsPerMs, true)) rx?.reset();
    rx?.put(v, msg);
  }

  /** One datagram from the RTCP socket (accepted only from the remote's port + 1, RFC 3550 §11). */
  onRtcp(msg: Uint8Array, address: string, port: number): void {
    const r = this.remote;
    if (!r || port !== r.port + 1 || plainAddress(address) !== r.address) return;
    this.stats.rtcpReceived++;
    this.rtcp.onRtcp(msg, msg.length);
  }

  /** One ptime of received audio at the codec's rate, or undefined while nothing plays. */
  pull(): Int16Array | undefined { return this.rx?.pull(); }

  /** PCM at the codec's rate towards the remote (packets leave per ptime); dropped until the remote is known. */
  feed(pcm: Int16Array): void { this.tx?.feed(pcm); }

  /** Stops RTCP, with a BYE when we were sending (RFC 3550 §6.3.7). */
  stop(): void { this.rtcp.stop(this.remote !== undefined); }
}

export interface UdpLegOptions extends Omit<MediaLegOptions, 'socket' | 'rtcpSend' | 'cname'> {
  bindAddress: string;
  cname?: string;
}

/** A MediaLeg on its own RTP/RTCP socket pair (even port + 1, RFC 3550 §11). */
export class UdpLeg {
  readonly leg: MediaLeg;
  readonly localPort: number;
  readonly localAddress: string;
  private rtcpPending: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly rtp: dgram.Socket, private readonly rtcpSock: dgram.Socket, o: UdpLegOptions) {
    this.localPort = rtp.address().port;
    this.localAddress = o.bindAddress;
    const log = o.log ?? silentLogger;
    this.leg = new MediaLeg({ ...o, socket: rtp, cname: o.cname ?? `deskphone-cm@${o.bindAddress}`, rtcpSend: (b, l) => this.sendRtcp(b, l) });
    const leg = this.leg;
    rtp.on('message', (msg: Buffer, ri: dgram.RemoteInfo) => leg.onRtp(msg, msg.length, ri.address, ri.port));
    rtcpSock.on('message', (msg: Buffer, ri: dgram.RemoteInfo) => leg.onRtcp(msg, ri.address, ri.port));
    // Asynchronous send failures (TxPath sends without a callback, see rtp-tx.ts).
    rtp.on('error', (e) => { leg.stats.sendErrors++; log.warn(`${o.name}: RTP port ${this.localPort}: ${e.message}`); });
    rtcpSock.on('error', (e) => log.warn(`${o.name}: RTCP port ${this.localPort + 1}: ${e.message}`));
  }

  static async open(o: UdpLegOptions): Promise<UdpLeg> {
    checkPtime(o.ptimeMs, o.name);
    const [rtp, rtcp] = await bindRtpPair(o.bindAddress, o.name);
    return new UdpLeg(rtp, rtcp, o);
  }

  private sendRtcp(buf: Uint8Array, len: number): void {
    const r = this.leg.remote;
    if (!r || this.closed) return;
    // Copy: the session reuses its buffer and dgram sends asynchronously (one ~100 B copy per ~5 s).
    this.rtcpPending = new Promise<void>((done) => {
      try { this.rtcpSock.send(Buffer.from(buf.subarray(0, len)), r.port + 1, r.address, () => done()); } catch { done(); }
    });
  }

  /** BYE, then both sockets closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.leg.stop();
    this.closed = true;
    await this.rtcpPending;
    await Promise.all([this.rtp, this.rtcpSock].map((s) => new Promise<void>((r) => { try { s.close(() => r()); } catch { r(); } })));
  }
}
