/**
 * Transmit side of one RTP stream: microphone periods → (rate conversion) → one ptime of PCM →
 * codec → RTP packet (RFC 3550 §5.1) → UDP. Paced by the microphone (any period/ptime ratio).
 *
 * Steady state allocates nothing of ours: a ring of TX_BUFFERS exact-length packet buffers (so
 * dgram sends the Buffer as is, without slicing an offset/length view), a reused header object, a
 * per-stream codec instance (G.722 keeps state).
 *
 * No send callback: with one, Node's dgram allocates ~300 B more per send (completion wrap and
 * callback scheduling; measured in bench-pipeline.ts). Buffer reuse is instead made safe with
 * `socket.getSendQueueCount()`: a buffer stays busy until libuv's send queue is empty. The address
 * lookup dgram defers by one tick has always run by the next microphone callback. Send errors
 * then arrive as the socket's 'error' event (the engine counts them as sendErrors).
 */
import type dgram from 'node:dgram';
import type { CodecChoice, MediaEndpoint } from './engine.js';
import type { AudioCodec } from './codecs.js';
import { DTMF_PAYLOAD_LEN, DtmfSender } from './dtmf.js';
import type { RtcpSession } from './rtcp-session.js';
import { type RateConverter, rateConverter } from './resample.js';
import { RTP_HEADER_LEN, type RtpHeaderFields, writeRtpHeader } from './rtp.js';

/** Packet buffers per transmit stream: ~80 ms of 20 ms packets may be in flight in the kernel. */
export const TX_BUFFERS = 4;

/** Counters the transmit path updates (a subset of RtpStreamStats). */
export interface TxCounters { packetsSent: number; octetsSent: number; txBusy: number; sendErrors: number }

/** What the transmit path needs of its socket (a dgram.Socket; benchmarks pass a counting stand-in). */
export type RtpSendSocket = Pick<dgram.Socket, 'send' | 'getSendQueueCount'>;

export interface TxPathOptions {
  socket: RtpSendSocket;
  remote: MediaEndpoint;
  /** Registry entry; the path takes its own instance (`codec.instance?.() ?? codec`). */
  codec: AudioCodec;
  choice: CodecChoice;
  /** Microphone sample rate; converted 2:1 when it differs from the codec's (8 kHz ↔ 16 kHz). */
  micRate: number;
  ssrc: number;
  /** Random initial sequence number and timestamp (RFC 3550 §5.1). */
  seq: number;
  ts: number;
  dtmfPt: number;
  rtcp: RtcpSession;
  counters: TxCounters;
  onSendError: (err: Error) => void;
}

export class TxPath {
  readonly remote: MediaEndpoint;
  readonly codec: AudioCodec;
  readonly dtmf = new DtmfSender();
  private readonly socket: RtpSendSocket;
  private readonly rtcp: RtcpSession;
  private readonly counters: TxCounters;
  private readonly dtmfPt: number;
  private readonly onSendError: (err: Error) => void;
  private readonly conv: RateConverter | undefined;
  private convBuf: Int16Array;                     // microphone period after rate conversion (codec rate)
  private readonly pcm: Int16Array;               // one ptime being collected, at the codec's rate
  private pcmFill = 0;
  private readonly audio: Buffer[];               // exact-length audio packets
  private readonly events: Buffer[];              // exact-length RFC 4733 packets
  /** 1 while a slot's packet may still be queued in libuv (cleared when the send queue is empty). */
  private readonly busy: Uint8Array;
  private inFlight = 0;
  private next = 0;
  private seq: number;
  /** RTP timestamp as int32 (`| 0`): a small integer field, never a HeapNumber; writeRtpHeader emits it unsigned. */
  private ts: number;
  private readonly tsStep: number;
  /** RFC 3551 §4.1: marker on the first packet of a talkspurt (stream start, audio after DTMF). */
  private first = true;
  private readonly hdr: RtpHeaderFields;

  constructor(o: TxPathOptions) {
    this.socket = o.socket; this.remote = o.remote; this.rtcp = o.rtcp; this.counters = o.counters; this.dtmfPt = o.dtmfPt;
    this.onSendError = o.onSendError;
    this.codec = o.codec.instance?.() ?? o.codec;
    this.conv = rateConverter(o.micRate, this.codec.sampleRate);
    this.convBuf = new Int16Array(0);
    this.pcm = new Int16Array(o.choice.ptimeMs * this.codec.samplesPerMs);
    const audioLen = RTP_HEADER_LEN + this.codec.payloadBytes(o.choice.ptimeMs);
    this.audio = Array.from({ length: TX_BUFFERS }, () => Buffer.alloc(audioLen));
    this.events = Array.from({ length: TX_BUFFERS }, () => Buffer.alloc(RTP_HEADER_LEN + DTMF_PAYLOAD_LEN));
    this.busy = new Uint8Array(TX_BUFFERS);
    this.seq = o.seq & 0xffff;
    this.ts = o.ts | 0;
    this.tsStep = o.choice.ptimeMs * this.codec.tsPerMs;
    // int32 ts/ssrc in the reused header object as well (writeRtpHeader applies `>>> 0`).
    this.hdr = { pt: this.codec.payloadType, seq: 0, ts: 0, ssrc: o.ssrc | 0, marker: false };
  }

  /** One microphone period (at micRate). Sends a packet each time a ptime of audio is complete. */
  feed(samples: Int16Array): void {
    if (this.inFlight > 0 && this.socket.getSendQueueCount() === 0) { this.busy.fill(0); this.inFlight = 0; }
    let src = samples;
    let len = samples.length;
    if (this.conv) {
      const need = samples.length * 2;
      if (this.convBuf.length < need) this.convBuf = new Int16Array(need);   // first period (or a larger one) only
      len = this.conv.process(samples, 0, samples.length, this.convBuf, 0);
      src = this.convBuf;
    }
    const pcm = this.pcm;
    let i = 0;
    while (i < len) {
      const n = Math.min(len - i, pcm.length - this.pcmFill);
      for (let k = 0; k < n; k++) pcm[this.pcmFill + k] = src[i + k]!;   // no subarray view per period
      this.pcmFill += n;
      i += n;
      if (this.pcmFill === pcm.length) { this.sendFrame(); this.pcmFill = 0; }
    }
  }

  private sendFrame(): void {
    const k = this.next;
    if (this.busy[k]) { this.counters.txBusy++; this.ts = (this.ts + this.tsStep) | 0; return; }   // keep ts on the media clock
    this.next = (k + 1) % TX_BUFFERS;
    const h = this.hdr;
    h.seq = this.seq;
    let buf: Buffer;
    let pl: number;
    const ev = this.dtmf.active ? this.dtmf.step(this.ts, this.tsStep, this.events[k]!, RTP_HEADER_LEN) : 0;
    if (ev > 0) {
      buf = this.events[k]!;
      h.pt = this.dtmfPt; h.ts = this.dtmf.eventTs | 0; h.marker = this.dtmf.marker;   // RFC 4733 §2.5.1.2/§2.5.1.3
      writeRtpHeader(buf, 0, h);
      pl = ev;
      if (!this.dtmf.active) this.first = true;     // RFC 3551 §4.1: audio after the event starts a talkspurt
    } else {
      buf = this.audio[k]!;
      h.pt = this.codec.payloadType; h.ts = this.ts; h.marker = this.first;
      writeRtpHeader(buf, 0, h);
      pl = this.codec.encode(this.pcm, 0, this.pcm.length, buf, RTP_HEADER_LEN);
      this.first = false;
    }
    this.rtcp.onRtpSent(h.ts, pl, this.codec.tsPerMs);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + this.tsStep) | 0;
    this.busy[k] = 1; this.inFlight++;
    try {
      // buf.length === 12 + pl: no offset/length, so dgram sends this Buffer without slicing a view.
      this.socket.send(buf, this.remote.port, this.remote.address);
      this.counters.packetsSent++;
      this.counters.octetsSent += pl;               // RFC 3550 §6.4.1: payload octets only
    } catch (e) {
      this.busy[k] = 0;
      this.counters.sendErrors++;
      this.onSendError(e as Error);               // counted; the stream keeps going
    }
  }
}
