/**
 * RTCP wire format (RFC 3550 §6.4 SR/RR, §6.5 SDES CNAME, §6.6 BYE), built and parsed in place on
 * caller-owned buffers. Parsing fills a reusable RtcpView (preallocated report blocks), never
 * throws and never allocates; the CNAME is reported as an offset/length into the packet.
 *
 * Common header of every RTCP packet (RFC 3550 §6.4.1):
 *   V=2 (2 bits) | P (1) | RC/SC (5) | PT (8) | length in 32-bit words minus one (16)
 */

/** RFC 3550 §12.1: RTCP packet types. */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** RFC 3550 §6.5: SDES item type CNAME. */
export const SDES_CNAME = 1;
/** RFC 3550 §6.4.1: report count is a 5-bit field. */
export const MAX_REPORT_BLOCKS = 31;
/** RFC 3550 §6.4.1: a report block is 6 words. */
const REPORT_BLOCK_LEN = 24;
/** RFC 3550 §6.4.1: header (4) + SSRC (4) + sender info (20). */
const SR_FIXED_LEN = 28;
/** RFC 3550 §6.4.2: header (4) + SSRC (4). */
const RR_FIXED_LEN = 8;
/** RFC 3550 §4: seconds from 1 Jan 1900 (NTP epoch) to 1 Jan 1970 (Unix epoch). */
export const NTP_UNIX_OFFSET_S = 2208988800;

export const RtcpStatus = {
  OK: 0,
  /** Shorter than one 8-byte header + SSRC, or a packet length runs past the datagram. */
  SHORT: 1,
  /** V is not 2 (RFC 3550 §6.4.1). */
  BAD_VERSION: 2,
  /** RFC 3550 A.2: the first packet of a compound packet must be SR or RR. */
  NOT_REPORT_FIRST: 3,
  /** Report count × 24 bytes does not fit in the packet's length field. */
  BAD_COUNT: 4,
  /** RFC 3550 A.2: padding only on the last packet; pad count must fit. */
  BAD_PADDING: 5,
} as const;
export type RtcpStatus = (typeof RtcpStatus)[keyof typeof RtcpStatus];
export const RTCP_STATUS_NAMES: readonly string[] = ['OK', 'SHORT', 'BAD_VERSION', 'NOT_REPORT_FIRST', 'BAD_COUNT', 'BAD_PADDING'];

/** RFC 3550 §6.4.1 report block. */
export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 8-bit fixed point (lost/expected × 256). */
  fractionLost: number;
  /** Cumulative packets lost, signed 24 bits. */
  cumulativeLost: number;
  /** Cycles << 16 | highest sequence number received. */
  extHighestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from this source, 0 if none. */
  lsr: number;
  /** Delay since that SR, in units of 1/65536 s. */
  dlsr: number;
}

/** RFC 3550 §6.4.1 sender info. */
export interface RtcpSenderInfo {
  ntpSec: number; ntpFrac: number; rtpTs: number; packetCount: number; octetCount: number;
}

export interface RtcpView extends RtcpSenderInfo {
  /** SSRC of the sender of the leading SR/RR. */
  ssrc: number;
  isSr: boolean;
  blockCount: number;
  /** MAX_REPORT_BLOCKS preallocated entries; the first `blockCount` are valid. */
  readonly blocks: RtcpReportBlock[];
  /** Offset/length of the CNAME text of the first SDES chunk naming `ssrc`; −1/0 if none. */
  cnameOffset: number;
  cnameLength: number;
  /** A BYE packet was part of the compound packet. */
  bye: boolean;
}

export function newReportBlock(): RtcpReportBlock {
  return { ssrc: 0, fractionLost: 0, cumulativeLost: 0, extHighestSeq: 0, jitter: 0, lsr: 0, dlsr: 0 };
}

export function newRtcpView(): RtcpView {
  return {
    ssrc: 0, isSr: false, ntpSec: 0, ntpFrac: 0, rtpTs: 0, packetCount: 0, octetCount: 0, blockCount: 0,
    blocks: Array.from({ length: MAX_REPORT_BLOCKS }, newReportBlock), cnameOffset: -1, cnameLength: 0, bye: false,
  };
}

function w32(b: Uint8Array, o: number, v: number): void {
  v >>>= 0;
  b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
}

function r32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Common header: V=2, P=0, count, PT, length = total bytes / 4 − 1 (RFC 3550 §6.4.1). */
function header(b: Uint8Array, o: number, count: number, pt: number, bytes: number): void {
  b[o] = 0x80 | (count & 0x1f);
  b[o + 1] = pt;
  const words = bytes / 4 - 1;
  b[o + 2] = words >>> 8;
  b[o + 3] = words & 0xff;
}

function writeBlocks(b: Uint8Array, o: number, blocks: readonly RtcpReportBlock[], count: number): void {
  for (let i = 0; i < count; i++) {
    const r = blocks[i]!;
    w32(b, o, r.ssrc);
    b[o + 4] = r.fractionLost & 0xff;
    // RFC 3550 §6.4.1: cumulative lost is a signed 24-bit value, clamped.
    const cl = r.cumulativeLost > 0x7fffff ? 0x7fffff : r.cumulativeLost < -0x800000 ? -0x800000 : r.cumulativeLost;
    b[o + 5] = (cl >> 16) & 0xff; b[o + 6] = (cl >> 8) & 0xff; b[o + 7] = cl & 0xff;
    w32(b, o + 8, r.extHighestSeq);
    w32(b, o + 12, r.jitter);
    w32(b, o + 16, r.lsr);
    w32(b, o + 20, r.dlsr);
    o += REPORT_BLOCK_LEN;
  }
}

/** Writes an SR (RFC 3550 §6.4.1) with `count` report blocks at `off`; returns its length. */
export function writeSenderReport(b: Uint8Array, off: number, ssrc: number, si: RtcpSenderInfo,
  blocks: readonly RtcpReportBlock[], count: number): number {
  const n = Math.min(count, MAX_REPORT_BLOCKS);
  const len = SR_FIXED_LEN + n * REPORT_BLOCK_LEN;
  header(b, off, n, RTCP_SR, len);
  w32(b, off + 4, ssrc);
  w32(b, off + 8, si.ntpSec);
  w32(b, off + 12, si.ntpFrac);
  w32(b, off + 16, si.rtpTs);
  w32(b, off + 20, si.packetCount);
  w32(b, off + 24, si.octetCount);
  writeBlocks(b, off + SR_FIXED_LEN, blocks, n);
  return len;
}

/** Writes an RR (RFC 3550 §6.4.2); returns its length. */
export function writeReceiverReport(b: Uint8Array, off: number, ssrc: number, blocks: readonly RtcpReportBlock[], count: number): number {
  const n = Math.min(count, MAX_REPORT_BLOCKS);
  const len = RR_FIXED_LEN + n * REPORT_BLOCK_LEN;
  header(b, off, n, RTCP_RR, len);
  w32(b, off + 4, ssrc);
  writeBlocks(b, off + RR_FIXED_LEN, blocks, n);
  return len;
}

/**
 * Writes an SDES packet with one chunk holding one CNAME item (RFC 3550 §6.5.1); returns its length.
 * The item list ends with a null octet and is padded with nulls to a 32-bit boundary (§6.5).
 */
export function writeSdesCname(b: Uint8Array, off: number, ssrc: number, cname: Uint8Array): number {
  const textLen = Math.min(cname.length, 255);            // RFC 3550 §6.5: 8-bit item length
  const itemEnd = 8 + 2 + textLen;                         // header + SSRC + type + length + text
  const len = (itemEnd + 1 + 3) & ~3;                      // ≥ 1 terminating null, to a word boundary
  header(b, off, 1, RTCP_SDES, len);
  w32(b, off + 4, ssrc);
  b[off + 8] = SDES_CNAME;
  b[off + 9] = textLen;
  for (let i = 0; i < textLen; i++) b[off + 10 + i] = cname[i]!;
  for (let i = itemEnd; i < len; i++) b[off + i] = 0;
  return len;
}

/** Writes a BYE for one SSRC, no reason (RFC 3550 §6.6); returns its length. */
export function writeBye(b: Uint8Array, off: number, ssrc: number): number {
  header(b, off, 1, RTCP_BYE, 8);
  w32(b, off + 4, ssrc);
  return 8;
}

function readBlocks(b: Uint8Array, o: number, n: number, out: RtcpView): void {
  for (let i = 0; i < n; i++) {
    const r = out.blocks[i]!;
    r.ssrc = r32(b, o);
    r.fractionLost = b[o + 4]!;
    r.cumulativeLost = (((b[o + 5]! << 24) | (b[o + 6]! << 16) | (b[o + 7]! << 8)) >> 8);   // sign-extend 24 bits
    r.extHighestSeq = r32(b, o + 8);
    r.jitter = r32(b, o + 12);
    r.lsr = r32(b, o + 16);
    r.dlsr = r32(b, o + 20);
    o += REPORT_BLOCK_LEN;
  }
  out.blockCount = n;
}

/** Finds the CNAME item of an SDES packet's chunks for `ssrc` (RFC 3550 §6.5). */
function readSdes(b: Uint8Array, o: number, end: number, count: number, out: RtcpView): void {
  for (let c = 0; c < count && o + 4 <= end; c++) {
    const ssrc = r32(b, o);
    o += 4;
    while (o < end && b[o] !== 0) {
      if (o + 2 > end) return;
      const type = b[o]!;
      const len = b[o + 1]!;
      if (o + 2 + len > end) return;
      if (type === SDES_CNAME && ssrc === out.ssrc && out.cnameOffset < 0) { out.cnameOffset = o + 2; out.cnameLength = len; }
      o += 2 + len;
    }
    o = (o + 4) & ~3;                                      // skip the null terminator and padding
  }
}

/** Parses a compound RTCP packet `b[0..length)` into `out` (RFC 3550 A.2 validity checks). */
export function parseRtcp(b: Uint8Array, length: number, out: RtcpView): RtcpStatus {
  if (length > b.length) length = b.length;
  out.isSr = false; out.blockCount = 0; out.cnameOffset = -1; out.cnameLength = 0; out.bye = false;
  if (length < 8) return RtcpStatus.SHORT;
  let o = 0;
  let first = true;
  while (o < length) {
    if (o + 4 > length) return RtcpStatus.SHORT;
    const b0 = b[o]!;
    if (b0 >>> 6 !== 2) return RtcpStatus.BAD_VERSION;
    const count = b0 & 0x1f;
    const pt = b[o + 1]!;
    const bytes = (((b[o + 2]! << 8) | b[o + 3]!) + 1) * 4;
    const end = o + bytes;
    if (end > length) return RtcpStatus.SHORT;
    let bodyEnd = end;
    if (b0 & 0x20) {                                       // P bit
      const pad = b[end - 1]!;
      if (end !== length || pad === 0 || pad > bytes - 4) return RtcpStatus.BAD_PADDING;
      bodyEnd -= pad;
    }
    if (first) {
      if (pt !== RTCP_SR && pt !== RTCP_RR) return RtcpStatus.NOT_REPORT_FIRST;
      const fixed = pt === RTCP_SR ? SR_FIXED_LEN : RR_FIXED_LEN;
      if (fixed + count * REPORT_BLOCK_LEN > bodyEnd - o) return RtcpStatus.BAD_COUNT;
      out.ssrc = r32(b, o + 4);
      if (pt === RTCP_SR) {
        out.isSr = true;
        out.ntpSec = r32(b, o + 8); out.ntpFrac = r32(b, o + 12); out.rtpTs = r32(b, o + 16);
        out.packetCount = r32(b, o + 20); out.octetCount = r32(b, o + 24);
      }
      readBlocks(b, o + fixed, count, out);
      first = false;
    } else if (pt === RTCP_SDES) {
      readSdes(b, o + 4, bodyEnd, count, out);
    } else if (pt === RTCP_BYE) {
      out.bye = true;
    }
    o = end;
  }
  return RtcpStatus.OK;
}

/** Middle 32 bits of a 64-bit NTP timestamp (RFC 3550 §4), from milliseconds since the Unix epoch. */
export function ntpMiddle32(unixMs: number): number {
  // Units of 1/65536 s: (seconds since 1900) × 65536, modulo 2^32.
  return Math.floor(((unixMs / 1000) + NTP_UNIX_OFFSET_S) * 65536) % 0x100000000;
}

/** Fills `si.ntpSec/ntpFrac` from milliseconds since the Unix epoch (RFC 3550 §4 NTP format). */
export function setNtp(si: RtcpSenderInfo, unixMs: number): void {
  const s = unixMs / 1000 + NTP_UNIX_OFFSET_S;
  const sec = Math.floor(s);
  si.ntpSec = sec >>> 0;
  si.ntpFrac = Math.floor((s - sec) * 0x100000000) >>> 0;
}
