import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedI2cBus } from '../../../hal/emul/i2c-bus.js';
import { EmulatedSsd1306, crc32 } from '../../../hal/emul/ssd1306.js';
import { Ssd1306Display } from '../../../hal/drivers/ssd1306.js';
import { FONT5X7 } from '../../../hal/drivers/font5x7.js';
import { encodeA00 } from '../../../hal/drivers/hd44780-encode.js';

function rig(height: 64 | 32 = 64, maxBurst = 33) {
  const clock = new VirtualClock();
  const bus = new EmulatedI2cBus({ clock });
  const oled = new EmulatedSsd1306({ height, maxBurst });
  bus.attach(0x3c, oled);
  const logs: string[] = [];
  const display = new Ssd1306Display({ bus, clock, height, maxWriteBytes: maxBurst, logger: (m) => logs.push(m) });
  return { clock, bus, oled, display, logs };
}

/** Independent rendering: A00 codes → 5x7 columns at x = 1 + 6*col, page = row. */
function expectedPixel(lines: string[], cols: number, x: number, y: number): boolean {
  const row = y >> 3;
  const cx = x - 1;
  if (cx < 0 || cx >= cols * 6 || cx % 6 === 5 || row >= lines.length) return false;
  const codes = new Uint8Array(cols);
  encodeA00(lines[row]!, codes, 0, cols);
  const code = codes[Math.floor(cx / 6)]!;
  return ((FONT5X7[code * 5 + (cx % 6)]! >> (y & 7)) & 1) === 1;
}

function assertScreen(oled: EmulatedSsd1306, lines: string[], cols: number): void {
  let mismatches = 0;
  for (let y = 0; y < oled.height; y++) for (let x = 0; x < 128; x++) if (oled.pixel(x, y) !== expectedPixel(lines, cols, x, y)) mismatches++;
  assert.equal(mismatches, 0, `frame differs from the font rendering:\n${oled.ascii().slice(0, 16).join('\n')}`);
}

const SCREEN = ['SEP 12:34  Line 1', '5551234 → 200', 'Connected  00:42', '', 'Ext: 2001 °C µ Ω', 'abcdefghijklmnopqrstu', '!"#$%&\'()*+,-./:;<=>?', 'Redial NewCall  More'];

test('font covers printable ASCII with distinct glyphs', () => {
  const seen = new Set<string>();
  for (let c = 0x21; c <= 0x7d; c++) seen.add(Array.from(FONT5X7.subarray(c * 5, c * 5 + 5)).join(','));
  assert.equal(seen.size, 0x7d - 0x21 + 1);
});

test('init + show: emulated panel shows the 5x7 rendering of 21x8 text, no violations, bursts within limit', async () => {
  const { oled, display, bus } = rig();
  assert.equal(display.cols, 21);
  assert.equal(display.rows, 8);
  await display.init();
  await display.show(SCREEN);
  assert.deepEqual(oled.violations, []);
  assert.equal(oled.displayOn, true);
  assert.equal(oled.chargePump, true);
  assert.equal(oled.addressingMode, 0);
  assertScreen(oled, SCREEN, 21);
  assert.ok(bus.transfers(0x3c).every((t) => t.data.length <= 33));
  writeFileSync('/tmp/ssd1306-screen.png', oled.png(3));
});

test('only the changed columns of the changed page are sent', async () => {
  const { oled, display, bus } = rig(64, 129);
  await display.init();
  await display.show(SCREEN);
  bus.clearLog();
  const next = [...SCREEN];
  next[2] = 'Connected  00:43';
  await display.show(next);
  const writes = bus.transfers(0x3c);
  // one command write (column window + page window) and one data write
  assert.equal(writes.length, 2);
  const cmd = [...writes[0]!.data];
  const changedCol = 15; // "00:43": the last digit is column 15
  assert.deepEqual(cmd, [0x00, 0x21, 1 + changedCol * 6, 1 + changedCol * 6 + 4, 0x22, 2, 2]);
  assert.equal(writes[1]!.data[0], 0x40);
  assertScreen(oled, next, 21);
  bus.clearLog();
  await display.show(next);
  assert.equal(bus.transfers(0x3c).length, 0, 'unchanged screen sends nothing');
});

test('128x32 has 4 rows and its own COM pins configuration', async () => {
  const { oled, display, bus } = rig(32);
  assert.equal(display.rows, 4);
  await display.init();
  await display.show(['ABC', 'def', '123', '#*']);
  assert.deepEqual(oled.violations, []);
  assertScreen(oled, ['ABC', 'def', '123', '#*'], 21);
  const init = bus.transfers(0x3c).flatMap((t) => (t.data[0] === 0x00 ? [...t.data.subarray(1)] : []));
  assert.equal(init[init.indexOf(0xda) + 1], 0x02);
  assert.equal(init[init.indexOf(0xa8) + 1], 31);
});

test('custom glyph (CGRAM layout) renders in its cell', async () => {
  const { oled, display } = rig();
  await display.init();
  await display.defineGlyph(1, [0x1f, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1f, 0x00]); // a box
  await display.show(['\x01']);
  for (let y = 0; y < 7; y++) assert.equal(oled.pixel(1, y), true); // left edge column
  assert.equal(oled.pixel(3, 3), false);
  assert.equal(oled.pixel(3, 0), true);
});

test('unplug → offline, logged once; replug → re-initialised and redrawn', async () => {
  const { clock, oled, display, bus, logs } = rig();
  await display.init();
  await display.show(['before']);
  bus.setPresent(0x3c, false);
  await display.show(['during']);
  assert.equal(display.online, false);
  await clock.advance(3000);
  assert.equal(logs.length, 1);
  bus.setPresent(0x3c, true);
  await clock.advance(1000);
  await display.show(['during']);
  assert.equal(display.online, true);
  assertScreen(oled, ['during'], 21);
  assert.deepEqual(oled.violations, []);
});

test('emulator records protocol violations', () => {
  const oled = new EmulatedSsd1306({ maxBurst: 8 });
  oled.write(Uint8Array.of(0x00, 0xaf));                 // display on without charge pump
  oled.write(Uint8Array.of(0x00, 0x21, 10, 5));          // page mode + start > end
  oled.write(Uint8Array.of(0x00, 0xff));                 // unknown command
  oled.write(new Uint8Array(10).fill(0x40));             // longer than the burst
  oled.write(Uint8Array.of(0x00));                       // control byte only
  assert.equal(oled.violations.length, 6, oled.violations.join('\n'));
});

test('PNG: signature, IHDR, CRCs and IDAT pixels decode', async () => {
  const { oled, display } = rig();
  await display.init();
  await display.show(['X']);
  const png = oled.png(2);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let off = 8;
  const chunks = new Map<string, Buffer>();
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const data = png.subarray(off + 8, off + 8 + len);
    assert.equal(png.readUInt32BE(off + 8 + len), crc32(png.subarray(off + 4, off + 8 + len)), `${type} CRC`);
    chunks.set(type, Buffer.concat([chunks.get(type) ?? Buffer.alloc(0), data]));
    off += 12 + len;
  }
  const ihdr = chunks.get('IHDR')!;
  assert.equal(ihdr.readUInt32BE(0), 256);
  assert.equal(ihdr.readUInt32BE(4), 128);
  assert.equal(ihdr[8], 8);
  assert.equal(ihdr[9], 0);
  assert.ok(chunks.has('IEND'));
  const raw = inflateSync(chunks.get('IDAT')!);
  assert.equal(raw.length, (256 + 1) * 128);
  // 'X' (0x63,0x14,...) column 0 of the glyph is lit at row 0 → PNG pixels (2..3, 0..1) bright
  const px = (x: number, y: number): number => raw[y * 257 + 1 + x]!;
  assert.equal(px(2, 0), 0xe0);
  assert.equal(px(0, 0), 0x10);
  assert.equal(crc32(Buffer.from('IEND')), 0xae426082); // well-known IEND CRC
});
