/**
 * Emulated HD44780 character LCD controller (Hitachi datasheet ADE-207-272), driven by pin levels
 * (typically from an emulated PCF8574 backpack). Decodes E-strobed transfers in 8-bit and 4-bit
 * interface mode, keeps DDRAM/CGRAM and the visible screen, and records protocol and timing
 * violations (init sequence of Figure 24, instruction execution times of Table 6).
 */
import type { Clock } from '../api/index.js';
import { a00Char } from './hd44780-charset.js';
import type { EmulatedPcf8574 } from './pcf8574.js';

/** PCF8574 bit numbers of the LCD signals. */
export interface LcdPinMap { rs: number; rw: number; e: number; backlight: number; d4: number; d5: number; d6: number; d7: number }

/** The common backpack wiring (P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7). */
export const DEFAULT_LCD_PIN_MAP: Readonly<LcdPinMap> = { rs: 0, rw: 1, e: 2, backlight: 3, d4: 4, d5: 5, d6: 6, d7: 7 };

export interface EmulatedHd44780Options {
  clock: Clock;
  cols?: number;          // default 16
  rows?: number;          // default 2
  pinMap?: Partial<LcdPinMap>;
  /** DDRAM address of each row's first column; default 0x00,0x40,0x14,0x54 (16x4: 0x10,0x50). */
  rowStarts?: readonly number[];
  /** Entries kept in each of `strobes`, `instructions` and `violations` (oldest dropped first); default 10000, like the I2C bus log. */
  logLimit?: number;
}

export interface LcdViolation { atMs: number; message: string }
export interface LcdStrobe { atMs: number; rs: 0 | 1; rw: 0 | 1; nibble: number }

// Table 6 execution times at fosc = 270 kHz.
const EXEC_CLEAR_HOME_MS = 1.52; // Clear display / Return home
const EXEC_DEFAULT_MS = 0.037;   // all other instructions
const EXEC_WRITE_MS = 0.037 + 0.004; // Write data to RAM: 37 µs + tADD 4 µs
// Figure 24 (4-bit initialisation by instruction) waits.
const POWER_ON_WAIT_MS = 40;   // after Vcc rises to 2.7 V
const INIT_WAIT1_MS = 4.1;     // after the first 0x3
const INIT_WAIT2_MS = 0.1;     // after the second 0x3
const DDRAM_LINE_LEN = 40;     // 2-line mode: 0x00-0x27 and 0x40-0x67 (§Display Data RAM)
const DDRAM_SIZE = 80;         // 80 x 8 bits
const CGRAM_SIZE = 64;         // 8 characters x 8 rows (5x8 font)
const TOLERANCE_MS = 1e-9;
/** Same bound as the emulated I2C bus log (hal/emul/i2c-bus.ts): a long-running sim stays flat. */
const DEFAULT_LOG_LIMIT = 10_000;

/** Appends to a bounded log, dropping the oldest entry when full. */
function record<T>(log: T[], limit: number, entry: T): void {
  if (log.length >= limit) log.splice(0, log.length - limit + 1);
  log.push(entry);
}

export class EmulatedHd44780 {
  readonly cols: number;
  readonly rows: number;
  readonly rowStarts: readonly number[];
  readonly violations: LcdViolation[] = [];
  /** Every E strobe (falling edge) as received, for protocol assertions. */
  readonly strobes: LcdStrobe[] = [];
  /** Completed instructions (RS=0) in order. */
  readonly instructions: number[] = [];
  backlight = false;
  private readonly clock: Clock;
  private readonly logLimit: number;
  private readonly pm: LcdPinMap;
  private readonly ddram = new Uint8Array(DDRAM_SIZE).fill(0x20);
  private readonly cgram = new Uint8Array(CGRAM_SIZE);
  private pins = 0xff; // PCF8574 power-on state: all pins high (SCPS068 §8.3.4)
  private powered = true;
  private powerOnAt: number;
  // Interface state (8-bit on power-on reset, §Initializing by Internal Reset Circuit).
  private eightBit = true;
  private half: number | undefined; // pending high nibble in 4-bit mode
  private twoLine = false;
  private displayOn = false;
  private cursorOn = false;
  private blinkOn = false;
  private increment = true;
  private shiftOnWrite = false;
  private ac = 0;
  private cgMode = false;
  private shift = 0;
  private busyUntil = -Infinity;
  private lastInstr = -1;
  // Init tracking per Figure 24.
  private resetNibbles: number[] = []; // times of 0x3 nibbles received in 8-bit mode
  private initDone = false;
  private lastDataAddr: number | undefined;

  constructor(opts: EmulatedHd44780Options) {
    this.clock = opts.clock;
    this.logLimit = Math.max(1, opts.logLimit ?? DEFAULT_LOG_LIMIT);
    this.cols = opts.cols ?? 16;
    this.rows = opts.rows ?? 2;
    this.pm = { ...DEFAULT_LCD_PIN_MAP, ...opts.pinMap };
    this.rowStarts = opts.rowStarts ?? (this.cols === 16 && this.rows === 4 ? [0x00, 0x40, 0x10, 0x50] : [0x00, 0x40, 0x14, 0x54]);
    this.powerOnAt = this.clock.now();
  }

  /** Wires this controller to a PCF8574's pins and supply. Returns an unsubscribe. */
  connectTo(pcf: EmulatedPcf8574): () => void {
    const a = pcf.onPins((p, at) => this.setPins(p, at));
    const b = pcf.onPower((on, at) => this.setPower(on, at));
    return () => { a(); b(); };
  }

  /** Supply on/off; power-on runs the internal reset (8-bit, display off, DDRAM not cleared reliably: we blank it). */
  setPower(on: boolean, atMs = this.clock.now()): void {
    this.powered = on;
    if (!on) { this.backlight = false; return; }
    this.powerOnAt = atMs;
    this.eightBit = true; this.half = undefined; this.twoLine = false;
    this.displayOn = false; this.cursorOn = false; this.blinkOn = false;
    this.increment = true; this.shiftOnWrite = false; this.ac = 0; this.cgMode = false; this.shift = 0;
    this.busyUntil = -Infinity; this.resetNibbles = []; this.initDone = false; this.lastDataAddr = undefined;
    this.ddram.fill(0x20);
    this.pins = 0xff;
  }

  /** New levels on the 8 pins (one PCF8574 byte). Latches on the E falling edge. */
  setPins(pins: number, atMs = this.clock.now()): void {
    if (!this.powered) return;
    const prev = this.pins;
    this.pins = pins;
    this.backlight = this.bit(pins, this.pm.backlight) === 1;
    if (this.bit(prev, this.pm.e) === 1 && this.bit(pins, this.pm.e) === 0) {
      this.strobe(prev, pins, atMs);
    }
  }

  /** The visible text, one string per row (custom characters shown as ⓪..⑦). Blank when the display is off. */
  screen(): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.rows; r++) {
      let s = '';
      for (let c = 0; c < this.cols; c++) s += this.displayOn ? a00Char(this.cell(r, c)) : ' ';
      out.push(s);
    }
    return out;
  }

  /** DDRAM code shown at (row, col), honouring display shift. */
  cell(row: number, col: number): number {
    const start = this.rowStarts[row] ?? 0;
    const line = start >= 0x40 ? 1 : 0;
    const off = ((start & 0x3f) + col + this.shift) % DDRAM_LINE_LEN;
    return this.ddram[line * DDRAM_LINE_LEN + ((off + DDRAM_LINE_LEN) % DDRAM_LINE_LEN)]!;
  }

  /** CGRAM glyph `slot` as 8 rows of 5 bits. */
  glyph(slot: number): number[] {
    return Array.from(this.cgram.subarray((slot & 7) * 8, (slot & 7) * 8 + 8), (b) => b & 0x1f);
  }

  get isInitialised(): boolean { return this.initDone; }
  get isDisplayOn(): boolean { return this.displayOn; }
  get isFourBit(): boolean { return !this.eightBit; }
  get cursor(): { visible: boolean; blink: boolean; address: number } {
    return { visible: this.cursorOn, blink: this.blinkOn, address: this.ac };
  }

  private bit(pins: number, b: number): 0 | 1 { return ((pins >> b) & 1) as 0 | 1; }

  private strobe(p: number, after: number, at: number): void {
    const nibble = (this.bit(p, this.pm.d7) << 3) | (this.bit(p, this.pm.d6) << 2) | (this.bit(p, this.pm.d5) << 1) | this.bit(p, this.pm.d4);
    const rs = this.bit(p, this.pm.rs);
    const rw = this.bit(p, this.pm.rw);
    record(this.strobes, this.logLimit, { atMs: at, rs, rw, nibble });
    if (rw === 1) {
      // A PCF8574 powers on with all pins high (SCPS068 §8.3.4), so E and RW start high and the
      // driver's first write ends a read cycle. That is harmless before initialisation starts.
      if (this.resetNibbles.length === 0 && !this.initDone) return;
      this.violate(at, 'read cycle (RW=1) strobed: reads are not supported on a write-only backpack; use timed waits instead of the busy flag');
      return;
    }
    const pm = this.pm;
    const dataMask = (1 << pm.rs) | (1 << pm.rw) | (1 << pm.d4) | (1 << pm.d5) | (1 << pm.d6) | (1 << pm.d7);
    if (((p ^ after) & dataMask) !== 0) {
      this.violate(at, 'RS/RW/data changed together with the E falling edge (address/data hold time tAH/tH, Figure 25)');
    }
    if (this.eightBit) {
      // 4-bit wiring: DB0-DB3 are not connected, so an 8-bit transfer carries only the high nibble.
      this.exec(rs, nibble << 4, at);
      return;
    }
    if (this.half === undefined) {
      if (at + TOLERANCE_MS < this.busyUntil) this.busyViolation(at, rs);
      this.half = nibble;
      return;
    }
    const value = (this.half << 4) | nibble;
    this.half = undefined;
    this.exec(rs, value, at);
  }

  private busyViolation(at: number, rs: number): void {
    const prev = this.lastInstr >= 0 ? `0x${this.lastInstr.toString(16).padStart(2, '0')}` : 'data write';
    const waited = (at - (this.busyUntil - this.execTime(this.lastInstr))) * 1000;
    this.violate(at, `${rs ? 'data' : 'instruction'} sent while busy: previous ${prev} needs ${(this.execTime(this.lastInstr) * 1000).toFixed(0)} µs, only ${waited.toFixed(0)} µs elapsed (Table 6)`);
  }

  private execTime(instr: number): number {
    if (instr === 0x01 || instr === 0x02 || instr === 0x03) return EXEC_CLEAR_HOME_MS;
    return instr < 0 ? EXEC_WRITE_MS : EXEC_DEFAULT_MS;
  }

  private exec(rs: number, v: number, at: number): void {
    if (this.eightBit && at + TOLERANCE_MS < this.busyUntil) this.busyViolation(at, rs);
    if (rs === 1) this.writeData(v, at);
    else this.instruction(v, at);
    const t = this.execTime(rs === 1 ? -1 : v);
    this.lastInstr = rs === 1 ? -1 : v;
    this.busyUntil = at + t;
  }

  private instruction(v: number, at: number): void {
    record(this.instructions, this.logLimit, v);
    if (v & 0x80) { this.setDdram(v & 0x7f, at); return; }                     // Set DDRAM address
    if (v & 0x40) { this.cgMode = true; this.ac = v & 0x3f; this.lastDataAddr = undefined; return; } // Set CGRAM address
    if (v & 0x20) { this.functionSet(v, at); return; }
    if (v & 0x10) {                                                              // Cursor or display shift
      const right = (v & 0x04) !== 0;
      if (v & 0x08) this.shift = (this.shift + (right ? -1 : 1) + DDRAM_LINE_LEN) % DDRAM_LINE_LEN;
      else this.ac = this.step(this.ac, right);
      return;
    }
    if (v & 0x08) { this.displayOn = !!(v & 0x04); this.cursorOn = !!(v & 0x02); this.blinkOn = !!(v & 0x01); return; }
    if (v & 0x04) { this.increment = !!(v & 0x02); this.shiftOnWrite = !!(v & 0x01); return; }
    if (v & 0x02) { this.ac = 0; this.shift = 0; this.cgMode = false; return; }  // Return home
    if (v & 0x01) { this.ddram.fill(0x20); this.ac = 0; this.shift = 0; this.increment = true; this.cgMode = false; return; } // Clear
  }

  private functionSet(v: number, at: number): void {
    const dl8 = (v & 0x10) !== 0;
    if (this.eightBit) {
      if (dl8) {
        const n = this.resetNibbles.length;
        const prev = this.resetNibbles[n - 1];
        if (n === 0 && at + TOLERANCE_MS < this.powerOnAt + POWER_ON_WAIT_MS) {
          this.violate(at, `first function set ${((at - this.powerOnAt)).toFixed(2)} ms after power-on; wait > 40 ms after Vcc reaches 2.7 V (Figure 24)`);
        } else if (n === 1 && prev !== undefined && at - prev + TOLERANCE_MS < INIT_WAIT1_MS) {
          this.violate(at, `second 0x3 ${(at - prev).toFixed(3)} ms after the first; wait > 4.1 ms (Figure 24)`);
        } else if (n === 2 && prev !== undefined && at - prev + TOLERANCE_MS < INIT_WAIT2_MS) {
          this.violate(at, `third 0x3 ${((at - prev) * 1000).toFixed(0)} µs after the second; wait > 100 µs (Figure 24)`);
        }
        this.resetNibbles.push(at);
        this.twoLine = (v & 0x08) !== 0;
        if (this.resetNibbles.length >= 3) this.initDone = true; // 8-bit interface initialised
        return;
      }
      if (this.resetNibbles.length < 3) {
        this.violate(at, `switch to 4-bit mode after ${this.resetNibbles.length} of 3 reset function sets (0x3 x3 then 0x2, Figure 24)`);
      }
      this.eightBit = false;
      this.initDone = false; // N and F still unknown: a full 4-bit function set must follow
      return;
    }
    if (dl8) {
      // Re-init from 4-bit mode: nibbles 0x3,0x3 form 0x33 (8-bit function set), so the next 0x3
      // arrives as the third step of Figure 24 and only needs the 100 µs wait.
      this.eightBit = true;
      this.resetNibbles = [at, at];
      return;
    }
    this.twoLine = (v & 0x08) !== 0;
    if (this.rows > 1 && !this.twoLine) this.violate(at, `function set 0x${v.toString(16)} selects 1-line mode on a ${this.rows}-row display`);
    this.initDone = true;
  }

  private setDdram(addr: number, at: number): void {
    this.cgMode = false;
    this.lastDataAddr = undefined;
    if (this.twoLine && ((addr >= DDRAM_LINE_LEN && addr < 0x40) || addr >= 0x40 + DDRAM_LINE_LEN)) {
      this.violate(at, `DDRAM address 0x${addr.toString(16)} does not exist in 2-line mode (0x00-0x27, 0x40-0x67)`);
    }
    this.ac = addr;
  }

  private writeData(v: number, at: number): void {
    if (!this.initDone) this.violate(at, `data 0x${v.toString(16)} written before initialisation completed (Figure 24)`);
    if (this.cgMode) {
      this.cgram[this.ac & 0x3f] = v & 0x1f;
      this.ac = (this.ac + (this.increment ? 1 : -1)) & 0x3f;
      return;
    }
    const idx = this.ddramIndex(this.ac);
    const pos = this.visiblePos(this.ac);
    if (!pos) {
      this.violate(at, `DDRAM write at 0x${this.ac.toString(16)} is outside the visible ${this.cols}x${this.rows} area (written past a row end?)`);
    } else if (this.lastDataAddr !== undefined) {
      const prevPos = this.visiblePos(this.lastDataAddr);
      if (prevPos && prevPos.col === (this.increment ? this.cols - 1 : 0) && pos.row !== prevPos.row) {
        this.violate(at, `auto-increment ran past the end of row ${prevPos.row} into row ${pos.row} (DDRAM 0x${this.ac.toString(16)}); set the address per row`);
      }
    }
    this.ddram[idx] = v;
    this.lastDataAddr = this.ac;
    this.ac = this.step(this.ac, this.increment);
    if (this.shiftOnWrite) this.shift = (this.shift + (this.increment ? 1 : -1) + DDRAM_LINE_LEN) % DDRAM_LINE_LEN;
  }

  private ddramIndex(addr: number): number {
    if (!this.twoLine) return addr % DDRAM_SIZE;
    return (addr >= 0x40 ? DDRAM_LINE_LEN : 0) + ((addr & 0x3f) % DDRAM_LINE_LEN);
  }

  private visiblePos(addr: number): { row: number; col: number } | undefined {
    for (let r = 0; r < this.rows; r++) {
      const s = this.rowStarts[r]!;
      if (addr >= s && addr < s + this.cols) return { row: r, col: addr - s };
    }
    return undefined;
  }

  /** Address counter step with the DDRAM wrap of §Address Counter (0x27 -> 0x40, 0x67 -> 0x00 in 2-line mode). */
  private step(ac: number, up: boolean): number {
    if (this.cgMode) return (ac + (up ? 1 : -1)) & 0x3f;
    if (!this.twoLine) return (ac + (up ? 1 : DDRAM_SIZE - 1)) % DDRAM_SIZE;
    if (up) return ac === 0x27 ? 0x40 : ac === 0x67 ? 0x00 : ac + 1;
    return ac === 0x40 ? 0x27 : ac === 0x00 ? 0x67 : ac - 1;
  }

  private violate(atMs: number, message: string): void {
    record(this.violations, this.logLimit, { atMs, message });
  }
}
