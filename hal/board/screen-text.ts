/**
 * Reads text back off an emulated SSD1306 panel, the way a person reads the OLED: each 6x8 text
 * cell of what is visible (after segment re-map / COM scan direction, SSD1306 §10.1.8, §10.1.14)
 * is matched against the 5x7 font (hal/drivers/font5x7.ts, indexed by HD44780 A00 codes) and
 * decoded with the emulated HD44780's A00 table, so both display types read back the same strings.
 * Geometry follows the text grid of Ssd1306Display: 1 spare pixel column on the left, 6-pixel
 * cells (5 glyph columns + 1 gap), one text row per 8-pixel page (§8.7).
 */
import { FONT5X7, GLYPH_WIDTH } from '../drivers/font5x7.js';
import { a00Char } from '../emul/hd44780-charset.js';
import type { EmulatedSsd1306 } from '../emul/ssd1306.js';

const CELL_WIDTH = GLYPH_WIDTH + 1;
const LEFT_MARGIN = 1;
const PAGE_HEIGHT = 8;
/** Shown for a cell whose pixels match no font glyph (a custom icon, or garbage on the panel). */
export const UNKNOWN_CELL = '\u2592';

/** Glyph bytes (5 columns, bit 0 = top) → A00 code; ASCII wins where codes share a glyph ('?' for undefined codes). */
const GLYPH_TO_CODE: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const order = [...Array(256).keys()].sort((a, b) => rank(a) - rank(b));
  for (const code of order) {
    if (code < 0x10) continue; // custom glyph slots 0-7 (and their mirrors) have no fixed shape
    const key = FONT5X7.subarray(code * GLYPH_WIDTH, code * GLYPH_WIDTH + GLYPH_WIDTH).join(',');
    if (!m.has(key)) m.set(key, code);
  }
  return m;
})();

function rank(code: number): number { return code >= 0x20 && code < 0x7e ? 0 : 1; }

/** Text rows visible on the panel: `rows` x `cols` characters (defaults: the 21x8 / 21x4 grid). */
export function ssd1306Text(oled: EmulatedSsd1306, cols = 21, rows = oled.height / PAGE_HEIGHT): string[] {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const x0 = LEFT_MARGIN + c * CELL_WIDTH;
      const colBytes: number[] = [];
      for (let x = x0; x < x0 + GLYPH_WIDTH; x++) {
        let b = 0;
        for (let bit = 0; bit < PAGE_HEIGHT; bit++) if (oled.pixel(x, r * PAGE_HEIGHT + bit)) b |= 1 << bit;
        colBytes.push(b);
      }
      const code = GLYPH_TO_CODE.get(colBytes.join(','));
      line += code === undefined ? UNKNOWN_CELL : a00Char(code);
    }
    out.push(line);
  }
  return out;
}
