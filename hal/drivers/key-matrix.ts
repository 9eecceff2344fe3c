/**
 * The scan loop, debounce and ghost suppression shared by the key-matrix drivers (GPIO matrix,
 * MCP23017 matrix). A driver reads one whole matrix into `raw` (1 = pressed); each key is
 * debounced over N consecutive equal scans. Without diodes, three pressed corners of a rectangle
 * make the fourth read pressed; such ambiguous keys get no new key-down until the pattern clears.
 */
import { HalError, type Clock, type Keypad, type KeyName, type TimerHandle } from '../api/index.js';

export interface KeyMatrixOptions {
  clock: Clock;
  /** keymap[row][col] = key name ('' = no key there). */
  keymap: readonly (readonly KeyName[])[];
  name?: string;              // default "keypad"
  scanIntervalMs?: number;    // default 10
  /** Consecutive equal scans before a change is accepted; default 2 (20 ms at 10 ms scans). */
  debounceScans?: number;
  logger?: (message: string) => void;
}

const DEFAULT_SCAN_MS = 10;
const DEFAULT_DEBOUNCE_SCANS = 2;

export abstract class ScannedKeyMatrix implements Keypad {
  readonly name: string;
  protected readonly nr: number;
  protected readonly nc: number;
  /** The last scan, row-major: raw[r * nc + c] = 1 when the key reads pressed. */
  protected readonly raw: Uint8Array;
  private readonly stable: Uint8Array;
  private readonly count: Uint8Array;
  private readonly listeners = new Set<(key: KeyName, down: boolean) => void>();
  private timer: TimerHandle | undefined;
  private scanning = false;
  private faultLogged = false;

  constructor(private readonly m: KeyMatrixOptions, rows: number, cols: number) {
    this.name = m.name ?? 'keypad';
    this.nr = rows;
    this.nc = cols;
    if (m.keymap.length !== this.nr || m.keymap.some((r) => r.length !== this.nc)) {
      throw new HalError('INVALID', `keymap is ${m.keymap.length}x${m.keymap[0]?.length ?? 0}, wiring is ${this.nr}x${this.nc}`, {
        device: this.name, operation: 'configure', hint: 'keymap needs one row per row line and one entry per column line',
      });
    }
    this.raw = new Uint8Array(this.nr * this.nc);
    this.stable = new Uint8Array(this.nr * this.nc);
    this.count = new Uint8Array(this.nr * this.nc);
  }

  /** Sets the lines up before the first scan. */
  protected abstract prepare(): Promise<void>;
  /** Reads the whole matrix into `raw`; throws on a bus/line fault. */
  protected abstract readMatrix(): Promise<void>;
  /** A scan failed (after the fault is logged once). */
  protected scanFailed(): void {}
  /**
   * Optional idle wake-up: set the lines so that any key press changes an input, and call `wake`
   * on that change; resolves to a function that undoes it (before scanning resumes). A driver
   * that returns undefined (the default) is scanned all the time.
   */
  protected armIdleWake(_wake: () => void): Promise<(() => Promise<void>) | undefined> { return Promise.resolve(undefined); }

  /** Parked: no key down, no change being debounced, waiting for armIdleWake's wake instead of scanning. */
  private parked: { disarm: (() => Promise<void>) | undefined; woken: boolean } | undefined;

  onKey(cb: (key: KeyName, down: boolean) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  async start(): Promise<void> {
    if (this.timer || this.parked) return;
    this.running = true;
    await this.prepare();
    this.timer = this.m.clock.setInterval(() => { void this.scan(); }, this.m.scanIntervalMs ?? DEFAULT_SCAN_MS);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.m.clock.clearInterval(this.timer);
    this.timer = undefined;
    const p = this.parked;
    this.parked = undefined;
    if (p) { p.woken = true; await p.disarm?.(); }
  }

  /** Everything released and settled: stop the scan loop and wait for a wake-up edge (if the driver has one). */
  private async park(): Promise<void> {
    const p: { disarm: (() => Promise<void>) | undefined; woken: boolean } = { disarm: undefined, woken: false };
    const wake = (): void => { if (this.parked === p && p.disarm) void this.unpark(p); else p.woken = true; };
    const disarm = await this.armIdleWake(wake);
    if (!disarm) { this.idleWakeUnsupported = true; return; }
    if (!this.timer) { await disarm(); return; }         // stopped meanwhile
    this.m.clock.clearInterval(this.timer);
    this.timer = undefined;
    p.disarm = disarm;
    this.parked = p;
    if (p.woken) await this.unpark(p);                  // a press raced the arming
  }

  private async unpark(p: { disarm: (() => Promise<void>) | undefined }): Promise<void> {
    if (this.parked !== p) return;
    this.parked = undefined;
    try { await p.disarm?.(); } catch (e) { this.fault(e); } // the scan loop resumes anyway and reports its own faults
    if (!this.running || this.timer) return;            // stopped (or restarted) while the lines were restored
    this.timer = this.m.clock.setInterval(() => { void this.scan(); }, this.m.scanIntervalMs ?? DEFAULT_SCAN_MS);
    void this.scan();
  }

  private idleWakeUnsupported = false;
  /** Between start() and stop(), scanning or parked. */
  private running = false;

  /** No key reads pressed, none is reported down, no change is being debounced. */
  private quiet(): boolean {
    for (let i = 0; i < this.raw.length; i++) if (this.raw[i] || this.stable[i] || this.count[i]) return false;
    return true;
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
      await this.readMatrix();
      this.faultLogged = false;
      this.debounce();
      if (!this.idleWakeUnsupported && this.timer && this.quiet()) await this.park();
    } catch (e) {
      this.fault(e);
      this.scanFailed();
    } finally {
      this.scanning = false;
    }
  }

  /** Logs a line fault once until a scan succeeds again. */
  private fault(e: unknown): void {
    if (!this.faultLogged) (this.m.logger ?? console.warn)(`${this.name}: scan failed: ${e instanceof Error ? e.message : String(e)}`);
    this.faultLogged = true;
  }

  private debounce(): void {
    const need = this.m.debounceScans ?? DEFAULT_DEBOUNCE_SCANS;
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

  private key(i: number): KeyName { return this.m.keymap[Math.floor(i / this.nc)]![i % this.nc]!; }
}
