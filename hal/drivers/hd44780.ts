/**
 * HD44780 character LCD behind a PCF8574 I2C backpack (Hitachi ADE-207-272, TI SCPS068).
 * Each E edge is one expander byte carrying RS, backlight and the data nibble, so a nibble costs
 * two bytes [nibble|E, nibble] and an instruction four. Only changed cells are rewritten (diff
 * against a shadow of the device). NACK/EIO take the display offline: show() keeps updating the
 * shadow, the bus is probed on the Clock and the display is re-initialised and redrawn on return.
 *
 * Timing: waits come from the Clock. Instructions other than clear/home (37 µs, Table 6) need no
 * explicit wait because one I2C byte takes >= 22.5 µs even at 400 kHz and two bytes separate the
 * last E edge of one instruction from the first of the next.
 */
import { HalError, type Clock, type I2cBus, type TextDisplay } from '../api/index.js';
import { Outage } from './outage.js';
import { encodeA00 } from './hd44780-encode.js';

/** PCF8574 bit numbers of the LCD signals. */
export interface LcdPinMap { rs: number; rw: number; e: number; backlight: number; d4: number; d5: number; d6: number; d7: number }
/** The common backpack wiring (P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7). */
export const DEFAULT_LCD_PIN_MAP: Readonly<LcdPinMap> = { rs: 0, rw: 1, e: 2, backlight: 3, d4: 4, d5: 5, d6: 6, d7: 7 };

export interface Hd44780DisplayOptions {
  bus: I2cBus;
  /** 7-bit address; PCF8574 backpacks are 0x20-0x27, PCF8574A 0x38-0x3F (SCPS068 §8.3.2). */
  address: number;
  clock: Clock;
  cols?: number;              // default 16
  rows?: number;              // default 2
  name?: string;              // default "lcd"
  pinMap?: Partial<LcdPinMap>;
  /** DDRAM address of each row; default 0x00,0x40,0x14,0x54 (16x4: 0x00,0x40,0x10,0x50). */
  rowStarts?: readonly number[];
  /** Where "offline"/"online" messages go; default console.warn. */
  logger?: (message: string) => void;
  /** Probe period while offline; default 1000 ms. */
  probeIntervalMs?: number;
  backlight?: boolean;        // initial state, default true
}

// Figure 24 (initialising by instruction, 4-bit) and Table 6 waits, each with a margin.
const POWER_ON_WAIT_MS = 50;   // > 40 ms after Vcc reaches 2.7 V
const RESET1_WAIT_MS = 4.5;    // > 4.1 ms after the first 0x3
const RESET2_WAIT_MS = 0.2;    // > 100 µs after the second 0x3
const CLEAR_WAIT_MS = 2;       // clear display 1.52 ms at 270 kHz (Table 6)
const DRAIN_WAIT_MS = 1;       // let queued transfers finish before a timed instruction
// Instructions (Table 6).
const CMD_CLEAR = 0x01;
const CMD_ENTRY_INC = 0x06;    // entry mode set: I/D=1 increment, S=0 no shift
const CMD_DISPLAY_OFF = 0x08;
const CMD_DISPLAY_ON = 0x0c;   // D=1, cursor off, blink off
const CMD_FUNC_4BIT_2LINE = 0x28; // DL=0 4-bit, N=1 2 lines, F=0 5x8
const CMD_FUNC_4BIT_1LINE = 0x20;
const CMD_SET_CGRAM = 0x40;
const CMD_SET_DDRAM = 0x80;
const SPACE = 0x20;
const GLYPH_SLOTS = 8;         // CGRAM holds 8 5x8 characters
const GLYPH_ROWS = 8;

export class Hd44780Display implements TextDisplay {
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  private readonly bus: I2cBus;
  private readonly address: number;
  private readonly clock: Clock;
  private readonly pm: LcdPinMap;
  private readonly rowStarts: readonly number[];
  private readonly log: (m: string) => void;
  private readonly outage: Outage;
  private readonly desired: Uint8Array;
  private readonly onDevice: Uint8Array;
  private readonly glyphs: (Uint8Array | undefined)[] = new Array(GLYPH_SLOTS).fill(undefined);
  private backlightOn: boolean;
  private queue: Promise<void> = Promise.resolve();
  private flushQueued = false;

  constructor(opts: Hd44780DisplayOptions) {
    this.bus = opts.bus;
    this.address = opts.address;
    this.clock = opts.clock;
    this.cols = opts.cols ?? 16;
    this.rows = opts.rows ?? 2;
    this.name = opts.name ?? 'lcd';
    this.pm = { ...DEFAULT_LCD_PIN_MAP, ...opts.pinMap };
    this.rowStarts = opts.rowStarts ?? (this.cols === 16 && this.rows === 4 ? [0x00, 0x40, 0x10, 0x50] : [0x00, 0x40, 0x14, 0x54]);
    if (this.rows < 1 || this.rows > this.rowStarts.length || this.cols < 1 || this.cols > 40) {
      throw new HalError('INVALID', `unsupported geometry ${this.cols}x${this.rows}`, {
        device: this.device, operation: 'configure', hint: 'HD44780 modules are 8..40 columns by 1..4 rows',
      });
    }
    this.log = opts.logger ?? ((m) => console.warn(m));
    this.outage = new Outage({
      clock: this.clock, label: `${this.name}: ${this.device}`, probeMs: opts.probeIntervalMs ?? 1000, log: this.log,
      probe: () => this.bus.read(this.address, 1) /* a PCF8574 read has no side effect on the LCD (E unchanged) */,
      reinit: () => this.init(),
    });
    this.backlightOn = opts.backlight ?? true;
    this.desired = new Uint8Array(this.cols * this.rows).fill(SPACE);
    this.onDevice = new Uint8Array(this.cols * this.rows).fill(SPACE);
  }

  /** True while the display answers on the bus. */
  get online(): boolean { return this.outage.online; }

  get device(): string { return `${this.bus.name}@0x${this.address.toString(16).padStart(2, '0')} (HD44780 via PCF8574)`; }

  /** Power-on initialisation (Figure 24). Never throws for bus faults: the display goes offline and is probed. */
  init(): Promise<void> {
    return this.enqueue(async () => { await this.initSequence(); });
  }

  show(lines: readonly string[]): Promise<void> {
    for (let r = 0; r < this.rows; r++) encodeA00(lines[r] ?? '', this.desired, r * this.cols, this.cols);
    if (this.flushQueued) return this.queue;
    this.flushQueued = true;
    return this.enqueue(async () => {
      this.flushQueued = false;
      if (this.outage.online) await this.flush();
    });
  }

  defineGlyph(slot: number, glyph: readonly number[]): Promise<void> {
    if (!Number.isInteger(slot) || slot < 0 || slot >= GLYPH_SLOTS || glyph.length !== GLYPH_ROWS) {
      return Promise.reject(new HalError('INVALID', `glyph slot ${slot} with ${glyph.length} rows`, {
        device: this.device, operation: 'defineGlyph', hint: 'slots are 0..7 and a glyph is 8 rows of 5 bits (CGRAM)',
      }));
    }
    this.glyphs[slot] = Uint8Array.from(glyph, (b) => b & 0x1f);
    return this.enqueue(async () => { if (this.outage.online) await this.uploadGlyph(slot); });
  }

  setBacklight(on: boolean): Promise<void> {
    this.backlightOn = on;
    return this.enqueue(async () => { if (this.outage.online) await this.bus.write(this.address, Uint8Array.of(this.idle())); });
  }

  /** Stops probing; further calls only update the shadow. */
  async close(): Promise<void> {
    this.outage.close();
    await this.queue;
  }

  /** Serialises device work; a bus fault inside takes the display offline instead of rejecting. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      try { await work(); } catch (e) { this.outage.fault(e); }
    });
    this.queue = next;
    return next;
  }

  private async initSequence(): Promise<void> {
    const n = (v: number): Promise<void> => this.bus.write(this.address, this.nibble(v, 0));
    await this.bus.write(this.address, Uint8Array.of(this.idle()));
    await this.clock.sleep(POWER_ON_WAIT_MS);
    await n(0x3); await this.clock.sleep(RESET1_WAIT_MS);
    await n(0x3); await this.clock.sleep(RESET2_WAIT_MS);
    await n(0x3); await this.clock.sleep(RESET2_WAIT_MS);
    await n(0x2); await this.clock.sleep(RESET2_WAIT_MS); // now in 4-bit mode
    await this.send([this.rows > 1 ? CMD_FUNC_4BIT_2LINE : CMD_FUNC_4BIT_1LINE, CMD_DISPLAY_OFF], 0);
    await this.clock.sleep(DRAIN_WAIT_MS);
    await this.send([CMD_CLEAR], 0);
    await this.clock.sleep(CLEAR_WAIT_MS);
    await this.send([CMD_ENTRY_INC, CMD_DISPLAY_ON], 0);
    this.onDevice.fill(SPACE);
    for (let s = 0; s < GLYPH_SLOTS; s++) if (this.glyphs[s]) await this.uploadGlyph(s);
    this.outage.markOnline();
    await this.flush();
  }

  /** Rewrites runs of changed cells: one DDRAM address instruction plus the run's data per bus write. */
  private async flush(): Promise<void> {
    for (let r = 0; r < this.rows; r++) {
      let c = 0;
      while (c < this.cols) {
        const i = r * this.cols + c;
        if (this.desired[i] === this.onDevice[i]) { c++; continue; }
        let end = c;
        while (end < this.cols && this.desired[r * this.cols + end] !== this.onDevice[r * this.cols + end]) end++;
        const run = this.desired.subarray(i, r * this.cols + end);
        const bytes = new Uint8Array((1 + run.length) * 4);
        this.pack(CMD_SET_DDRAM | (this.rowStarts[r]! + c), 0, bytes, 0);
        for (let k = 0; k < run.length; k++) this.pack(run[k]!, 1, bytes, (k + 1) * 4);
        await this.bus.write(this.address, bytes);
        this.onDevice.set(run, i);
        c = end;
      }
    }
  }

  private async uploadGlyph(slot: number): Promise<void> {
    const g = this.glyphs[slot]!;
    const bytes = new Uint8Array((1 + GLYPH_ROWS) * 4);
    this.pack(CMD_SET_CGRAM | (slot << 3), 0, bytes, 0);
    for (let k = 0; k < GLYPH_ROWS; k++) this.pack(g[k]!, 1, bytes, (k + 1) * 4);
    await this.bus.write(this.address, bytes);
  }

  private async send(values: readonly number[], rs: 0 | 1): Promise<void> {
    const bytes = new Uint8Array(values.length * 4);
    values.forEach((v, k) => this.pack(v, rs, bytes, k * 4));
    await this.bus.write(this.address, bytes);
  }

  /** Four expander bytes for one 8-bit transfer: high nibble then low nibble, each [..|E, ..]. */
  private pack(value: number, rs: 0 | 1, out: Uint8Array, at: number): void {
    out.set(this.nibble(value >> 4, rs), at);
    out.set(this.nibble(value & 0x0f, rs), at + 2);
  }

  private nibble(v: number, rs: 0 | 1): Uint8Array {
    const pm = this.pm;
    const b = this.idle() | (rs << pm.rs) | (((v >> 3) & 1) << pm.d7) | (((v >> 2) & 1) << pm.d6)
      | (((v >> 1) & 1) << pm.d5) | ((v & 1) << pm.d4); // RW stays 0: write cycles only
    return Uint8Array.of(b | (1 << pm.e), b);
  }

  private idle(): number { return this.backlightOn ? 1 << this.pm.backlight : 0; }


}
