/**
 * Scanned key matrix: rows are outputs driven low one at a time (idle high), columns are inputs
 * with pull-ups, so a pressed key reads low on its column while its row is selected. Each key is
 * debounced over N consecutive equal scans. Without diodes, three pressed corners of a rectangle
 * make the fourth read pressed; such ambiguous keys get no new key-down until the pattern clears.
 */
import { HalError, type Bit, type Clock, type GpioController, type GpioLine, type Keypad, type KeyName, type TimerHandle } from '../api/index.js';

export interface MatrixKeypadOptions {
  clock: Clock;
  /** Row lines, opened as outputs with initial 1 (idle high). */
  rows: readonly GpioLine[];
  /** Column lines, opened as inputs with pull-up. */
  cols: readonly GpioLine[];
  /** keymap[row][col] = key name ('' = no key there). */
  keymap: readonly (readonly KeyName[])[];
  name?: string;              // default "keypad"
  scanIntervalMs?: number;    // default 10
  /** Consecutive equal scans before a change is accepted; default 2 (20 ms at 10 ms scans). */
  debounceScans?: number;
  logger?: (message: string) => void;
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
  for (const o of opts.cols) cols.push(await opts.gpio.openLine(o, { direction: 'in', bias: 'pull-up', consumer }));
  return new MatrixKeypad({ ...opts, rows, cols });
}

const DEFAULT_SCAN_MS = 10;
const DEFAULT_DEBOUNCE_SCANS = 2;

export class MatrixKeypad implements Keypad {
  readonly name: string;
  private readonly o: MatrixKeypadOptions;
  private readonly nr: number;
  private readonly nc: number;
  private readonly raw: Uint8Array;
  private readonly stable: Uint8Array;
  private readonly count: Uint8Array;
  private readonly listeners = new Set<(key: KeyName, down: boolean) => void>();
  private timer: TimerHandle | undefined;
  private scanning = false;
  private faultLogged = false;

  constructor(opts: MatrixKeypadOptions) {
    this.o = opts;
    this.name = opts.name ?? 'keypad';
    this.nr = opts.rows.length;
    this.nc = opts.cols.length;
    if (opts.keymap.length !== this.nr || opts.keymap.some((r) => r.length !== this.nc)) {
      throw new HalError('INVALID', `keymap is ${opts.keymap.length}x${opts.keymap[0]?.length ?? 0}, wiring is ${this.nr}x${this.nc}`, {
        device: this.name, operation: 'configure', hint: 'keymap needs one row per row line and one entry per column line',
      });
    }
    this.raw = new Uint8Array(this.nr * this.nc);
    this.stable = new Uint8Array(this.nr * this.nc);
    this.count = new Uint8Array(this.nr * this.nc);
  }

  onKey(cb: (key: KeyName, down: boolean) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  async start(): Promise<void> {
    if (this.timer) return;
    for (const r of this.o.rows) await r.write(1);
    this.timer = this.o.clock.setInterval(() => { void this.scan(); }, this.o.scanIntervalMs ?? DEFAULT_SCAN_MS);
  }

  async stop(): Promise<void> {
    this.o.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Keys currently reported down. */
  pressed(): KeyName[] {
    const out: KeyName[] = [];
    for (let i = 0; i < this.stable.length; i++) if (this.stable[i]) out.push(this.key(i));
    return out;
  }

  private async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      for (let r = 0; r < this.nr; r++) {
        const row = this.o.rows[r]!;
        await row.write(0);
        for (let c = 0; c < this.nc; c++) {
          const v: Bit = await this.o.cols[c]!.read();
          this.raw[r * this.nc + c] = v === 0 ? 1 : 0;
        }
        await row.write(1);
      }
      this.faultLogged = false;
      this.debounce();
    } catch (e) {
      if (!this.faultLogged) (this.o.logger ?? console.warn)(`${this.name}: scan failed: ${e instanceof Error ? e.message : String(e)}`);
      this.faultLogged = true;
    } finally {
      this.scanning = false;
    }
  }

  private debounce(): void {
    const need = this.o.debounceScans ?? DEFAULT_DEBOUNCE_SCANS;
    for (let i = 0; i < this.raw.length; i++) {
      if (this.raw[i] === this.stable[i]) { this.count[i] = 0; continue; }
      if (++this.count[i]! < need) continue;
      this.count[i] = 0;
      const down = this.raw[i] === 1;
      if (down && this.ambiguous(i)) continue; // ghost suppression: keep counting, report nothing
      this.stable[i] = down ? 1 : 0;
      const key = this.key(i);
      for (const cb of [...this.listeners]) cb(key, down);
    }
  }

  /** True if key i is a corner of a rectangle with at least 3 raw-pressed corners. */
  private ambiguous(i: number): boolean {
    const r = Math.floor(i / this.nc);
    const c = i % this.nc;
    const at = (rr: number, cc: number): number => this.raw[rr * this.nc + cc]!;
    for (let r2 = 0; r2 < this.nr; r2++) {
      if (r2 === r) continue;
      for (let c2 = 0; c2 < this.nc; c2++) {
        if (c2 === c) continue;
        if (at(r, c2) + at(r2, c) + at(r2, c2) >= 2) return true; // with key i itself: >= 3 corners
      }
    }
    return false;
  }

  private key(i: number): KeyName { return this.o.keymap[Math.floor(i / this.nc)]![i % this.nc]!; }
}
