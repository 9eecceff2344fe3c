/**
 * One call's media at a time (docs/features.md §2 "Several calls"): like a 7960, the phone sends and
 * plays only the connected call it talks to; a held call sends and plays nothing, and two streams
 * are never mixed (a conference is mixed by the call manager's bridge, not on the phone). The CM
 * stops a call's streams before it holds it (SCCP CloseReceiveChannel + StopMediaTransmission,
 * SSCP MediaStop + MediaClose, docs/sccp.md §5 "Hold / resume"); this bookkeeping keeps the rule
 * whatever the CM does: a stream starting to transmit stops every other transmitting stream, and a
 * call put on hold stops its stream. The receive sides stay open (the MediaEngine plays a stream
 * only while it transmits to its negotiated peer), so a CM that restarts transmission on resume
 * with the same ids still works. Protocol-neutral; shared by both stations' media modules.
 */
import type { MediaEngine } from '../media/engine.js';
import type { InbandDtmf } from './inband-dtmf.js';

export type OneCallLog = (level: 'info' | 'error', msg: string, ctx?: Record<string, unknown>) => void;

export class OneCallMedia {
  /** Transmitting stream id → call reference it belongs to (0 = the CM did not say). */
  private readonly tx = new Map<number, number>();

  constructor(private readonly media: MediaEngine, private readonly log: OneCallLog, private readonly dtmf?: InbandDtmf) {}

  /** Stream `id` of call `callRef` is about to transmit: every other transmitting stream stops first. */
  async starting(id: number, callRef: number): Promise<void> {
    const others = [...this.tx.keys()].filter((o) => o !== id);
    this.tx.set(id, callRef);
    this.dtmf?.transmitStarted(id, callRef);
    for (const o of others) await this.stop(o, `stream ${id} (call ${callRef || '?'}) starts: a phone plays one call at a time`);
  }

  /** Stream `id` stopped transmitting (the CM's Stop, the user hanging up). */
  stopped(id: number): void {
    this.tx.delete(id);
    this.dtmf?.transmitStopped(id);
  }

  /**
   * Call `callRef` went on hold: its transmitting stream stops if the CM has not stopped it. A stream
   * the CM gave no call reference for (Asterisk's OpenReceiveChannel carries 0, docs/sccp.md §3)
   * counts as the held call's: at most one stream transmits (starting()), and it is no other known call's.
   */
  async held(callRef: number): Promise<void> {
    for (const [id, ref] of [...this.tx]) if (ref === callRef || ref === 0) await this.stop(id, `call ${callRef} is on hold`);
  }

  /** The streams transmitting now (diagnostics, tests). */
  get transmitting(): number[] { return [...this.tx.keys()]; }

  private async stop(id: number, why: string): Promise<void> {
    this.stopped(id);
    this.log('info', `media stream ${id} still transmitting: stopped (${why})`, { stream: id });
    try {
      await this.media.stopTransmit(id);
    } catch (e) {
      this.log('error', `media.stopTransmit(${id}) failed: ${(e as Error).message}`, { stream: id });
    }
  }
}
