/** Per-stream statistics of RtpMediaEngine (MediaStats + drop counters + RTCP + jitter buffer). */
import { isIP } from 'node:net';
import type { MediaStats } from './engine.js';
import type { JitterStats } from './jitter-buffer.js';

/** MediaStats plus the engine's drop counters and RTCP results. */
export interface RtpStreamStats extends MediaStats {
  localPort: number;
  /** Local RTCP port (localPort + 1). */
  rtcpPort: number;
  /** Packets that failed RTP parsing (RtpStatus other than OK). */
  malformed: number;
  /** RTP from anything but the negotiated remote address:port (all of it before transmit starts). */
  unexpectedSource: number;
  /** RTCP from anything but the remote's RTP port + 1 (all of it before transmit starts). */
  rtcpUnexpectedSource: number;
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
  /** Receive codec and packet time ('G722/20'), '' before openReceive. */
  rxCodec: string;
  /** Snapshot of the adaptive jitter buffer's counters (lost, late, concealed, delay ...), when it is the playout buffer. */
  jitterBuffer: JitterStats | undefined;
}

export function freshStats(port: number): RtpStreamStats {
  return {
    packetsSent: 0, octetsSent: 0, packetsReceived: 0, octetsReceived: 0, packetsLost: 0, jitterMs: 0, latencyMs: 0,
    localPort: port, rtcpPort: port + 1, malformed: 0, unexpectedSource: 0, rtcpUnexpectedSource: 0, wrongPayloadType: 0, late: 0, duplicates: 0,
    concealed: 0, underruns: 0, txBusy: 0, sendErrors: 0, rttMs: undefined, rtcpSent: 0, rtcpReceived: 0,
    rtcpMalformed: 0, remoteFractionLost: 0, remoteCumulativeLost: 0, dtmfReceived: 0, dtmfSent: 0,
    rxCodec: '', jitterBuffer: undefined,
  };
}

/** '::ffff:10.0.0.1' (IPv4-mapped, seen on dual-stack sockets) → '10.0.0.1'. No allocation for plain addresses. */
export function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}
