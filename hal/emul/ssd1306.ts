/**
 * Emulated SSD1306 OLED controller on the emulated I2C bus (Solomon Systech SSD1306 Rev 1.1).
 * Decodes the I2C control byte (§8.1.5.2), the command set (§10.1, multi-byte commands may span
 * transfers), page/horizontal/vertical addressing (§10.1.3), and keeps the 128x8-page GDDRAM
 * (§8.7). The visible image applies segment re-map, COM scan direction, display on/off, inverse
 * and entire-display-on. Protocol misuse is recorded in `violations`. `png()` renders the panel.
 */
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import type { I2cTarget } from './i2c-bus.js';

/** node:zlib on first use: only `png()` needs it, and a phone that never renders a PNG does not load it. */
let zlibModule: typeof Zlib | undefined;
const zlib = (): typeof Zlib => (zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib);

export const OLED_WIDTH = 128;
const PAGES = 8; // §8.7: GDDRAM is 128 x 64 bits in 8 pages

/** Parameter byte counts of multi-byte commands (§10.1 command table; 8D from the charge-pump note). */
const PARAMS: Readonly<Record<number, number>> = {
  0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xa8: 1, 0xd3: 1, 0xd5: 1, 0xd9: 1, 0xda: 1, 0xdb: 1, 0x8d: 1,
  0xa3: 2, 0x26: 6, 0x27: 6, 0x29: 5, 0x2a: 5,
};

export interface EmulatedSsd1306Options {
  height?: 64 | 32;
  /** Longest I2C write the module is expected to get (bytes incl. control byte); longer ones are violations. */
  maxBurst?: number;
  name?: string;
}

export class EmulatedSsd1306 implements I2cTarget {
  readonly name: string;
  readonly height: 64 | 32;
  readonly violations: string[] = [];
  /** GDDRAM, page-major: byte (page * 128 + column), bit 0 = top row of the page (§8.7). */
  readonly gddram = new Uint8Array(OLED_WIDTH * PAGES);
  displayOn = false;
  chargePump = false;
  addressingMode = 2;          // §10.1.3 reset: page addressing
  segRemap = false;
  comRemap = false;
  inverse = false;
  entireOn = false;
  contrast = 0x7f;             // §10.1.7 reset value
  mux = 63;                    // §10.1.11 reset value
  dataBytes = 0;
  commandBytes = 0;
  private col = 0; private page = 0;
  private colStart = 0; private colEnd = 127; private pageStart = 0; private pageEnd = 7;
  private pending: number[] = [];
  private pendingNeed = 0;
  private powered = true;
  private readonly maxBurst: number;

  constructor(opts: EmulatedSsd1306Options = {}) {
    this.height = opts.height ?? 64;
    this.maxBurst = opts.maxBurst ?? Infinity;
    this.name = opts.name ?? 'ssd1306';
  }

  write(data: Uint8Array): void {
    if (!this.powered) return;
    if (data.length > this.maxBurst) this.violate(`write of ${data.length} bytes exceeds the bus burst of ${this.maxBurst}`);
    if (data.length < 2) { this.violate(`transfer of ${data.length} byte(s): needs a control byte and at least one byte (§8.1.5.2)`); return; }
    let i = 0;
    while (i < data.length) {
      const ctrl = data[i++]!;
      if ((ctrl & 0x3f) !== 0) this.violate(`control byte 0x${ctrl.toString(16)} has bits 5..0 set (§8.1.5.2)`);
      const isData = (ctrl & 0x40) !== 0;
      const co = (ctrl & 0x80) !== 0;
      const end = co ? Math.min(i + 1, data.length) : data.length; // Co=1: one byte, then another control byte
      if (i >= end) { this.violate('control byte without a following byte'); break; }
      for (; i < end; i++) { if (isData) this.dataByte(data[i]!); else this.commandByte(data[i]!); }
    }
  }

  /** §8.1.5.2: a read returns the status byte; D6 = 1 when the display is off. */
  read(length: number): Uint8Array { return new Uint8Array(length).fill(this.displayOn ? 0x00 : 0x40); }

  powerChanged(on: boolean): void {
    this.powered = on;
    if (!on) this.reset();
  }

  /** Visible pixel (x 0..127, y 0..height-1), as the viewer sees the module mounted upright with A1/C8. */
  pixel(x: number, y: number): boolean {
    if (!this.displayOn || !this.powered) return false;
    if (this.entireOn) return true;
    const c = this.segRemap ? x : OLED_WIDTH - 1 - x;
    const row = this.comRemap ? y : this.mux - y;
    const on = row >= 0 && row < 64 && ((this.gddram[(row >> 3) * OLED_WIDTH + c]! >> (row & 7)) & 1) === 1;
    return on !== this.inverse;
  }

  /** The visible image as rows of '#'/'.' (debugging and assertions). */
  ascii(): string[] {
    const out: string[] = [];
    for (let y = 0; y < this.height; y++) {
      let s = '';
      for (let x = 0; x < OLED_WIDTH; x++) s += this.pixel(x, y) ? '#' : '.';
      out.push(s);
    }
    return out;
  }

  /** 8-bit greyscale PNG of the panel, `scale` pixels per dot (PNG spec ISO/IEC 15948). */
  png(scale = 2): Buffer {
    const w = OLED_WIDTH * scale, h = this.height * scale;
    const raw = Buffer.alloc((w + 1) * h);
    for (let y = 0; y < h; y++) {
      raw[y * (w + 1)] = 0; // filter type 0 (None) per scanline, PNG §9.2
      for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = this.pixel(Math.floor(x / scale), Math.floor(y / scale)) ? 0xe0 : 0x10;
    }
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
    ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // depth 8, greyscale, deflate, filter 0, no interlace (§11.2.2)
    return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', zlib().deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  }

  private violate(m: string): void { if (this.violations.length < 1000) this.violations.push(m); }

  private reset(): void {
    this.gddram.fill(0); // undefined after power-on; the emulator chooses dark
    this.displayOn = false; this.chargePump = false; this.addressingMode = 2; this.segRemap = false; this.comRemap = false;
    this.inverse = false; this.entireOn = false; this.contrast = 0x7f; this.mux = 63;
    this.col = 0; this.page = 0; this.colStart = 0; this.colEnd = 127; this.pageStart = 0; this.pageEnd = 7;
    this.pending = []; this.pendingNeed = 0;
  }

  private dataByte(b: number): void {
    this.dataBytes++;
    this.gddram[this.page * OLED_WIDTH + this.col] = b;
    if (this.addressingMode === 2) { if (this.col < 127) this.col++; else this.col = 0; return; } // §10.1.3: page mode wraps in the page
    if (this.addressingMode === 0) {
      if (this.col < this.colEnd) this.col++;
      else { this.col = this.colStart; this.page = this.page < this.pageEnd ? this.page + 1 : this.pageStart; }
    } else {
      if (this.page < this.pageEnd) this.page++;
      else { this.page = this.pageStart; this.col = this.col < this.colEnd ? this.col + 1 : this.colStart; }
    }
  }

  private commandByte(b: number): void {
    this.commandBytes++;
    if (this.pendingNeed > 0) {
      this.pending.push(b);
      if (--this.pendingNeed === 0) this.execute(this.pending[0]!, this.pending.slice(1));
      return;
    }
    const n = PARAMS[b];
    if (n) { this.pending = [b]; this.pendingNeed = n; return; }
    this.execute(b, []);
  }

  private execute(cmd: number, p: number[]): void {
    if (cmd <= 0x0f) { this.col = (this.col & 0xf0) | cmd; return; }                       // §10.1.1 lower column (page mode)
    if (cmd <= 0x1f) { this.col = ((cmd & 0x07) << 4) | (this.col & 0x0f); return; }       // §10.1.2 upper column
    if (cmd >= 0x40 && cmd <= 0x7f) return;                                                 // §10.1.6 start line (0 assumed)
    if (cmd >= 0xb0 && cmd <= 0xb7) { this.page = cmd & 7; return; }                       // §10.1.13 page start (page mode)
    switch (cmd) {
      case 0x81: this.contrast = p[0]!; return;
      case 0x20:
        if (p[0]! > 2) this.violate(`addressing mode ${p[0]} is invalid (§10.1.3)`);
        else this.addressingMode = p[0]!;
        return;
      case 0x21: case 0x22: {
        const [a, z] = [p[0]! & (cmd === 0x21 ? 0x7f : 0x07), p[1]! & (cmd === 0x21 ? 0x7f : 0x07)];
        if (this.addressingMode === 2) this.violate(`0x${cmd.toString(16)} is for horizontal/vertical mode only (§10.1.4/5)`);
        if (a > z) this.violate(`window start ${a} > end ${z} (§10.1.${cmd === 0x21 ? 4 : 5})`);
        if (cmd === 0x21) { this.colStart = a; this.colEnd = z; this.col = a; } else { this.pageStart = a; this.pageEnd = z; this.page = a; }
        return;
      }
      case 0xa0: this.segRemap = false; return;
      case 0xa1: this.segRemap = true; return;
      case 0xa4: this.entireOn = false; return;
      case 0xa5: this.entireOn = true; return;
      case 0xa6: this.inverse = false; return;
      case 0xa7: this.inverse = true; return;
      case 0xa8:
        if (p[0]! < 15 || p[0]! > 63) this.violate(`multiplex ratio ${p[0]! + 1} outside 16..64 (§10.1.11)`);
        else this.mux = p[0]!;
        return;
      case 0xae: this.displayOn = false; return;
      case 0xaf:
        if (!this.chargePump) this.violate('display ON (AF) with the charge pump off: send 8D 14 first (charge-pump app note)');
        this.displayOn = true; return;
      case 0xc0: this.comRemap = false; return;
      case 0xc8: this.comRemap = true; return;
      case 0x8d: this.chargePump = (p[0]! & 0x04) !== 0; return;
      case 0xd3: case 0xd5: case 0xd9: case 0xda: case 0xdb: case 0xa3:
      case 0x26: case 0x27: case 0x29: case 0x2a: case 0x2e: case 0x2f: case 0xe3: return; // timing/scroll/NOP: not modelled
      default: this.violate(`unknown command 0x${cmd.toString(16)}`);
    }
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // PNG §5.2

/** CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected) over chunk type + data, PNG §5.5. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; t[n] = c >>> 0; }
  return t;
})();
export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
