/**
 * Helpers for the several-calls tests (test/firmware/sccp, test/firmware/sscp, test/firmware/phone):
 * a TonePlayer that records what it was asked to play, and the most streams a MediaEngine was
 * transmitting at once, read from a recorded operation log.
 */
import type { TonePlayer } from '../../firmware/media/engine.js';

export class RecordingTones implements TonePlayer {
  playing: string | undefined;
  readonly log: string[] = [];
  play(tone: string): void { this.playing = tone; this.log.push(`play ${tone}`); }
  stop(): void { this.playing = undefined; this.log.push('stop'); }
}

/** The largest number of streams transmitting at the same time in `ops` (startTransmit … stopTransmit). */
export function maxTransmitting(ops: ReadonlyArray<{ op: string; id?: number }>): number {
  const tx = new Set<number>();
  let max = 0;
  for (const o of ops) {
    if (o.op === 'startTransmit' && o.id !== undefined) tx.add(o.id);
    else if (o.op === 'stopTransmit' && o.id !== undefined) tx.delete(o.id);
    max = Math.max(max, tx.size);
  }
  return max;
}
