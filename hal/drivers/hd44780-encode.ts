/**
 * JS string → HD44780 ROM A00 character codes (Hitachi ADE-207-272, Table 4).
 * Custom CGRAM glyphs are addressed with '\x00'..'\x07' (or the markers ⓪..⑦ the emulator shows).
 */

const A00_FROM_UNICODE: ReadonlyMap<string, number> = new Map([
  ['¥', 0x5c], ['→', 0x7e], ['←', 0x7f], ['°', 0xdf], ['µ', 0xe4], ['Ω', 0xf4], ['█', 0xff],
  ['⓪', 0], ['①', 1], ['②', 2], ['③', 3], ['④', 4], ['⑤', 5], ['⑥', 6], ['⑦', 7],
]);
/** Printable ASCII that A00 renders differently: '\' is ¥ (0x5C), '~' is → (0x7E). */
const ASCII_FALLBACK: Readonly<Record<string, number>> = { '\\': 0x2f, '~': 0x2d };
const SPACE = 0x20;
const UNKNOWN = 0x3f; // '?'

/** Writes `text` into `out[offset .. offset+len)` as A00 codes, padding with spaces / truncating. */
export function encodeA00(text: string, out: Uint8Array, offset: number, len: number): void {
  let i = 0;
  for (const ch of text) {
    if (i >= len) break;
    const cp = ch.codePointAt(0)!;
    let code: number;
    if (cp < 0x08) code = cp; // CGRAM slots 0-7
    else if (ch in ASCII_FALLBACK) code = ASCII_FALLBACK[ch]!;
    else if (cp >= 0x20 && cp < 0x7e) code = cp;
    else code = A00_FROM_UNICODE.get(ch) ?? UNKNOWN;
    out[offset + i++] = code;
  }
  for (; i < len; i++) out[offset + i] = SPACE;
}
