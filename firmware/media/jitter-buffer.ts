/**
 * Adaptive, timestamp-driven jitter buffer (implements the PlayoutBuffer seam of playout.ts).
 *
 * - Frames are placed by RTP timestamp (relative to the stream's first timestamp, 32-bit wrap
 *   safe) in a fixed ring of preallocated payload slots: reordering and duplicates are free,
 *   memory is bounded, nothing is allocated per packet.
 * - Interarrival jitter J per RFC 3550 §6.4.1 / A.8 (gain 1/16, in timestamp units).
 * - Target delay = clamp(k × J, min, max) (default k 3, 20..200 ms). It is applied only at a
 *   talkspurt start (RFC 3551 §4.1 marker bit, or the first packet after the buffer ran dry).
 * - Sender clock drift: the minimum transit time is the delay baseline; it follows decreases at
 *   once and increases slowly. When the real delay drifts more than one frame from the target,
 *   a quiet frame is dropped (too deep) or a silent frame inserted (too shallow). A buffer that
 *   stays too deep for FORCE_DROP_AFTER_MS without a quiet frame (a burst after a network stall
 *   under a continuous sound) drops a frame every FORCE_DROP_EVERY frames anyway, so the delay
 *   comes back to the target instead of staying at the stall's length.
 * - A frame missing at its play time is concealed (Plc after the decoder, G.711 App I style; a
 *   stateful codec's decoder absorbs the concealment, see AudioCodec.absorbConcealed). With no
 *   later frame buffered the buffer conceals up to 60 ms (App I fade) and then stops: underrun.
 */
import type { Clock } from '../../hal/api/index.js';
import type { AudioCodec } from './codecs.js';
import { Plc } from './plc.js';
import { PullResult, type PlayoutBuffer, type PlayoutCounters } from './playout.js';

export interface JitterStats extends PlayoutCounters {
  /** Packets accepted by put (duplicates and late ones included). */
  received: number;
  /** Frames concealed while a later frame was already buffered (a gap, not a pause). */
  lost: number;
  /** Frames thrown away: overwritten stale slots and drift-control drops. */
  discarded: number;
  /** Of `discarded`: frames dropped because the delay had drifted above the target (quiet ones; any, once it stays too deep for 1 s). */
  dropped: number;
  /** Silent frames inserted because the delay had drifted below the target. */
  inserted: number;
  /** SSRC changes (each resets the buffer). */
  ssrcChanges: number;
  /** RFC 3550 A.8 interarrival jitter, ms. */
  jitterMs: number;
  /** Delay target from the measured jitter, ms (applied at the next talkspurt). */
  targetDelayMs: number;
  /** Delay of the frame played last (arrival baseline → play), ms, and the largest seen. */
  currentDelayMs: number;
  maxDelayMs: number;
}

export interface JitterBufferOptions {
  clock: Clock;
  /** RTP clock rate of the stream (Hz). Default 8000 (PCMU, PCMA and, per RFC 3551 §4.5.2, G.722). */
  clockRate?: number;
  /** Packet time in ms (the SDP ptime / SCCP millisecondPacketSize). Default 20. */
  frameMs?: number;
  /** Ring slots (power of two). Default 32 (640 ms at 20 ms). */
  slots?: number;
  /** Largest payload per slot. Default 1500 − 12 (Ethernet MTU less the RTP header, RFC 3550 §5.1). */
  maxPayload?: number;
  /** Target delay bounds in ms. Default 20 and 200. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Target = jitterFactor × J. Default 3. */
  jitterFactor?: number;
  /** Conceal lost frames with Plc (default true); false plays silence. */
  plc?: boolean;
}

/** RFC 3550 A.8: jitter estimator gain 1/16. */
const JITTER_GAIN = 1 / 16;
/**
 * Upward tracking of the transit baseline per packet (1/16, the RFC 3550 A.8 gain: a 1 % slow
 * sender, 0.2 ms more transit per 20 ms packet, is followed with a 3.2 ms lag; 100 ppm with 32 µs).
 */
const BASE_RISE_GAIN = 1 / 16;
/** Drift control hysteresis in frames: drop above target + 1.5 frames, insert below target − 0.25. */
const DROP_ABOVE_FRAMES = 1.5;
const INSERT_BELOW_FRAMES = 0.25;
/** Too deep this long (ms of played frames) with no quiet frame to drop: drop loud frames too. */
const FORCE_DROP_AFTER_MS = 1000;
/** Spacing of those forced drops, in frames (one 20 ms frame per 80 ms: the delay falls at 1/4 speed). */
const FORCE_DROP_EVERY = 4;
/** App I: concealment fades out after 60 ms; the buffer stops after that much dry concealment. */
const MAX_DRY_CONCEAL_MS = 60;
/** A frame whose peak stays below this (−48 dBFS) counts as silence for drift drop/insert. */
const QUIET_PEAK = 128;
const EMPTY = -0x80000000;

export class AdaptiveJitterBuffer implements PlayoutBuffer {
  readonly stats: JitterStats = {
    late: 0, duplicates: 0, concealed: 0, underruns: 0, resyncs: 0, received: 0, lost: 0, discarded: 0,
    dropped: 0, inserted: 0, ssrcChanges: 0, jitterMs: 0, targetDelayMs: 0, currentDelayMs: 0, maxDelayMs: 0,
  };
  private readonly clock: Clock;
  private readonly tsPerMs: number;
  private readonly frameTs: number;
  private readonly nSlots: number;
  private readonly mask: number;
  private readonly maxPayload: number;
  private readonly minTs: number;
  private readonly maxTs: number;
  private readonly k: number;
  private readonly usePlc: boolean;
  private readonly data: Uint8Array;
  private readonly fiOf: Int32Array;         // frame index held by each slot, EMPTY if none
  private readonly lenOf: Int32Array;
  private plc: Plc | undefined;
  private count = 0;
  private started = false;                   // anchored on a first packet
  private ssrc = 0;
  private anchorTs = 0;                      // RTP timestamp of frame index 0
  private jitter = 0;                        // J, timestamp units
  private lastTransit = 0;
  private base = 0;                          // transit baseline (ts units)
  private playing = false;
  private playFi = 0;                        // next frame index to play
  private lastPlayedFi = EMPTY;
  private dryTs = 0;                         // concealment with an empty buffer, ts units
  private dryFrames = 0;                     // frames of that concealment (lost if a later frame comes)
  private holdSilence = false;               // insert one silent frame at the next pull
  private deepTs = 0;                        // played time (ts units) the delay has been above the drop threshold
  private lastSeq = -1;

  constructor(opts: JitterBufferOptions) {
    this.clock = opts.clock;
    this.tsPerMs = (opts.clockRate ?? 8000) / 1000;
    this.frameTs = Math.max(1, Math.round((opts.frameMs ?? 20) * this.tsPerMs));
    this.nSlots = 1 << Math.ceil(Math.log2(Math.max(4, opts.slots ?? 32)));
    this.mask = this.nSlots - 1;
    this.maxPayload = opts.maxPayload ?? 1488;
    this.minTs = (opts.minDelayMs ?? 20) * this.tsPerMs;
    this.maxTs = (opts.maxDelayMs ?? 200) * this.tsPerMs;
    this.k = opts.jitterFactor ?? 3;
    this.usePlc = opts.plc ?? true;
    this.data = new Uint8Array(this.nSlots * this.maxPayload);
    this.fiOf = new Int32Array(this.nSlots).fill(EMPTY);
    this.lenOf = new Int32Array(this.nSlots);
    this.stats.targetDelayMs = this.minTs / this.tsPerMs;
  }

  get counters(): PlayoutCounters { return this.stats; }
  get depth(): number { return this.count; }

  /** Clears buffered frames and the timing state (statistics are cumulative). */
  reset(): void {
    this.fiOf.fill(EMPTY);
    this.count = 0; this.started = false; this.playing = false; this.lastPlayedFi = EMPTY;
    this.dryTs = 0; this.dryFrames = 0; this.holdSilence = false; this.jitter = 0; this.lastSeq = -1;
    this.plc?.reset();
  }

  /** PlayoutBuffer seam without RTP timing: the timestamp is inferred from seq × packet time. */
  put(seq: number, payload: Uint8Array, off: number, len: number): void {
    let ts = seq * this.frameTs;
    if (this.started && this.lastSeq >= 0) {
      // Continue from the last packet so a 16-bit seq wrap does not jump the timeline.
      const d = ((seq - this.lastSeq + 0x8000) & 0xffff) - 0x8000;
      ts = (this.anchorTs + (this.lastRel + d * this.frameTs)) >>> 0;
    }
    this.putRtp(seq, ts, this.ssrc, false, payload, off, len);
  }

  private lastRel = 0;

  /** One received RTP packet (header already parsed). `payload` may be reused by the caller. */
  putRtp(seq: number, ts: number, ssrc: number, marker: boolean, payload: Uint8Array, off: number, len: number): void {
    ssrc >>>= 0;                                             // int32 (`| 0`, no boxing at the call) or uint32
    const st = this.stats;
    if (this.started && ssrc !== this.ssrc) { st.ssrcChanges++; this.reset(); }
    const nowTs = this.clock.now() * this.tsPerMs;
    if (!this.started) {
      this.started = true; this.ssrc = ssrc; this.anchorTs = ts >>> 0;
      this.lastTransit = nowTs; this.base = nowTs;
    }
    st.received++;
    const rel = (ts - this.anchorTs) | 0;                    // signed 32-bit: wrap-safe
    this.lastRel = rel; this.lastSeq = seq;
    // RFC 3550 A.8: D = transit difference; J += (|D| − J) / 16.
    const transit = nowTs - rel;
    const dT = transit - this.lastTransit;
    this.lastTransit = transit;
    this.jitter += ((dT < 0 ? -dT : dT) - this.jitter) * JITTER_GAIN;
    st.jitterMs = this.jitter / this.tsPerMs;
    if (transit < this.base) this.base = transit; else this.base += (transit - this.base) * BASE_RISE_GAIN;

    const fi = Math.floor(rel / this.frameTs);
    if (this.playing ? fi < this.playFi : this.lastPlayedFi !== EMPTY && fi <= this.lastPlayedFi) {
      st.late++;
      return;
    }
    const ref = this.playing ? this.playFi : this.count > 0 ? this.earliest() : fi;
    if (fi - ref >= this.nSlots || ref - fi >= this.nSlots) {
      // Beyond the ring: the sender jumped (restart without SSRC change). Start over here.
      st.resyncs++;
      this.fiOf.fill(EMPTY); this.count = 0; this.playing = false; this.lastPlayedFi = EMPTY;
    }
    // Frames concealed "dry" before this later one arrived were gaps, not the talkspurt's end.
    if (this.playing && this.dryFrames > 0) { st.lost += this.dryFrames; this.dryFrames = 0; }
    const slot = fi & this.mask;
    const held = this.fiOf[slot]!;
    if (held === fi) { st.duplicates++; return; }
    if (held !== EMPTY) { st.discarded++; this.count--; }
    const n = len > this.maxPayload ? this.maxPayload : len < 0 ? 0 : len;
    const b = slot * this.maxPayload;
    for (let i = 0; i < n; i++) this.data[b + i] = payload[off + i]!;
    this.fiOf[slot] = fi; this.lenOf[slot] = n;
    this.count++;
    // Talkspurt start while still concealing the previous one's tail: re-anchor at the new target.
    if (marker && this.playing && this.count === 1 && fi !== this.playFi) this.playing = false;
  }

  pull(codec: AudioCodec, out: Int16Array): PullResult {
    const st = this.stats;
    const nowTs = this.clock.now() * this.tsPerMs;
    let target = this.k * this.jitter;
    target = target < this.minTs ? this.minTs : target > this.maxTs ? this.maxTs : target;
    st.targetDelayMs = target / this.tsPerMs;
    if (!this.playing) {
      if (this.count === 0) return PullResult.BUFFERING;
      const fi0 = this.earliest();
      // Talkspurt start: the first frame plays when its delay since the baseline reaches the target.
      if (fi0 * this.frameTs > nowTs - this.base - target) return PullResult.BUFFERING;
      this.playing = true; this.playFi = fi0; this.dryTs = 0; this.dryFrames = 0; this.holdSilence = false; this.deepTs = 0;
    }
    if (this.usePlc && (!this.plc || this.plc.sampleRate !== codec.sampleRate)) this.plc = new Plc(codec.sampleRate);
    const delay = nowTs - this.base - this.playFi * this.frameTs;
    st.currentDelayMs = delay / this.tsPerMs;
    if (st.currentDelayMs > st.maxDelayMs) st.maxDelayMs = st.currentDelayMs;

    if (this.holdSilence) {                                  // drift: one inserted silent frame
      this.holdSilence = false;
      out.fill(0);
      this.plc?.good(out);
      codec.absorbConcealed?.(out, 0, out.length);
      st.inserted++;
      return PullResult.PLAYED;
    }
    const slot = this.playFi & this.mask;
    if (this.fiOf[slot] !== this.playFi) {
      if (this.count === 0 && this.dryTs >= MAX_DRY_CONCEAL_MS * this.tsPerMs) {
        this.playing = false;                              // talkspurt over (or a long outage)
        st.underruns++;
        return PullResult.BUFFERING;
      }
      if (this.count === 0) { this.dryTs += this.frameTs; this.dryFrames++; } else st.lost++;
      if (this.plc) this.plc.conceal(out); else out.fill(0);
      codec.absorbConcealed?.(out, 0, out.length);
      st.concealed++;
      this.lastPlayedFi = this.playFi++;
      return PullResult.CONCEALED;
    }
    const len = this.lenOf[slot]!;
    const maxBytes = Math.min(len, (out.length * codec.payloadBytes(1)) / codec.samplesPerMs);
    const got = codec.decode(this.data, slot * this.maxPayload, maxBytes, out, 0);
    if (got < out.length) out.fill(0, got);
    this.plc?.good(out);
    this.fiOf[slot] = EMPTY; this.count--;
    this.lastPlayedFi = this.playFi++;
    this.dryTs = 0; this.dryFrames = 0;
    // Drift control on a quiet frame: too deep → drop the next frame; too shallow → insert. Too deep
    // for FORCE_DROP_AFTER_MS with no quiet frame: drop the next frame anyway, every FORCE_DROP_EVERY.
    const deep = delay > target + DROP_ABOVE_FRAMES * this.frameTs && this.count > 0;
    this.deepTs = deep ? this.deepTs + this.frameTs : 0;
    const quiet = isQuiet(out);
    const forced = deep && !quiet && this.deepTs >= FORCE_DROP_AFTER_MS * this.tsPerMs;
    if (deep && (quiet || forced)) {
      const next = this.playFi & this.mask;
      if (this.fiOf[next] === this.playFi) { this.fiOf[next] = EMPTY; this.count--; }
      this.lastPlayedFi = this.playFi++;
      st.discarded++; st.dropped++;
      if (forced) this.deepTs -= FORCE_DROP_EVERY * this.frameTs;
    } else if (quiet && delay < target - INSERT_BELOW_FRAMES * this.frameTs) {
      this.holdSilence = true;
    }
    return PullResult.PLAYED;
  }

  /** Smallest buffered frame index (count > 0). */
  private earliest(): number {
    let best = 0x7fffffff;
    for (let i = 0; i < this.nSlots; i++) { const f = this.fiOf[i]!; if (f !== EMPTY && f < best) best = f; }
    return best;
  }
}

function isQuiet(x: Int16Array): boolean {
  for (let i = 0; i < x.length; i++) { const v = x[i]!; if (v > QUIET_PEAK || v < -QUIET_PEAK) return false; }
  return true;
}
