/**
 * Key matrix scanned on an MCP23017 with whole-register transfers: per row ONE I2C write of
 * IODIRA/IODIRB (the selected row becomes an output; its OLAT bit is 0, so it drives low) and one
 * 2-byte read of GPIOA/GPIOB (DS20001952C §3.5.1 IODIR, §3.5.10 GPIO, §3.2.1 sequential access).
 * Unselected rows are inputs (high impedance), so two keys in one column never short two driven
 * rows. Columns are inputs with the internal pull-ups (§3.5.7), a pressed key reads low.
 * Debounce and ghost suppression: key-matrix.ts.
 */
import { HalError } from '../api/index.js';
import { ScannedKeyMatrix, type KeyMatrixOptions } from './key-matrix.js';
import { MCP23017_REG, type Mcp23017 } from './mcp23017.js';

export interface Mcp23017KeypadOptions extends KeyMatrixOptions {
  chip: Mcp23017;
  /** Row line offsets (0-15 = GPA0..GPB7). */
  rows: readonly number[];
  cols: readonly number[];
}

/** Rows and columns are distinct lines 0..15 (GPA0..GPB7). */
function checkLines(opts: Mcp23017KeypadOptions): Mcp23017KeypadOptions {
  const all = [...opts.rows, ...opts.cols];
  if (all.some((p) => !Number.isInteger(p) || p < 0 || p > 15) || new Set(all).size !== all.length) {
    throw new HalError('INVALID', `rows ${opts.rows.join(',')} cols ${opts.cols.join(',')}`, {
      device: `${opts.name ?? 'keypad'} on ${opts.chip.label}`, operation: 'configure', hint: 'lines are 0..15 (GPA0..GPB7), each used once',
    });
  }
  return opts;
}

export class Mcp23017Keypad extends ScannedKeyMatrix {
  private readonly o: Mcp23017KeypadOptions;
  private readonly rowMask: number;
  private configured = false;

  constructor(opts: Mcp23017KeypadOptions) {
    super(checkLines(opts), opts.rows.length, opts.cols.length);
    this.o = opts;
    this.rowMask = opts.rows.reduce((m, r) => m | (1 << r), 0);
  }

  protected prepare(): Promise<void> { return this.configure(); }

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

  protected async readMatrix(): Promise<void> {
    const chip = this.o.chip;
    if (!this.configured) await this.configure();
    const idle = chip.iodir | this.rowMask;
    for (let r = 0; r < this.nr; r++) {
      await chip.writeDirections(idle & ~(1 << this.o.rows[r]!)); // the one write per row
      const pins = await chip.readPins();
      for (let c = 0; c < this.nc; c++) this.raw[r * this.nc + c] = (pins >> this.o.cols[c]!) & 1 ? 0 : 1;
    }
    await chip.writeDirections(idle);
  }

  /** The expander may come back at power-on defaults: configure again before the next scan. */
  protected override scanFailed(): void { this.configured = false; }
}
