/**
 * Per-stream RTCP state (RFC 3550 §6): receiver statistics (A.1 sequence tracking, A.3 loss,
 * A.8 jitter), sender counters, the randomised report timer (§6.3, simplified: no group-size
 * scaling or reconsideration, we are always a two-party session) and the round-trip time from
 * the LSR/DLSR of report blocks about our SSRC (§6.4.1).
 *
 * The engine owns the sockets: it feeds RTP/RTCP events in and gets compound packets out through
 * `send`. All buffers are preallocated; a report is built in place every ~5 s.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { seqDelta } from './rtp.js';
import {
  type RtcpReportBlock, type RtcpSenderInfo, RtcpStatus, newReportBlock, newRtcpView, ntpMiddle32, parseRtcp, setNtp,
  writeBye, writeReceiverReport, writeSdesCname, writeSenderReport,
} from './rtcp.js';

/** RFC 3550 §6.2: minimum average report interval 5 s (fixed: two-party session, no bandwidth scaling). */
export const RTCP_INTERVAL_MS = 5000;
/** RFC 3550 A.8: interarrival jitter estimator gain 1/16. */
const JITTER_GAIN = 1 / 16;
/** SR (28) + one block (24) + SDES with a CNAME up to 255 (268) + BYE (8), rounded up. */
const REPORT_BUF_LEN = 400;

export interface RtcpSessionOptions {
  clock: Clock;
  /** This endpoint's SSRC (also used for its RTP). */
  ssrc: number;
  /** RFC 3550 §6.5.1 canonical name, e.g. "deskphone@10.0.0.5". */
  cname: string;
  /** Sends one compound packet (the buffer is reused: send synchronously or copy). */
  send: (buf: Uint8Array, len: number) => void;
  /** Uniform [0, 1) for interval randomisation (default Math.random). */
  random?: () => number;
  intervalMs?: number;
}

export class RtcpSession {
  readonly ssrc: number;
  // ---- receiver statistics about the far end's RTP (RFC 3550 A.1/A.3/A.8) ----
  rxStarted = false;
  rxSsrc = 0;
  private baseSeq = 0; private maxSeq = 0; private cycles = 0;
  /** Packets received from the current source; loss accounted to earlier sources. */
  rxCount = 0; lostPrior = 0;
  private lastTransit = 0;
  /** Interarrival jitter in timestamp units (A.8). */
  jitter = 0;
  private expectedPrior = 0; private receivedPrior = 0;
  private rxSinceReport = false;
  // ---- far end's SR, for our report blocks' LSR/DLSR ----
  private lsr = 0;
  private lsrArrivalMid = 0;
  // ---- sender side ----
  packetsSent = 0; octetsSent = 0;
  private lastTs = 0; private lastTsAtMs = 0; private tsPerMs = 8;
  private sentSinceReport = false; private sentPrevInterval = false;
  // ---- results ----
  /** Last round-trip time measured from a report block about our SSRC, ms; undefined until one arrives. */
  rttMs: number | undefined;
  /** What the far end last reported about our stream. */
  readonly remoteReport: RtcpReportBlock = newReportBlock();
  remoteReports = 0;
  reportsSent = 0;
  malformed = 0;
  byeReceived = false;

  private readonly buf = new Uint8Array(REPORT_BUF_LEN);
  private readonly block = [newReportBlock()];
  private readonly si: RtcpSenderInfo = { ntpSec: 0, ntpFrac: 0, rtpTs: 0, packetCount: 0, octetCount: 0 };
  private readonly view = newRtcpView();
  private readonly cname: Uint8Array;
  private readonly wallBase: number;
  private timer: TimerHandle | undefined;
  private readonly tick = (): void => this.onTimer();

  constructor(private readonly opts: RtcpSessionOptions) {
    this.ssrc = opts.ssrc >>> 0;
    this.cname = new TextEncoder().encode(opts.cname).subarray(0, 255);
    // NTP time = wall clock at construction + monotonic progress (never steps backwards mid-call).
    this.wallBase = opts.clock.wallTime().getTime() - opts.clock.now();
  }

  /** Milliseconds since the Unix epoch, monotonic. */
  unixMs(): number { return this.wallBase + this.opts.clock.now(); }

  /**
   * Accounts one received RTP packet. Returns true when it starts a new source (first packet or
   * SSRC change: the caller resets its playout buffer). `audio` false skips the jitter update
   * (RFC 4733 events keep one timestamp for the whole event).
   */
  onRtp(ssrc: number, seq: number, ts: number, tsPerMs: number, audio: boolean): boolean {
    // Callers may pass ts/ssrc as int32 (`| 0`: stays a small integer, no HeapNumber per call).
    ssrc >>>= 0; ts >>>= 0;
    const arrival = this.opts.clock.now() * tsPerMs;      // RFC 3550 A.8: arrival in timestamp units
    let fresh = false;
    if (!this.rxStarted || ssrc !== this.rxSsrc) {
      if (this.rxStarted) this.lostPrior += this.currentLost();
      this.rxStarted = true; this.rxSsrc = ssrc; this.baseSeq = seq; this.maxSeq = seq; this.cycles = 0;
      this.rxCount = 0; this.jitter = 0; this.expectedPrior = 0; this.receivedPrior = 0; this.lsr = 0;
      this.lastTransit = arrival - ts;
      fresh = true;
    } else {
      const d = seqDelta(this.maxSeq, seq);              // RFC 3550 A.1: extended highest sequence
      if (d > 0) { if (seq < this.maxSeq) this.cycles += 65536; this.maxSeq = seq; }
      if (audio) {
        const transit = arrival - ts;
        let dt = transit - this.lastTransit;
        this.lastTransit = transit;
        if (dt < 0) dt = -dt;
        this.jitter += (dt - this.jitter) * JITTER_GAIN;
      }
    }
    this.rxCount++;
    this.rxSinceReport = true;
    return fresh;
  }

  /** RFC 3550 A.3: expected minus received for the current source (≥ 0; duplicates can overcount). */
  currentLost(): number {
    if (!this.rxStarted) return 0;
    return Math.max(0, this.cycles + this.maxSeq - this.baseSeq + 1 - this.rxCount);
  }

  totalLost(): number { return this.lostPrior + this.currentLost(); }

  /** Accounts one sent RTP packet (RFC 3550 §6.4.1 sender packet/octet counts). */
  onRtpSent(ts: number, payloadBytes: number, tsPerMs: number): void {
    this.packetsSent++;
    this.octetsSent += payloadBytes;
    // int32 or uint32 accepted (see onRtp); kept as given, the SR computation below applies `>>> 0`.
    this.lastTs = ts; this.lastTsAtMs = this.opts.clock.now(); this.tsPerMs = tsPerMs;
    this.sentSinceReport = true;
  }

  /** Handles one received RTCP datagram. Returns the parse status (non-OK is counted in `malformed`). */
  onRtcp(buf: Uint8Array, len: number): RtcpStatus {
    const v = this.view;
    const st = parseRtcp(buf, len, v);
    if (st !== RtcpStatus.OK) { this.malformed++; return st; }
    const nowMid = ntpMiddle32(this.unixMs());
    if (v.isSr) {
      // RFC 3550 §6.4.1 LSR: middle 32 bits of the SR's NTP timestamp; DLSR counts from its arrival.
      this.lsr = (((v.ntpSec & 0xffff) << 16) | (v.ntpFrac >>> 16)) >>> 0;
      this.lsrArrivalMid = nowMid;
    }
    for (let i = 0; i < v.blockCount; i++) {
      const r = v.blocks[i]!;
      if (r.ssrc !== this.ssrc) continue;
      Object.assign(this.remoteReport, r);
      this.remoteReports++;
      if (r.lsr !== 0) {
        // RFC 3550 §6.4.1: RTT = A − LSR − DLSR, all in 1/65536 s, modulo 2^32.
        const rtt = ((nowMid - r.lsr - r.dlsr) >>> 0);
        if (rtt < 0x80000000) this.rttMs = (rtt * 1000) / 65536;
      }
    }
    if (v.bye) this.byeReceived = true;
    return st;
  }

  /** Builds a compound packet (SR or RR, SDES CNAME, optional BYE) into the session buffer; returns its length. */
  buildReport(bye: boolean): number {
    const b = this.buf;
    const nBlocks = this.fillBlock();
    const isSender = this.sentSinceReport || this.sentPrevInterval;   // RFC 3550 §6.4: SR if we sent in the last two intervals
    let len: number;
    if (isSender) {
      const now = this.opts.clock.now();
      setNtp(this.si, this.unixMs());
      // RFC 3550 §6.4.1: the RTP timestamp of the same instant as the NTP timestamp.
      this.si.rtpTs = (this.lastTs + Math.round((now - this.lastTsAtMs) * this.tsPerMs)) >>> 0;
      this.si.packetCount = this.packetsSent >>> 0;
      this.si.octetCount = this.octetsSent >>> 0;
      len = writeSenderReport(b, 0, this.ssrc, this.si, this.block, nBlocks);
    } else {
      len = writeReceiverReport(b, 0, this.ssrc, this.block, nBlocks);
    }
    len += writeSdesCname(b, len, this.ssrc, this.cname);          // RFC 3550 §6.1: CNAME in every compound packet
    if (bye) len += writeBye(b, len, this.ssrc);
    this.sentPrevInterval = this.sentSinceReport;
    this.sentSinceReport = false;
    this.rxSinceReport = false;
    this.reportsSent++;
    return len;
  }

  /** Fills the single report block about the far end; returns the block count (0 or 1). */
  private fillBlock(): number {
    if (!this.rxStarted || !this.rxSinceReport) return 0;
    const r = this.block[0]!;
    const extMax = this.cycles + this.maxSeq;
    const expected = extMax - this.baseSeq + 1;                      // RFC 3550 A.3
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.rxCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.rxCount;
    const lostInterval = expectedInterval - receivedInterval;
    r.ssrc = this.rxSsrc;
    r.fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    r.cumulativeLost = expected - this.rxCount;
    r.extHighestSeq = extMax >>> 0;
    r.jitter = Math.floor(this.jitter) >>> 0;
    r.lsr = this.lsr;
    r.dlsr = this.lsr === 0 ? 0 : (ntpMiddle32(this.unixMs()) - this.lsrArrivalMid) >>> 0;
    return 1;
  }

  /** Starts the report timer; the first report goes out after half an interval (RFC 3550 §6.2). */
  start(): void {
    if (this.timer) return;
    this.timer = this.opts.clock.setTimeout(this.tick, this.nextInterval() / 2);
  }

  /** Stops the timer; with `bye`, sends a final report + BYE (RFC 3550 §6.3.7). */
  stop(bye: boolean): void {
    if (this.timer) { this.opts.clock.clearTimeout(this.timer); this.timer = undefined; }
    if (bye) this.opts.send(this.buf, this.buildReport(true));
  }

  /** RFC 3550 §6.3.1: interval randomised uniformly over [0.5, 1.5] × the deterministic interval. */
  private nextInterval(): number {
    const r = this.opts.random ?? Math.random;
    return (this.opts.intervalMs ?? RTCP_INTERVAL_MS) * (0.5 + r());
  }

  private onTimer(): void {
    this.timer = this.opts.clock.setTimeout(this.tick, this.nextInterval());
    this.opts.send(this.buf, this.buildReport(false));
  }
}
