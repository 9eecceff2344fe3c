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
  /** The speakerphone is on (a call on the speaker is not "on hook"). */
  speaker?: boolean;
  /** The call's codec as the media engine receives it ("PCMU/20"), '' without a call. */
  codec?: string;
  mic: number;
  hears: string;
  selected: boolean;
}

const LAMP_GLYPH: Record<LampMode, string> = { off: '○', on: '●', wink: '◐', flash: '◉', blink: '◍' };

function pad(s: string, n: number): string {
  const chars = [...s];
  return chars.length >= n ? chars.slice(0, n).join('') : s + ' '.repeat(n - chars.length);
}

/** Narrow enough for three phones in 80 columns (a 20-column LCD box plus a gap). */
export function renderPhone(v: PhoneView): string[] {
  const width = Math.max(20, ...v.lcd.map((r) => [...r].length));
  const side = width + 2;
  const [device, protocol] = v.device.split(' ');
  const hook = v.offHook ? 'off hook' : v.speaker ? 'speaker' : 'on hook';
  const row = (name: (k: string) => string) => Object.entries(v.lamps).map(([k, m]) => `${LAMP_GLYPH[m]}${name(k)}`).join(' ');
  const full = row((k) => (k === 'message' ? 'msg' : k.replace(/^speeddial/, 'sd')));
  // Busy-lamp-field speed dials (docs/features.md §3) make the row longer: short names when it would not fit.
  const lamps = [...full].length < side ? full
    : row((k) => (k === 'message' ? 'MW' : k.replace(/^line/, 'L').replace(/^speeddial/, 'sd')));
  return [
    pad(`${v.selected ? '▶' : ' '} ${v.name} ${protocol ?? ''}`, side),
    pad(` ${device ?? ''}`, side),
    pad(` ${v.registration}, ${hook}`, side),
    `┌${'─'.repeat(width)}┐`,
    ...v.lcd.map((r) => `│${pad(r, width)}│`),
    `└${'─'.repeat(width)}┘`,
    pad(` ${lamps}`, side),
    pad(` ringer ${v.ringer}${v.codec ? `  ${v.codec}` : ''}`, side),
    pad(` mic ${v.mic} Hz`, side),
    pad(` hears: ${v.hears}`, side),
  ];
}

/** North American precise tones (ANSI T1.401) by their frequency pair. */
const TONE_PAIRS: ReadonlyArray<[number, number, string]> = [[350, 440, 'dial tone'], [440, 480, 'ringback'], [480, 620, 'busy']];

/**
 * What an earpiece hears, in words: "dial tone", "ringback", "busy" or "reorder" (the same pair;
 * `tone` is the tone the call manager asked for), the far phone by name ("bob") for its microphone
 * tone, "silence"; any other frequency stays in Hz. `heard` is describeHeard's "350 Hz, 440 Hz" list.
 */
export function nameHeard(heard: string, mics: ReadonlyMap<number, string>, tone?: string): string {
  const hz = new Set([...heard.matchAll(/(\d+) Hz/g)].map((m) => Number(m[1])));
  if (hz.size === 0) return heard;
  const out: string[] = [];
  for (const [a, b, name] of TONE_PAIRS) {
    if (hz.has(a) && hz.has(b)) { out.push(name === 'busy' && tone === 'reorder' ? 'reorder' : name); hz.delete(a); hz.delete(b); }
  }
  for (const f of [...hz].sort((x, y) => x - y)) out.push(mics.get(f) ?? `${f} Hz`);
  return out.join(', ');
}

/** The keys of the simulator's keyboard, and the board key each needs (undefined: always there). */
const HELP: ReadonlyArray<[string, string | undefined]> = [
  ['Tab phone', undefined], ['0-9*#', '0'], ['a-d', 'A'], ['Space hook', undefined],
  ['qwer softkeys', 'softkey1'], ['l line1', 'line1'], ['h history', 'directories'], ['x quit', undefined],
];

/** The help line for a board with `keys` (undefined: the board's keys are not known, list all). */
export function helpLine(keys?: ReadonlySet<string>): string {
  return HELP.filter(([, k]) => !keys || k === undefined || keys.has(k)).map(([t]) => t).join('  ');
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

