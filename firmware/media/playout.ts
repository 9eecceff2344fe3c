/**
 * Receive-side playout buffer seam. The engine puts every valid RTP payload in and pulls one
 * frame per packet time. This first implementation is a fixed-depth reorder buffer with a
 * prefill; the adaptive jitter buffer (later issue) implements the same PlayoutBuffer interface.
 */
import type { AudioCodec } from './codecs.js';
import { seqDelta } from './rtp.js';

/** What pull() produced: a decoded frame, a concealed (silent) lost frame, or nothing yet. */
export const PullResult = { PLAYED: 0, CONCEALED: 1, BUFFERING: 2 } as const;
export type PullResult = (typeof PullResult)[keyof typeof PullResult];

export interface PlayoutCounters {
  /** Arrived after their play-out time (or before the current window). */
  late: number;
  /** Same sequence number already buffered. */
  duplicates: number;
  /** Frames played as silence because the packet never came. */
  concealed: number;
  /** Times the buffer ran dry and refilled (prefill again). */
  underruns: number;
  /** Jumps of more than the window (sender restart): buffer was reset. */
  resyncs: number;
}

export interface PlayoutBuffer {
  readonly counters: PlayoutCounters;
  /** Copies `len` payload bytes of packet `seq` into the buffer (the caller may reuse `payload`). */
  put(seq: number, payload: Uint8Array, off: number, len: number): void;
  /** Fills `out` with the next frame; on PLAYED/CONCEALED all of `out` is written. */
  pull(codec: AudioCodec, out: Int16Array): PullResult;
  /** Frames waiting. */
  readonly depth: number;
  reset(): void;
}

export interface FixedPlayoutOptions {
  /** Slots in the reorder window. Default 8 (160 ms at 20 ms). */
  slots?: number;
  /** Frames to collect before playing (and after an underrun). Default 2 (40 ms at 20 ms). */
  prefill?: number;
  /** Largest payload accepted per slot. Default 1500 − 12 (Ethernet MTU less the RTP header, RFC 3550 §5.1). */
  maxPayload?: number;
}

export class FixedPlayoutBuffer implements PlayoutBuffer {
  readonly counters: PlayoutCounters = { late: 0, duplicates: 0, concealed: 0, underruns: 0, resyncs: 0 };
  private readonly slots: number;
  private readonly prefill: number;
  private readonly data: Uint8Array;       // slots × maxPayload, one preallocated block
  private readonly maxPayload: number;
  private readonly seqOf: Int32Array;      // −1 = empty
  private readonly lenOf: Int32Array;
  private count = 0;
  private nextSeq = -1;                    // next seq to play; −1 before the first packet
  private hiSeq = 0;                       // newest seq buffered (valid when count > 0)
  private playing = false;

  constructor(opts: FixedPlayoutOptions = {}) {
    // A power of two, so `seq % slots` stays continuous across the 16-bit wrap (65536 % slots = 0).
    this.slots = 1 << Math.ceil(Math.log2(Math.max(2, opts.slots ?? 8)));
    this.prefill = Math.min(opts.prefill ?? 2, this.slots);
    this.maxPayload = opts.maxPayload ?? 1488;
    this.data = new Uint8Array(this.slots * this.maxPayload);
    this.seqOf = new Int32Array(this.slots).fill(-1);
    this.lenOf = new Int32Array(this.slots);
  }

  get depth(): number { return this.count; }

  reset(): void {
    this.seqOf.fill(-1);
    this.count = 0;
    this.nextSeq = -1;
    this.playing = false;
  }

  put(seq: number, payload: Uint8Array, off: number, len: number): void {
    if (this.nextSeq < 0) this.nextSeq = seq;
    let d = seqDelta(this.nextSeq, seq);
    if (d < 0) {
      // Before the window: late if we are playing; a reordered early packet if still prefilling
      // (accepted only if the window still covers the newest buffered packet).
      if (this.playing || (this.count > 0 && seqDelta(seq, this.hiSeq) >= this.slots)) {
        this.counters.late++;
        return;
      }
      this.nextSeq = seq;
      d = 0;
    }
    if (d >= this.slots) {
      // Too far ahead for the window: the sender jumped (restart, SSRC reuse). Start over.
      this.counters.resyncs++;
      this.reset();
      this.nextSeq = seq;
    }
    const slot = seq % this.slots;
    if (this.seqOf[slot] === seq) { this.counters.duplicates++; return; }
    if (this.seqOf[slot]! >= 0) this.count--;   // stale occupant (cannot happen inside the window)
    const n = len > this.maxPayload ? this.maxPayload : len;
    const base = slot * this.maxPayload;
    for (let i = 0; i < n; i++) this.data[base + i] = payload[off + i]!;   // no subarray view per packet
    if (this.count === 0 || seqDelta(this.hiSeq, seq) > 0) this.hiSeq = seq;
    this.seqOf[slot] = seq;
    this.lenOf[slot] = n;
    this.count++;
  }

  pull(codec: AudioCodec, out: Int16Array): PullResult {
    if (!this.playing) {
      if (this.count < this.prefill) return PullResult.BUFFERING;
      this.playing = true;
    }
    if (this.count === 0) {
      this.playing = false;
      this.counters.underruns++;
      return PullResult.BUFFERING;
    }
    const seq = this.nextSeq;
    const slot = seq % this.slots;
    this.nextSeq = (seq + 1) & 0xffff;
    if (this.seqOf[slot] !== seq) {
      out.fill(0);                                  // no PLC yet: silence (G.711 Appendix I later)
      this.counters.concealed++;
      return PullResult.CONCEALED;
    }
    const len = this.lenOf[slot]!;
    // G.711: one byte per sample; other codecs report how many samples they produced.
    const maxBytes = Math.min(len, (out.length * codec.payloadBytes(1)) / codec.samplesPerMs);
    const got = codec.decode(this.data, slot * this.maxPayload, maxBytes, out, 0);
    if (got < out.length) out.fill(0, got);
    this.seqOf[slot] = -1;
    this.count--;
    return PullResult.PLAYED;
  }
}
