/**
 * SCCP TCP framer: turns arbitrary TCP chunks into whole PDUs (docs/sccp.md §1 framing:
 * u32 LE length at offset 0 counts the bytes after the first 8 header bytes; wire size = length + 8).
 * Allocation-light: PDUs that lie inside one chunk are returned as views of that chunk; only a
 * PDU that spans chunks is copied into the carry buffer.
 */
import { SccpFrameError } from './errors.js';

/** §1: minimum length = 4 (messageId only, no body). */
const MIN_LENGTH = 4;
/** §1: wire size = length + 8 (length field + header-version field are not counted). */
const LENGTH_OVERHEAD = 8;
/** §1: Asterisk's maximum PDU (SKINNY_MAX_PACKET) is 2000 bytes. */
export const SCCP_DEFAULT_MAX_PDU = 2000;

export interface SccpFramerOptions {
  /** Largest accepted PDU in bytes, header included (default 2000). */
  maxPdu?: number;
}

export class SccpFramer {
  private readonly maxPdu: number;
  /** Bytes of an incomplete PDU carried over between chunks. */
  private carry: Buffer;
  private carryLen = 0;
  /** Stream offset of carry[0] (for error context). */
  private streamOffset = 0;
  private failed: SccpFrameError | null = null;

  constructor(opts?: SccpFramerOptions) {
    this.maxPdu = opts?.maxPdu ?? SCCP_DEFAULT_MAX_PDU;
    this.carry = Buffer.alloc(this.maxPdu);
  }

  /** Bytes held back waiting for the rest of a PDU. */
  get pending(): number {
    return this.carryLen;
  }

  /**
   * Feed one TCP chunk; returns the whole PDUs completed by it (possibly none). Returned views may
   * alias `chunk` or the framer's carry buffer: consume them before the next push.
   * Throws SccpFrameError (and keeps throwing) once the stream is out of sync.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failed) throw this.failed;
    const out: Uint8Array[] = [];
    let pos = 0;
    // 1. Complete a PDU that started in an earlier chunk.
    if (this.carryLen > 0) {
      pos = this.fillCarry(chunk, 0, LENGTH_OVERHEAD);
      if (this.carryLen < LENGTH_OVERHEAD) return out;
      const total = this.check(this.carry.readUInt32LE(0), this.streamOffset);
      pos = this.fillCarry(chunk, pos, total);
      if (this.carryLen < total) return out;
      out.push(Buffer.from(this.carry.subarray(0, total))); // copy: carry is reused
      this.streamOffset += total;
      this.carryLen = 0;
    }
    // 2. Whole PDUs inside this chunk: zero-copy views.
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (view.length - pos >= LENGTH_OVERHEAD) {
      const total = this.check(view.readUInt32LE(pos), this.streamOffset);
      if (view.length - pos < total) break;
      out.push(view.subarray(pos, pos + total));
      pos += total;
      this.streamOffset += total;
    }
    // 3. Keep the start of an incomplete PDU.
    if (pos < view.length) {
      view.copy(this.carry, 0, pos);
      this.carryLen = view.length - pos;
    }
    return out;
  }

  private fillCarry(chunk: Uint8Array, pos: number, want: number): number {
    const n = Math.min(want - this.carryLen, chunk.length - pos);
    if (n <= 0) return pos;
    this.carry.set(chunk.subarray(pos, pos + n), this.carryLen);
    this.carryLen += n;
    return pos + n;
  }

  private check(length: number, at: number): number {
    const total = length + LENGTH_OVERHEAD;
    if (length < MIN_LENGTH) {
      this.failed = new SccpFrameError(at, length, `length ${length} < ${MIN_LENGTH} (no room for the messageId)`);
    } else if (total > this.maxPdu) {
      this.failed = new SccpFrameError(at, length, `PDU of ${total} bytes exceeds the ${this.maxPdu}-byte maximum`);
    }
    if (this.failed) throw this.failed;
    return total;
  }
}
