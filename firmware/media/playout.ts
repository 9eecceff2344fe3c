/**
 * Receive-side playout buffer seam. The engine puts every valid RTP payload in and pulls one
 * frame per packet time; the adaptive jitter buffer (jitter-buffer.ts) implements it.
 */
import type { AudioCodec } from './codecs.js';

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
