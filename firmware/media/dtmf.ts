/**
 * RFC 4733 telephone-events (DTMF over RTP): payload format, a sender state machine driven once
 * per packet time by the engine's transmit path, and a receiver that reports each event once.
 *
 * Payload (RFC 4733 §2.3):
 *   event (8) | E (1) | R (1) | volume (6) | duration (16, timestamp units)
 *
 * Sending rules followed (RFC 4733 §2.5.1): all packets of one event carry the event's start
 * timestamp; the first has the RTP marker bit; updates go out every packet time with the duration
 * so far; the final packet (E=1, final duration) is sent three times (§2.5.1.4). Audio packets are
 * replaced by event packets while an event is on (the playout side conceals them).
 */

/** Dynamic payload type commonly negotiated for telephone-event/8000 (RFC 3551 §3: 96..127 dynamic). */
export const DTMF_DEFAULT_PT = 101;
/** RFC 4733 §2.3.4: volume as −dBm0, 0..63. 10 = −10 dBm0, what most phones send. */
export const DTMF_DEFAULT_VOLUME = 10;
/** RFC 4733 §2.5.1.4: the final packet is sent a total of three times. */
export const DTMF_END_REPEATS = 3;
/** RFC 4733 §2.3: fixed payload size of one event. */
export const DTMF_PAYLOAD_LEN = 4;
/** RFC 4733 §2.5.2.3: duration is 16 bits; longer events would need segments, so we cap below it. */
const MAX_DURATION_TS = 0xffff;
/** Queued digits kept at most (a dialled number plus margin). */
const QUEUE_LEN = 32;

/** RFC 4733 §3.2 Table 3: events 0-9, * = 10, # = 11, A-D = 12-15. */
const DIGITS = '0123456789*#ABCD';

/** Event code of a DTMF digit ('0'-'9', '*', '#', 'A'-'D', case-insensitive), −1 if not one. */
export function dtmfEventCode(digit: string): number {
  if (digit.length !== 1) return -1;
  return DIGITS.indexOf(digit.toUpperCase());
}

/** The digit of an event code 0..15, undefined otherwise (no allocation: single-char strings are interned). */
export function dtmfDigit(code: number): string | undefined {
  return code >= 0 && code < DIGITS.length ? DIGITS[code] : undefined;
}

export interface DtmfEventView { event: number; end: boolean; volume: number; duration: number }

export function newDtmfEventView(): DtmfEventView { return { event: 0, end: false, volume: 0, duration: 0 }; }

/** Writes one event payload (RFC 4733 §2.3) at `off`; returns 4. */
export function writeDtmfEvent(b: Uint8Array, off: number, event: number, end: boolean, volume: number, duration: number): number {
  b[off] = event & 0xff;
  b[off + 1] = (end ? 0x80 : 0) | (volume & 0x3f);        // E bit 7, R bit 6 = 0, volume bits 5..0
  const d = duration > MAX_DURATION_TS ? MAX_DURATION_TS : duration;
  b[off + 2] = (d >>> 8) & 0xff;
  b[off + 3] = d & 0xff;
  return DTMF_PAYLOAD_LEN;
}

/** Parses one event payload; false when shorter than 4 bytes. */
export function parseDtmfEvent(b: Uint8Array, off: number, len: number, out: DtmfEventView): boolean {
  if (len < DTMF_PAYLOAD_LEN || off + DTMF_PAYLOAD_LEN > b.length) return false;
  out.event = b[off]!;
  out.end = (b[off + 1]! & 0x80) !== 0;
  out.volume = b[off + 1]! & 0x3f;
  out.duration = (b[off + 2]! << 8) | b[off + 3]!;
  return true;
}

/** Sender state for one transmit stream. */
export class DtmfSender {
  private readonly qCode = new Int16Array(QUEUE_LEN);
  private readonly qDur = new Int32Array(QUEUE_LEN);
  private qHead = 0;
  private qLen = 0;
  private code = -1;
  private target = 0;
  private elapsed = 0;
  private endsSent = 0;
  /** Timestamp of the current event (valid while `active`). */
  eventTs = 0;
  /** Marker bit for the packet just produced by `step`. */
  marker = false;
  /** Events completed (all end packets sent). */
  eventsSent = 0;

  constructor(readonly volume = DTMF_DEFAULT_VOLUME) {}

  /** True while an event is being sent or digits are queued. */
  get active(): boolean { return this.code >= 0 || this.qLen > 0; }

  /** Queues a digit lasting `durationTs` timestamp units. Throws (with context) on a bad digit or a full queue. */
  enqueue(digit: string, durationTs: number): void {
    const code = dtmfEventCode(digit);
    if (code < 0) throw new Error(`dtmf: '${digit}' is not a DTMF digit (expected 0-9, *, #, A-D)`);
    if (this.qLen === QUEUE_LEN) throw new Error(`dtmf: queue full (${QUEUE_LEN} digits pending)`);
    const i = (this.qHead + this.qLen) % QUEUE_LEN;
    this.qCode[i] = code;
    this.qDur[i] = Math.max(1, Math.min(MAX_DURATION_TS, Math.round(durationTs)));
    this.qLen++;
  }

  /**
   * Produces the event payload for the packet time starting at RTP timestamp `ts` (lasting
   * `tsStep`) into `b[off..off+4)`. Returns 4, or 0 when idle (send audio instead).
   */
  step(ts: number, tsStep: number, b: Uint8Array, off: number): number {
    if (this.code < 0) {
      if (this.qLen === 0) return 0;
      this.code = this.qCode[this.qHead]!;
      this.target = this.qDur[this.qHead]!;
      this.qHead = (this.qHead + 1) % QUEUE_LEN;
      this.qLen--;
      this.eventTs = ts;
      this.elapsed = 0;
      this.endsSent = 0;
      this.marker = true;                       // RFC 4733 §2.5.1.3: marker on the first packet of an event
    } else {
      this.marker = false;
    }
    this.elapsed += tsStep;
    let end = false;
    let duration = this.elapsed;
    if (this.elapsed >= this.target) { end = true; duration = this.target; this.endsSent++; }
    writeDtmfEvent(b, off, this.code, end, this.volume, duration);
    if (this.endsSent >= DTMF_END_REPEATS) { this.code = -1; this.eventsSent++; }
    return DTMF_PAYLOAD_LEN;
  }

  reset(): void { this.code = -1; this.qLen = 0; this.qHead = 0; }
}

/** Receiver: reports each event once, on its first packet, deduplicating by RTP timestamp (RFC 4733 §2.5.2.2). */
export class DtmfReceiver {
  private lastTs = 0;
  private lastSsrc = 0;
  private seen = false;
  private readonly view = newDtmfEventView();
  /** Event packets received / malformed / with an event code that is not a DTMF digit. */
  packets = 0; malformed = 0; nonDigit = 0;

  /** Returns the digit of a new event, or undefined for a repeat/end/malformed packet. */
  onPacket(ssrc: number, ts: number, b: Uint8Array, off: number, len: number): string | undefined {
    this.packets++;
    if (!parseDtmfEvent(b, off, len, this.view)) { this.malformed++; return undefined; }
    if (this.seen && ts === this.lastTs && ssrc === this.lastSsrc) return undefined;
    this.seen = true; this.lastTs = ts; this.lastSsrc = ssrc;
    const d = dtmfDigit(this.view.event);
    if (d === undefined) this.nonDigit++;
    return d;
  }

  reset(): void { this.seen = false; }
}
