/**
 * Scanned key matrix: rows are outputs driven low one at a time (idle high), columns are inputs
 * with pull-ups, so a pressed key reads low on its column while its row is selected. Debounce and
 * ghost suppression: key-matrix.ts.
 */
import type { Bit, GpioController, GpioLine } from '../api/index.js';
import { ScannedKeyMatrix, type KeyMatrixOptions } from './key-matrix.js';

export interface MatrixKeypadOptions extends KeyMatrixOptions {
  /** Row lines, opened as outputs with initial 1 (idle high). */
  rows: readonly GpioLine[];
  /** Column lines, opened as inputs with pull-up. */
  cols: readonly GpioLine[];
  /**
   * Stop scanning while no key is down: all rows driven low, the columns' edge watchers wake the
   * scan loop on the first press. Only where watch() is event-driven (GpioController.edgeEvents:
   * the emulator, kernel edge events), not where it is itself polled (it would cost as much as the
   * scan); the columns must be opened with edge 'both'.
   */
  idleWake?: boolean;
}

export interface OpenMatrixKeypadOptions extends Omit<MatrixKeypadOptions, 'rows' | 'cols'> {
  gpio: GpioController;
  rows: readonly number[];
  cols: readonly number[];
}

/** Opens the row/column lines on `gpio` with the right direction and bias and builds the keypad. */
export async function openMatrixKeypad(opts: OpenMatrixKeypadOptions): Promise<MatrixKeypad> {
  const consumer = opts.name ?? 'keypad';
  const rows: GpioLine[] = [];
  const cols: GpioLine[] = [];
  for (const o of opts.rows) rows.push(await opts.gpio.openLine(o, { direction: 'out', initial: 1, consumer }));
  for (const o of opts.cols) cols.push(await opts.gpio.openLine(o, { direction: 'in', bias: 'pull-up', consumer, ...(opts.idleWake ? { edge: 'both' as const } : {}) }));
  return new MatrixKeypad({ ...opts, rows, cols });
}

export class MatrixKeypad extends ScannedKeyMatrix {
  private readonly o: MatrixKeypadOptions;

  constructor(opts: MatrixKeypadOptions) {
    super(opts, opts.rows.length, opts.cols.length);
    this.o = opts;
  }

  protected async prepare(): Promise<void> {
    for (const r of this.o.rows) await r.write(1);
  }

  /** All rows low: any press pulls its column low, which its edge watcher reports. */
  protected override async armIdleWake(wake: () => void): Promise<(() => Promise<void>) | undefined> {
    if (!this.o.idleWake) return undefined;
    const offs: (() => void)[] = [];
    const disarm = async (): Promise<void> => {
      for (const off of offs.splice(0)) off();
      for (const r of this.o.rows) await r.write(1);
    };
    try {
      for (const r of this.o.rows) await r.write(0);
      for (const c of this.o.cols) offs.push(c.watch(() => wake()));
      // A press that came before the watchers reads low now.
      for (const c of this.o.cols) if ((await c.read()) === 0) { wake(); break; }
    } catch (e) {
      await disarm().catch(() => {}); // the scan reports the fault; leave the rows idle high
      throw e;
    }
    return disarm;
  }

  protected async readMatrix(): Promise<void> {
    for (let r = 0; r < this.nr; r++) {
      const row = this.o.rows[r]!;
      await row.write(0);
      for (let c = 0; c < this.nc; c++) {
        const v: Bit = await this.o.cols[c]!.read();
        this.raw[r * this.nc + c] = v === 0 ? 1 : 0;
      }
      await row.write(1);
    }
  }
}
