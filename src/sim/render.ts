/**
 * Draws emulated phones side by side as text: each phone's LCD exactly as the emulated HD44780
 * decodes it, its lamps, ringer, registration and what its earpiece hears.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';

export interface PhoneView {
  name: string;
  device: string;
  registration: string;
  lcd: string[];
  lamps: Record<string, LampMode>;
  ringer: RingMode;
  offHook: boolean;
  mic: number;
  hears: string;
  selected: boolean;
}

const LAMP_GLYPH: Record<LampMode, string> = { off: '○', on: '●', wink: '◐', flash: '◉', blink: '◍' };

function pad(s: string, n: number): string {
  const chars = [...s];
  return chars.length >= n ? chars.slice(0, n).join('') : s + ' '.repeat(n - chars.length);
}

export function renderPhone(v: PhoneView): string[] {
  const width = Math.max(20, ...v.lcd.map((r) => [...r].length));
  const side = Math.max(width + 2, 30);
  const head = `${v.selected ? '▶' : ' '} ${v.name} ${v.device}`;
  const lamps = Object.entries(v.lamps).map(([k, m]) => `${LAMP_GLYPH[m]}${k}`).join(' ');
  return [
    pad(head, side),
    pad(` ${v.registration}${v.offHook ? ', off hook' : ', on hook'}`, side),
    `┌${'─'.repeat(width)}┐`,
    ...v.lcd.map((r) => `│${pad(r, width)}│`),
    `└${'─'.repeat(width)}┘`,
    pad(` ${lamps}`, side),
    pad(` ringer: ${v.ringer}`, side),
    pad(` mic ${v.mic} Hz`, side),
    pad(` hears: ${v.hears}`, side),
  ];
}

/** Phones side by side, wrapped to the terminal width. */
export function renderPhones(views: PhoneView[], termCols = 100): string[] {
  const boxes = views.map(renderPhone);
  const boxWidth = Math.max(...boxes.map((b) => [...b[0]!].length)) + 2;
  const perRow = Math.max(1, Math.floor(termCols / boxWidth));
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i += perRow) {
    const group = boxes.slice(i, i + perRow);
    const height = Math.max(...group.map((b) => b.length));
    for (let r = 0; r < height; r++) out.push(group.map((b) => pad(b[r] ?? '', boxWidth)).join('').trimEnd());
    out.push('');
  }
  return out;
}

export const HELP_LINE = 'Tab: next phone  0-9*#: keypad  a-d: A-D  Space: handset  F1-F4 or q/w/e/r: softkeys  l: line1  h: call history  x: quit';
