/**
 * In-band DTMF for both station stacks (SCCP and SSCP): a key pressed while the handset's call is
 * connected also goes out as an RFC 4733 telephone-event on that call's RTP stream, next to the
 * protocol's own digit message (SCCP KeypadButton, SSCP Digit). The call manager collects digits
 * only while dialling; in a call the far end learns digits from RTP (RFC 4733 §1, the reason
 * telephone-events exist: DTMF does not survive low-rate codecs and is needed end to end).
 *
 * Also the receiving half: telephone-events from the far end (MediaEngine DTMF callback) played
 * as the DTMF tone on the earpiece through the phone's TonePlayer.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { MediaEngine, TonePlayer } from '../media/engine.js';
import type { CallStateName } from './signalling.js';

/**
 * Duration of one key press as a telephone-event: 100 ms. RFC 4733 §2.5 (sending procedures)
 * leaves the duration to the source; ITU-T Q.24 receivers need ≥ 40 ms of tone, and 100 ms is the
 * usual key-press length (also the sender's default in firmware/media/dtmf.ts callers).
 */
export const DTMF_KEY_MS = 100;

/** Keys that are RFC 4733 §3.2 DTMF events (0-9, *, #, A-D); '+' is not. */
const DTMF_KEY = /^[0-9*#A-D]$/;

export type DtmfLog = (level: 'debug' | 'warn', msg: string) => void;

/**
 * Remembers which media streams transmit for which call (passThruPartyId / mediaId → call
 * reference) and sends a key as a telephone-event on the connected call's stream.
 */
export class InbandDtmf {
  /** Transmitting stream id → call reference (0 when the CM did not say, e.g. Asterisk ORC). */
  private readonly tx = new Map<number, number>();

  constructor(private readonly media: MediaEngine, private readonly log: DtmfLog = () => {}, readonly ms = DTMF_KEY_MS) {}

  transmitStarted(id: number, callRef: number): void { this.tx.delete(id); this.tx.set(id, callRef); }
  transmitStopped(id: number): void { this.tx.delete(id); }

  /** The stream of `callRef`: the one started for it, else the newest with no call reference. */
  streamFor(callRef: number): number | undefined {
    let anon: number | undefined;
    for (const [id, ref] of this.tx) {
      if (callRef !== 0 && ref === callRef) return id;
      if (ref === 0 || callRef === 0) anon = id;
    }
    return anon;
  }

  /**
   * A key was pressed on `callRef` in `state`. Sends it in RTP when the call is connected; returns
   * the stream id used, or undefined when nothing was sent (not connected, no stream, not DTMF).
   */
  key(key: string, callRef: number, state: CallStateName | undefined): number | undefined {
    if (state !== 'connected' || !this.media.sendDtmf) return undefined;
    const k = key.toUpperCase();
    if (!DTMF_KEY.test(k)) return undefined;
    const id = this.streamFor(callRef);
    if (id === undefined) { this.log('debug', `DTMF '${k}' not sent in RTP: call ${callRef} has no transmitting stream`); return undefined; }
    try {
      this.media.sendDtmf(id, k, this.ms);
      return id;
    } catch (e) {
      this.log('warn', `DTMF '${k}' on stream ${id} failed: ${(e as Error).message}`);
      return undefined;
    }
  }
}

/**
 * Plays far-end telephone-events as local DTMF tones ('dtmf-5', firmware/media/tones.ts) for
 * `ms` each. The engine reports an event on its first packet (RFC 4733 §2.5.2.2), without its final
 * duration, so each digit sounds for the key-press length. A call-progress tone that was playing is
 * not cut by a late stop: the stop only ends the DTMF tone it started.
 */
export class FarEndDtmfPlayer {
  private timer: TimerHandle | undefined;

  constructor(private readonly tones: TonePlayer, private readonly clock: Clock, private readonly ms = DTMF_KEY_MS) {}

  play(digit: string): void {
    const k = digit.toUpperCase();
    if (!DTMF_KEY.test(k)) return;
    const name = `dtmf-${k}`;
    this.clock.clearTimeout(this.timer);
    this.tones.play(name);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.tones.playing === name) this.tones.stop();
    }, this.ms);
  }

  stop(): void { this.clock.clearTimeout(this.timer); this.timer = undefined; }
}
