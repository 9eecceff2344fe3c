/**
 * Receive side of one RTP stream: parsed packet → playout buffer (AdaptiveJitterBuffer by default:
 * timestamp-placed, RFC 3550 A.8 jitter, PLC) → one ptime of PCM at the codec's rate → 2:1 rate
 * conversion when the speaker runs at another rate (G.722's 16 kHz on an 8 kHz device, or the
 * reverse) → speaker. The codec is a per-stream instance (G.722 decoder state is per stream).
 * Nothing is allocated per packet or per pull.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { AudioCodec } from './codecs.js';
import { AdaptiveJitterBuffer, type JitterStats } from './jitter-buffer.js';
import { PullResult, type PlayoutBuffer } from './playout.js';
import { type RateConverter, rateConverter } from './resample.js';
import type { RtpView } from './rtp.js';

/** A playout buffer that takes RTP timing (AdaptiveJitterBuffer): timestamp, SSRC, marker. */
export interface RtpPlayoutBuffer extends PlayoutBuffer {
  putRtp(seq: number, ts: number, ssrc: number, marker: boolean, payload: Uint8Array, off: number, len: number): void;
}

/** Builds a stream's playout buffer for the negotiated codec and packet time. */
export type PlayoutFactory = (codec: AudioCodec, ptimeMs: number) => PlayoutBuffer;

export function defaultPlayout(clock: Clock): PlayoutFactory {
  return (codec, ptimeMs) => new AdaptiveJitterBuffer({ clock, clockRate: codec.clockRate, frameMs: ptimeMs });
}

function hasPutRtp(p: PlayoutBuffer): p is RtpPlayoutBuffer {
  return typeof (p as Partial<RtpPlayoutBuffer>).putRtp === 'function';
}

export class RxPath {
  /** Registry entry this path was opened for (compare with the next OpenReceiveChannel). */
  readonly base: AudioCodec;
  /** This stream's own codec instance. */
  readonly codec: AudioCodec;
  readonly ptimeMs: number;
  readonly playout: PlayoutBuffer;
  /** Frames handed to the speaker, in the speaker's rate. */
  readonly periodMs: number;
  private readonly rtpPlayout: RtpPlayoutBuffer | undefined;
  private readonly pcm: Int16Array;              // one ptime at the codec's rate
  private readonly out: Int16Array;              // the same at the speaker's rate (=== pcm when equal)
  private readonly conv: RateConverter | undefined;

  constructor(base: AudioCodec, ptimeMs: number, speakerRate: number, playout: PlayoutFactory) {
    this.base = base;
    this.codec = base.instance?.() ?? base;
    this.ptimeMs = ptimeMs;
    this.periodMs = ptimeMs;
    this.pcm = new Int16Array(ptimeMs * this.codec.samplesPerMs);
    this.conv = rateConverter(this.codec.sampleRate, speakerRate);
    this.out = this.conv ? new Int16Array((ptimeMs * speakerRate) / 1000) : this.pcm;
    this.playout = playout(this.codec, ptimeMs);
    this.rtpPlayout = hasPutRtp(this.playout) ? this.playout : undefined;
  }

  /** Jitter-buffer statistics when the playout buffer keeps them. */
  get jitterStats(): JitterStats | undefined {
    return (this.playout as { stats?: JitterStats }).stats;
  }

  /** One valid audio packet of this stream (header in `v`, payload in `msg`). */
  put(v: RtpView, msg: Uint8Array): void {
    // `| 0`: int32 arguments stay untagged small integers; a uint32 above 2^31 would be boxed per call.
    if (this.rtpPlayout) this.rtpPlayout.putRtp(v.seq, v.ts | 0, v.ssrc | 0, v.marker, msg, v.payloadOffset, v.payloadLength);
    else this.playout.put(v.seq, msg, v.payloadOffset, v.payloadLength);
  }

  /** The next period for the speaker, or undefined while the buffer is priming / idle. */
  pull(): Int16Array | undefined {
    if (this.playout.pull(this.codec, this.pcm) === PullResult.BUFFERING) return undefined;
    if (this.conv) this.conv.process(this.pcm, 0, this.pcm.length, this.out, 0);
    return this.out;
  }

  /** New SSRC / sender restart: forget buffered frames and the decoder state. */
  reset(): void {
    this.playout.reset();
    this.codec.resetState?.();
    this.conv?.reset();
  }
}
