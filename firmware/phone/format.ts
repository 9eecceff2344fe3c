/**
 * Text helpers for character displays: sanitising protocol text, fitting rows, time/date
 * formatting. Pure functions, no allocation beyond the strings they return.
 */

/**
 * Keeps only characters a character LCD can show. C0 controls (0x00-0x1F: HD44780 maps
 * 0x00-0x07 to CGRAM glyphs, so stray bytes would print user glyphs) and C1 controls
 * (0x7F-0x9F: SCCP's 0x80 "localized label" escape, docs/sccp.md §1) are removed; runs of
 * spaces collapse to one. A station stack should already have replaced SCCP label codes with
 * text; this only keeps undecoded bytes from reaching the display.
 */
export function cleanText(text: string | undefined): string {
  if (!text) return '';
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Pads with spaces or truncates to exactly `cols` characters. */
export function fit(text: string, cols: number): string {
  if (cols <= 0) return '';
  return text.length >= cols ? text.slice(0, cols) : text + ' '.repeat(cols - text.length);
}

/**
 * `left` left-aligned and `right` right-aligned in `cols` columns with at least one space
 * between them; when both do not fit, `right` is truncated first, then `left`.
 */
export function leftRight(left: string, right: string, cols: number): string {
  if (!right) return fit(left, cols);
  const room = cols - left.length - 1;
  if (room <= 0) return fit(left, cols);
  const r = right.length > room ? right.slice(0, room) : right;
  return left + ' '.repeat(cols - left.length - r.length) + r;
}

/** Joins the non-empty parts with single spaces. */
export function words(...parts: Array<string | undefined>): string {
  let out = '';
  for (const p of parts) {
    if (!p) continue;
    out = out ? `${out} ${p}` : p;
  }
  return out;
}

export interface TimeFormatOptions {
  /** Tokens: HH (00-23), H, hh (01-12), h, mm, A (AM/PM). Default 'HH:mm'. */
  timeFormat?: string;
  /** Tokens: DD, D, MM, M, YYYY, YY, ddd (Mon..Sun), MMM (Jan..Dec). Default 'DD/MM'. */
  dateFormat?: string;
  /** Format in UTC instead of the process's local time zone (tests, CMs sending UTC). */
  utc?: boolean;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TOKENS = /YYYY|YY|MMM|MM|M|DD|D|ddd|HH|H|hh|h|mm|A/g;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Formats `date` with the token pattern (unknown characters are copied). */
export function formatDate(date: Date, pattern: string, utc = false): string {
  if (Number.isNaN(date.getTime())) return '--:--';
  const Y = utc ? date.getUTCFullYear() : date.getFullYear();
  const Mo = (utc ? date.getUTCMonth() : date.getMonth()) + 1;
  const D = utc ? date.getUTCDate() : date.getDate();
  const wd = utc ? date.getUTCDay() : date.getDay();
  const H = utc ? date.getUTCHours() : date.getHours();
  const mi = utc ? date.getUTCMinutes() : date.getMinutes();
  const h12 = H % 12 === 0 ? 12 : H % 12;
  return pattern.replace(TOKENS, (tok) => {
    switch (tok) {
      case 'YYYY': return String(Y);
      case 'YY': return pad2(Y % 100);
      case 'MMM': return MONTHS[Mo - 1] ?? '';
      case 'MM': return pad2(Mo);
      case 'M': return String(Mo);
      case 'DD': return pad2(D);
      case 'D': return String(D);
      case 'ddd': return WEEKDAYS[wd] ?? '';
      case 'HH': return pad2(H);
      case 'H': return String(H);
      case 'hh': return pad2(h12);
      case 'h': return String(h12);
      case 'mm': return pad2(mi);
      case 'A': return H < 12 ? 'AM' : 'PM';
      default: return tok;
    }
  });
}

/**
 * A call manager's date template (SCCP RegisterAck.dateTemplate, docs/sccp.md §3; Asterisk
 * skinny.conf `dateformat`): the letters M, D and Y in display order with one separator, e.g.
 * "M/D/Y", "D/M/Y", "Y-M-D", "D.M.Y"; a trailing "A" asks for the 12-hour clock ("M/D/YA").
 * Returns undefined for an empty or unreadable template (the phone keeps its own format).
 */
export function fromDateTemplate(template: string): TimeFormatOptions | undefined {
  const t = template.replace(/\0.*$/s, '').trim().toUpperCase();
  const m = /^([MDY])([^MDYA]?)([MDY])\2([MDY])(A?)$/.exec(t);
  if (!m || new Set([m[1], m[3], m[4]]).size !== 3) return undefined;
  const tok = (c: string): string => (c === 'M' ? 'MM' : c === 'D' ? 'DD' : 'YY');
  const sep = m[2] || '/';
  return { dateFormat: [m[1]!, m[3]!, m[4]!].map(tok).join(sep), timeFormat: m[5] ? 'h:mmA' : 'HH:mm' };
}

/**
 * "HH:mm DD/MM" (or the configured patterns). When `maxLen` is too small the year goes first
 * (a 7960 shows two-digit years), then the whole date.
 */
export function clockText(date: Date, opts: TimeFormatOptions, maxLen: number): string {
  const time = formatDate(date, opts.timeFormat ?? 'HH:mm', opts.utc);
  const pattern = opts.dateFormat ?? 'DD/MM';
  const both = `${time} ${formatDate(date, pattern, opts.utc)}`;
  if (both.length <= maxLen) return both;
  const noYear = pattern.replace(/^(YYYY|YY)[^MD]?|[^MD]?(YYYY|YY)$/, '');
  const short = noYear !== pattern ? `${time} ${formatDate(date, noYear, opts.utc)}` : both;
  return short.length <= maxLen ? short : time;
}

/** Milliseconds from `date` to the start of the next wall-clock minute (1..60000). */
export function msToNextMinute(date: Date): number {
  const t = date.getTime();
  if (!Number.isFinite(t)) return 60_000;
  const rem = 60_000 - (((t % 60_000) + 60_000) % 60_000);
  return rem === 0 ? 60_000 : rem;
}
