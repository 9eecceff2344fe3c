/**
 * SSD1306 128x64 (or 128x32) OLED over I2C as a TextDisplay: 21 columns x 8 rows of the 5x7 font
 * (6-pixel cells, one text row per 8-pixel GDDRAM page). Text is encoded with the HD44780 A00
 * table so both displays show the same screens. Datasheet references (Solomon Systech SSD1306
 * Rev 1.1): §8.1.5.2 I2C control byte, §8.7 GDDRAM, §10 command table, "Software initialization"
 * flow chart (§10, application note) and the charge-pump application note.
 * Only changed columns of changed pages are sent, in horizontal addressing mode, each I2C write
 * no longer than the bus burst. Bus faults take the display offline; it is probed on the Clock
 * and re-initialised and redrawn when it answers again.
 */
import { HalError, type Clock, type I2cBus, type TextDisplay } from '../api/index.js';
import { Outage } from './outage.js';
import { encodeA00 } from './hd44780-encode.js';
import { FONT5X7, GLYPH_WIDTH, cgramToColumns } from './font5x7.js';

export const SSD1306_WIDTH = 128;      // §7.7: 128 segments
const PAGE_HEIGHT = 8;                 // §8.7: a page is 8 COM rows, one data byte per column
const CELL_WIDTH = GLYPH_WIDTH + 1;    // 5 pixel glyph + 1 pixel gap
const LEFT_MARGIN = 1;                 // 128 - 21*6 = 2 spare columns, one each side
// §8.1.5.2: control byte = Co | D/C# | 000000. Co=0: the rest of the transfer is of that type.
const CTRL_COMMANDS = 0x00;
const CTRL_DATA = 0x40;
// §10.1 commands.
const CMD_DISPLAY_OFF = 0xae, CMD_DISPLAY_ON = 0xaf;
const CMD_SET_COLUMN_ADDR = 0x21;      // §10.1.4, horizontal/vertical mode only
const CMD_SET_PAGE_ADDR = 0x22;        // §10.1.5
/** Default max bytes per I2C write when the bus does not say: control byte + one full page. */
const DEFAULT_MAX_WRITE = 1 + SSD1306_WIDTH;
const GLYPH_SLOTS = 8;

/**
 * Initialisation per the datasheet's software initialisation flow chart, plus the charge pump
 * (8D 14) that modules without external VCC need, and horizontal addressing for page writes.
 */
export function ssd1306InitCommands(height: 64 | 32, contrast = 0xcf): number[] {
  return [
    CMD_DISPLAY_OFF,
    0xd5, 0x80,            // §10.1.16 display clock: divide ratio 1, oscillator 8 (reset value)
    0xa8, height - 1,      // §10.1.11 multiplex ratio = rows - 1
    0xd3, 0x00,            // §10.1.15 display offset 0
    0x40,                  // §10.1.6 display start line 0
    0x8d, 0x14,            // charge pump setting: enable (charge-pump app note, Table 2)
    0x20, 0x00,            // §10.1.3 memory addressing mode: horizontal
    0xa1,                  // §10.1.8 segment re-map: column 127 → SEG0 (modules are wired mirrored)
    0xc8,                  // §10.1.14 COM scan direction remapped (COM[N-1] → COM0)
    0xda, height === 64 ? 0x12 : 0x02, // §10.1.18 COM pins: alternative (128x64) / sequential (128x32)
    0x81, contrast,        // §10.1.7 contrast
    0xd9, 0xf1,            // §10.1.17 pre-charge: phase 1 = 1, phase 2 = 15 DCLK (internal charge pump)
    0xdb, 0x40,            // §10.1.19 VCOMH deselect level
    0xa4,                  // §10.1.9 display follows RAM
    0xa6,                  // §10.1.10 normal (not inverted)
  ];
}

export interface Ssd1306DisplayOptions {
  bus: I2cBus;
  /** §8.1.5: 0b011110 SA0 → 0x3C (SA0 low) or 0x3D. */
  address?: number;
  clock: Clock;
  height?: 64 | 32;          // default 64
  name?: string;             // default "oled"
  /** Cap per I2C write incl. control byte; default min(bus.maxWriteBytes, 129). */
  maxWriteBytes?: number;
  contrast?: number;
  logger?: (message: string) => void;
  probeIntervalMs?: number;  // default 1000
}

export class Ssd1306Display implements TextDisplay {
  readonly name: string;
  readonly cols = Math.floor((SSD1306_WIDTH - 2 * LEFT_MARGIN) / CELL_WIDTH); // 21
  readonly rows: number;
  private readonly bus: I2cBus;
  private readonly address: number;
  private readonly clock: Clock;
  private readonly height: 64 | 32;
  private readonly pages: number;
  private readonly maxWrite: number;
  private readonly contrast: number;
  private readonly log: (m: string) => void;
  private readonly outage: Outage;
  private readonly text: Uint8Array;
  private readonly frame: Uint8Array;
  private readonly onDevice: Uint8Array;
  private deviceKnown = false;
  private readonly glyphs: (Uint8Array | undefined)[] = new Array(GLYPH_SLOTS).fill(undefined);
  private displayOn = true;
  private queue: Promise<void> = Promise.resolve();
  private flushQueued = false;

  constructor(opts: Ssd1306DisplayOptions) {
    this.bus = opts.bus;
    this.address = opts.address ?? 0x3c;
    this.clock = opts.clock;
    this.height = opts.height ?? 64;
    if (this.height !== 64 && this.height !== 32) {
      throw new HalError('INVALID', `height ${String(this.height)}`, { device: this.device, operation: 'configure', hint: 'SSD1306 modules are 128x64 or 128x32' });
    }
    this.pages = this.height / PAGE_HEIGHT;
    this.rows = this.pages;
    this.name = opts.name ?? 'oled';
    this.maxWrite = Math.min(opts.maxWriteBytes ?? DEFAULT_MAX_WRITE, this.bus.maxWriteBytes ?? Infinity);
    if (!(this.maxWrite >= 2)) {
      throw new HalError('INVALID', `maxWriteBytes ${this.maxWrite}`, { device: this.device, operation: 'configure', hint: 'need at least a control byte and one data byte per write' });
    }
    this.contrast = opts.contrast ?? 0xcf;
    this.log = opts.logger ?? ((m) => console.warn(m));
    this.outage = new Outage({
      clock: this.clock, label: `${this.name}: ${this.device}`, probeMs: opts.probeIntervalMs ?? 1000, log: this.log,
      probe: () => this.bus.read(this.address, 1) /* §8.1.5.2 status read */,
      reinit: () => this.init(),
    });
    this.text = new Uint8Array(this.cols * this.rows).fill(0x20);
    this.frame = new Uint8Array(SSD1306_WIDTH * this.pages);
    this.onDevice = new Uint8Array(SSD1306_WIDTH * this.pages);
  }

  get online(): boolean { return this.outage.online; }
  get device(): string { return `${this.bus.name}@0x${this.address.toString(16).padStart(2, '0')} (SSD1306)`; }

  /** The frame the driver wants on the panel (page-major GDDRAM layout, §8.7). */
  framebuffer(): Uint8Array { return this.frame.slice(); }

  init(): Promise<void> { return this.enqueue(() => this.initSequence()); }

  show(lines: readonly string[]): Promise<void> {
    for (let r = 0; r < this.rows; r++) encodeA00(lines[r] ?? '', this.text, r * this.cols, this.cols);
    this.render();
    if (this.flushQueued) return this.queue;
    this.flushQueued = true;
    return this.enqueue(async () => { this.flushQueued = false; if (this.outage.online) await this.flush(); });
  }

  defineGlyph(slot: number, glyph: readonly number[]): Promise<void> {
    if (!Number.isInteger(slot) || slot < 0 || slot >= GLYPH_SLOTS || glyph.length !== 8) {
      return Promise.reject(new HalError('INVALID', `glyph slot ${slot} with ${glyph.length} rows`, {
        device: this.device, operation: 'defineGlyph', hint: 'slots are 0..7 and a glyph is 8 rows of 5 bits (HD44780 CGRAM layout)',
      }));
    }
    this.glyphs[slot] = cgramToColumns(glyph);
    this.render();
    return this.enqueue(async () => { if (this.outage.online) await this.flush(); });
  }

  /** An OLED has no backlight: "off" puts the panel to sleep (AE), "on" wakes it (AF), §10.1.12. */
  setBacklight(on: boolean): Promise<void> {
    this.displayOn = on;
    return this.enqueue(async () => { if (this.outage.online) await this.commands([on ? CMD_DISPLAY_ON : CMD_DISPLAY_OFF]); });
  }

  async close(): Promise<void> {
    this.outage.close();
    await this.queue;
  }

  private render(): void {
    this.frame.fill(0);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const code = this.text[r * this.cols + c]!;
        const x = r * SSD1306_WIDTH + LEFT_MARGIN + c * CELL_WIDTH;
        const custom = code < GLYPH_SLOTS ? this.glyphs[code] : undefined;
        if (custom) this.frame.set(custom, x);
        else this.frame.set(FONT5X7.subarray(code * GLYPH_WIDTH, code * GLYPH_WIDTH + GLYPH_WIDTH), x);
      }
    }
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => { try { await work(); } catch (e) { this.outage.fault(e); } });
    this.queue = next;
    return next;
  }

  private async commands(cmds: readonly number[]): Promise<void> {
    for (let i = 0; i < cmds.length; i += this.maxWrite - 1) {
      await this.bus.write(this.address, Uint8Array.of(CTRL_COMMANDS, ...cmds.slice(i, i + this.maxWrite - 1)));
    }
  }

  private async initSequence(): Promise<void> {
    await this.commands(ssd1306InitCommands(this.height, this.contrast));
    this.deviceKnown = false; // GDDRAM content is undefined after power-on (§8.7): rewrite everything
    await this.flush();
    if (this.displayOn) await this.commands([CMD_DISPLAY_ON]);
    this.outage.markOnline();
  }

  /** Per page: one window command (21/22) and the changed column run in bursts of maxWrite. */
  private async flush(): Promise<void> {
    for (let p = 0; p < this.pages; p++) {
      const base = p * SSD1306_WIDTH;
      let first = -1, last = -1;
      for (let x = 0; x < SSD1306_WIDTH; x++) {
        if (!this.deviceKnown || this.frame[base + x] !== this.onDevice[base + x]) { if (first < 0) first = x; last = x; }
      }
      if (first < 0) continue;
      await this.commands([CMD_SET_COLUMN_ADDR, first, last, CMD_SET_PAGE_ADDR, p, p]);
      const run = this.frame.subarray(base + first, base + last + 1);
      for (let i = 0; i < run.length; i += this.maxWrite - 1) {
        const chunk = run.subarray(i, i + this.maxWrite - 1);
        const out = new Uint8Array(1 + chunk.length);
        out[0] = CTRL_DATA;
        out.set(chunk, 1);
        await this.bus.write(this.address, out);
      }
      this.onDevice.set(run, base + first);
    }
    this.deviceKnown = true;
  }


}
