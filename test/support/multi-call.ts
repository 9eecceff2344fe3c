/**
 * Helpers for the several-calls tests (test/firmware/sccp, test/firmware/sscp, test/firmware/phone):
 * a TonePlayer that records what it was asked to play, the most streams a MediaEngine was
 * transmitting at once (read from a recorded operation log), and waits on an emulated board.
 */
import type { TonePlayer } from '../../firmware/media/engine.js';
import type { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { drive } from './fake-sscp-cm.js';

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

/** What the board waits need: the virtual clock and the board's read-back screen and lamps. */
export interface BoardView {
  clock: VirtualClock;
  screen(): string[];
  lamp(name: string): string;
}

/**
 * Waits on an emulated board for the several-calls tests: `until` drives the virtual clock in 20 ms
 * steps while loopback I/O settles (at most 20 s of virtual time), `shows` waits for rows to read a
 * text (or match a RegExp, for call timers), `lampIs` lets a whole wink cadence (1 s on / 1 s off,
 * hal/drivers/lamp.ts) reach the wire before reading a lamp back, `started` drives the clock while
 * the display's power-on waits run.
 */
export function boardWaits(b: BoardView) {
  const until = (what: string, pred: () => boolean): Promise<void> => drive(b.clock, pred, what, 20, 20_000);
  const screen = (): string[] => b.screen().map((r) => r.trimEnd());
  return {
    until,
    screen,
    shows: (rows: Record<number, string | RegExp>): Promise<void> =>
      until(`screen ${String(Object.values(rows))}`, () => Object.entries(rows).every(([i, t]) => {
        const row = screen()[Number(i)] ?? '';
        return typeof t === 'string' ? row === t : t.test(row);
      })).catch((e: Error) => { throw new Error(`${e.message}; the screen shows ${JSON.stringify(screen())}`); }),
    async lampIs(name: string, mode: string): Promise<void> {
      await b.clock.advance(2100);
      await until(`lamp ${name} ${mode} (now ${b.lamp(name)})`, () => b.lamp(name) === mode);
    },
    async started(start: Promise<void>): Promise<void> {
      let done = false;
      const p = start.then(() => { done = true; });
      await until('started', () => done);
      await p;
    },
  };
}
