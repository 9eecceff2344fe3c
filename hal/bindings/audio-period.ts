/**
 * Cuts a capture byte stream (S16_LE, any chunking) into whole periods in one preallocated
 * buffer, so a source hands the consumer exactly `periodFrames` samples per call with no
 * per-chunk allocation. Shared by the arecord and alsa-capture sources.
 */
export class PeriodAssembler {
  /** The period being filled; handed to the consumer when full (reused afterwards). */
  readonly period: Int16Array;
  private readonly bytes: Uint8Array;
  private fill = 0;
  /** Whole periods delivered since the last reset. */
  periods = 0;

  constructor(periodFrames: number) {
    this.period = new Int16Array(periodFrames);
    this.bytes = new Uint8Array(this.period.buffer); // little-endian hosts (x86, ARM Linux) = S16_LE
  }

  reset(): void { this.fill = 0; }

  /**
   * Appends `chunk`; calls `onPeriod` for every completed period while `keepGoing()` holds. A
   * consumer that throws is reported through `onError` and does not stop the stream.
   */
  push(chunk: Uint8Array, onPeriod: (samples: Int16Array) => void, onError: (e: Error) => void, keepGoing: () => boolean): void {
    const pb = this.bytes;
    let i = 0;
    while (i < chunk.length && keepGoing()) {
      const n = Math.min(chunk.length - i, pb.length - this.fill);
      for (let k = 0; k < n; k++) pb[this.fill + k] = chunk[i + k]!;
      this.fill += n;
      i += n;
      if (this.fill === pb.length) {
        this.fill = 0;
        this.periods++;
        try { onPeriod(this.period); } catch (e) { onError(e instanceof Error ? e : new Error(String(e))); }
      }
    }
  }
}
