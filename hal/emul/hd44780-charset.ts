/**
 * Character mapping for the emulated HD44780's ROM code A00 (Hitachi ADE-207-272, Table 4),
 * the ROM found on nearly every PCF8574 backpack module.
 */

/** Markers for CGRAM characters 0..7 (codes 0x00-0x07, mirrored at 0x08-0x0F, Table 4 note). */
export const GLYPH_MARKERS = ['⓪', '①', '②', '③', '④', '⑤', '⑥', '⑦'] as const;

/** A00 differs from ASCII at 0x5C (yen) and 0x7E/0x7F (arrows). */
const A00_SPECIAL: Readonly<Record<number, string>> = {
  0x5c: '¥', 0x7e: '→', 0x7f: '←', 0xdf: '°', 0xe4: 'µ', 0xf4: 'Ω', 0xff: '█',
};

/** Decodes one DDRAM code to a display string (one character). */
export function a00Char(code: number): string {
  if (code < 0x10) return GLYPH_MARKERS[code & 0x07]!;
  const special = A00_SPECIAL[code];
  if (special !== undefined) return special;
  if (code >= 0x20 && code < 0x80) return String.fromCharCode(code);
  if (code === 0xa0) return ' ';
  return '?'; // katakana / Greek half of A00 not modelled
}
