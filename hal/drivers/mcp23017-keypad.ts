/**
 * Key matrix scanned on an MCP23017 with whole-register transfers: per row ONE I2C write of
 * IODIRA/IODIRB (the selected row becomes an output; its OLAT bit is 0, so it drives low) and one
 * 2-byte read of GPIOA/GPIOB (DS20001952C §3.5.1 IODIR, §3.5.10 GPIO, §3.2.1 sequential access).
 * Unselected rows are inputs (high impedance), so two keys in one column never short two driven
 * rows. Columns are inputs with the internal pull-ups (§3.5.7), a pressed key reads low.
 * Debounce: N consecutive equal scans; keys that form a rectangle with 3 pressed corners
 * (ghosting without diodes) get no key-down until the pattern clears, as in matrix-keypad.ts.
 */
import { HalError, type Clock, type Keypad, type KeyName, type TimerHandle } from '../api/index.js';
import { MCP23017_REG, type Mcp23017 } from './mcp23017.js';

export interface Mcp23017KeypadOptions {
  chip: Mcp23017;
  clock: Clock;
  /** Row line offsets (0-15 = GPA0..GPB7). */
  rows: readonly number[];
  cols: readonly number[];
  keymap: readonly (readonly KeyName[])[];
  name?: string;            // default "keypad"
  scanIntervalMs?: number;  // default 10
  debounceScans?: number;   // default 2 (20 ms at 10 ms scans)
  logger?: (message: string) => void;
}

export class Mcp23017Keypad implements Keypad {
  readonly name: string;
  private readonly o: Mcp23017KeypadOptions;
  private readonly nr: number;
  private readonly nc: number;
  private readonly rowMask: number;
  private readonly raw: Uint8Array;
  private readonly stable: Uint8Array;
  private readonly count: Uint8Array;
  private readonly listeners = new Set<(k: KeyName, down: boolean) => void>();
  private timer: TimerHandle | undefined;
  private scanning = false;
  private faultLogged = false;
  private configured = false;

  constructor(opts: Mcp23017KeypadOptions) {
    this.o = opts;
    this.name = opts.name ?? 'keypad';
    this.nr = opts.rows.length;
    this.nc = opts.cols.length;
    const all = [...opts.rows, ...opts.cols];
    if (all.some((p) => !Number.isInteger(p) || p < 0 || p > 15) || new Set(all).size !== all.length) {
      throw new HalError('INVALID', `rows ${opts.rows.join(',')} cols ${opts.cols.join(',')}`, {
        device: `${this.name} on ${opts.chip.label}`, operation: 'configure', hint: 'lines are 0..15 (GPA0..GPB7), each used once',
      });
    }
    if (opts.keymap.length !== this.nr || opts.keymap.some((r) => r.length !== this.nc)) {
      throw new HalError('INVALID', `keymap is ${opts.keymap.length}x${opts.keymap[0]?.length ?? 0}, wiring is ${this.nr}x${this.nc}`, {
        device: this.name, operation: 'configure', hint: 'keymap needs one row per row line and one entry per column line',
      });
    }
    this.rowMask = opts.rows.reduce((m, r) => m | (1 << r), 0);
    this.raw = new Uint8Array(this.nr * this.nc);
    this.stable = new Uint8Array(this.nr * this.nc);
    this.count = new Uint8Array(this.nr * this.nc);
  }

  onKey(cb: (key: KeyName, down: boolean) => void): () => void { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; }

  async start(): Promise<void> {
    if (this.timer) return;
    await this.configure();
    this.timer = this.o.clock.setInterval(() => { void this.scan(); }, this.o.scanIntervalMs ?? 10);
  }

  async stop(): Promise<void> { this.o.clock.clearInterval(this.timer); this.timer = undefined; }

  pressed(): KeyName[] {
    const out: KeyName[] = [];
    for (let i = 0; i < this.stable.length; i++) if (this.stable[i]) out.push(this.key(i));
    return out;
  }

  /** Column pull-ups on, row latches 0, every row and column an input. */
  private async configure(): Promise<void> {
    const chip = this.o.chip;
    const colMask = this.o.cols.reduce((m, c) => m | (1 << c), 0);
    const gppu = (await chip.readReg(MCP23017_REG.GPPUA)) | ((await chip.readReg(MCP23017_REG.GPPUB)) << 8);
    await chip.writeRegs(MCP23017_REG.GPPUA, [(gppu | colMask) & 0xff, ((gppu | colMask) >> 8) & 0xff]);
    const olat = (await chip.readReg(MCP23017_REG.OLATA)) | ((await chip.readReg(MCP23017_REG.OLATB)) << 8);
    await chip.writeRegs(MCP23017_REG.OLATA, [olat & ~this.rowMask & 0xff, ((olat & ~this.rowMask) >> 8) & 0xff]);
    await chip.writeDirections(chip.iodir | this.rowMask | colMask);
    this.configured = true;
  }

  private async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    const chip = this.o.chip;
    try {
      if (!this.configured) await this.configure();
      const idle = chip.iodir | this.rowMask;
      for (let r = 0; r < this.nr; r++) {
        await chip.writeDirections(idle & ~(1 << this.o.rows[r]!)); // the one write per row
        const pins = await chip.readPins();
        for (let c = 0; c < this.nc; c++) this.raw[r * this.nc + c] = (pins >> this.o.cols[c]!) & 1 ? 0 : 1;
      }
      await chip.writeDirections(idle);
      this.faultLogged = false;
      this.debounce();
    } catch (e) {
      if (!this.faultLogged) (this.o.logger ?? console.warn)(`${this.name}: scan failed: ${e instanceof Error ? e.message : String(e)}`);
      this.faultLogged = true;
      this.configured = false; // the expander may come back at power-on defaults
    } finally {
      this.scanning = false;
    }
  }

  private debounce(): void {
    const need = this.o.debounceScans ?? 2;
    for (let i = 0; i < this.raw.length; i++) {
      if (this.raw[i] === this.stable[i]) { this.count[i] = 0; continue; }
      if (++this.count[i]! < need) continue;
      this.count[i] = 0;
      const down = this.raw[i] === 1;
      if (down && this.ambiguous(i)) continue;
      this.stable[i] = down ? 1 : 0;
      for (const cb of [...this.listeners]) cb(this.key(i), down);
    }
  }

  private ambiguous(i: number): boolean {
    const r = Math.floor(i / this.nc), c = i % this.nc;
    const at = (rr: number, cc: number): number => this.raw[rr * this.nc + cc]!;
    for (let r2 = 0; r2 < this.nr; r2++) {
      if (r2 === r) continue;
      for (let c2 = 0; c2 < this.nc; c2++) if (c2 !== c && at(r, c2) + at(r2, c) + at(r2, c2) >= 2) return true;
    }
    return false;
  }

  private key(i: number): KeyName { return this.o.keymap[Math.floor(i / this.nc)]![i % this.nc]!; }
}
