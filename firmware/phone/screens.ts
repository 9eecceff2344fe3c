/**
 * Pure screen rendering: model + display geometry → exactly `rows` strings of `cols` characters.
 *
 * Layout with 4 or more rows (20x4 HD44780, 21x8 SSD1306 text grid):
 *   row 0       time/date left, the line's label right (CM label, else display name, else number)
 *   row 1       the focused call: the CM's prompt for it ("Congestion", "From 100") with the far
 *               party, else our own words for its state ("Ring out 101", "Connected 101 Bob")
 *   row 2       notify > registration status > CM display text > dialled digits > party name /
 *               other call / last dialled, with the focused call's timer right-aligned
 *   rows 3..n-2 other calls (one per row) on taller grids
 *   row n-1     softkey labels in softkeyCount equal cells
 * 3 rows: header, state (or row-2 text when more urgent), softkeys. 2 rows (16x2): one status row
 * (notify > registration > digits while dialling > call state > header), then softkeys.
 * With two or more calls and 3 or more rows the middle rows list the calls instead (call-list.ts:
 * the selected one marked, with state, party and timer); a notify, registration problem or CM
 * display text takes the last middle row (on a tall grid only when a row is spare, for display text);
 * the header then shows the selected call's position ("1/2") before the line label.
 */
import type { CallStateName, ToneName } from '../station/signalling.js';
import { focusedCall, party, shownNotify, type CallView, type PhoneModel } from './call-model.js';
import { callListRows, STATE_TEXT } from './call-list.js';
import { fit, leftRight, words } from './format.js';
import { layoutSoftkeys, softkeyRow } from './softkeys.js';
import { focusedPosition, focusedTimer, withRight } from './conversation.js';

export interface ScreenGeometry { cols: number; rows: number; softkeyCount: number }

/** Text for a local tone when the CM gave no prompt (e.g. Asterisk sends only reorder). */
const TONE_TEXT: Partial<Record<ToneName, string>> = {
  dial: 'Enter number', outsidedial: 'Enter number', busy: 'Busy', reorder: 'Call failed',
  nosuchnumber: 'Invalid number', ringback: 'Ringing', offhookwarning: 'Hang up',
};

/** States whose line shows the CM prompt (there is no far party to show yet). */
const PROMPT_STATES: ReadonlySet<CallStateName> = new Set<CallStateName>(['offhook', 'proceed']);
/** States where the CM's words say why the call failed: shown alone, no far party after them. */
const FAILED_STATES: ReadonlySet<CallStateName> = new Set<CallStateName>(['busy', 'congestion', 'invalidnumber']);

/**
 * The CM's prompt for call `c`: one for call reference 0 is for whatever call is shown; one given
 * while the call was in an earlier state is stale (Asterisk and the deskphone CM send a prompt after
 * the CallState it goes with).
 */
function promptFor(m: PhoneModel, c: CallView | undefined): string {
  const p = m.prompt;
  if (!p) return '';
  if (!c || p.callRef === 0) return p.text;
  return p.callRef === c.callRef && (p.state === undefined || p.state === c.state) ? p.text : '';
}

/** `words(a, b)` unless `a` already says `b` (CM prompts such as "From 100" carry the number). */
const withParty = (text: string, extra: string): string => (extra && !text.includes(extra) ? words(text, extra) : text);

/**
 * The status line for the focused call (or the idle prompt). The CM's words come first: its
 * prompt for the call replaces our state text ("Congestion", not "Call failed 606"); our own words
 * are for what the CM does not say (Asterisk sends only a tone off hook, nothing for some states).
 */
export function callLine(m: PhoneModel, cols: number): { text: string; nameOverflow: string } {
  const c = focusedCall(m);
  const prompt = promptFor(m, c);
  if (!c) return { text: prompt, nameOverflow: '' };
  if (PROMPT_STATES.has(c.state)) {
    const tone = m.tone ? TONE_TEXT[m.tone] : undefined;
    if (c.state === 'proceed') return { text: prompt || words(STATE_TEXT.proceed, party(c).number), nameOverflow: '' };
    return { text: prompt || tone || STATE_TEXT.offhook, nameOverflow: '' };
  }
  const p = party(c);
  if (prompt && FAILED_STATES.has(c.state)) return { text: prompt, nameOverflow: '' };
  const base = withParty(prompt || STATE_TEXT[c.state] || c.state, p.number);
  const full = withParty(base, p.name);
  if (full.length <= cols || !p.name || full === base) return { text: full, nameOverflow: '' };
  return { text: base, nameOverflow: p.name };
}

function registrationText(m: PhoneModel): string {
  switch (m.registration.state) {
    case 'registered': return '';
    case 'registering': return 'Registering...';
    case 'rejected': return words('Rejected:', m.registration.reason || 'no reason given');
    case 'lost': case 'unregistered': default: return 'No call manager';
  }
}

/** Digits being dialled on the focused call ('' when not dialling). */
function dialDigits(m: PhoneModel): string {
  const c = focusedCall(m);
  if (c && !PROMPT_STATES.has(c.state)) return '';
  if (!c && !m.typed) return '';
  return c?.dialled || m.typed;
}

/** Idle hint until the call history is viewed (7960: "1 missed call", docs/features.md §4). */
function missedText(m: PhoneModel): string { return `${m.missedUnseen} missed`; }

function shortCall(c: CallView): string {
  const p = party(c);
  return words(`L${c.line}`, STATE_TEXT[c.state] || c.state, p.number || p.name);
}

function otherCalls(m: PhoneModel): CallView[] {
  const out: CallView[] = [];
  for (const c of m.calls.values()) if (c.callRef !== m.focus) out.push(c);
  return out;
}

/**
 * Label of the line the focused call is on (line 1 when idle), as a 7960 shows it: the CM's text
 * label for the line, else its display name, else its number. Asterisk puts `linelabel` in the
 * display-name field of LineStat and leaves the text label empty; chan-sccp does the same for line 1.
 */
function lineLabel(m: PhoneModel): string {
  const line = focusedCall(m)?.line ?? 1;
  const l = m.lines.get(line) ?? m.lines.values().next().value;
  return l ? l.label || l.displayName || l.number : '';
}

function softkeys(m: PhoneModel, g: ScreenGeometry): string {
  return softkeyRow(layoutSoftkeys(m.softkeys, g.softkeyCount, m.softkeyPage, m.softkeyPaged).labels, g.cols);
}

/** Row 2 (info) text by priority; `overflow` is the party name that did not fit on row 1. */
function infoLine(m: PhoneModel, overflow: string): string {
  const notify = shownNotify(m)?.text;
  if (notify) return notify;
  const reg = registrationText(m);
  if (reg) return reg;
  if (m.displayText) return m.displayText;
  const digits = dialDigits(m);
  if (digits) return digits;
  if (overflow) return overflow;
  const other = otherCalls(m)[0];
  if (other) return shortCall(other);
  if (m.calls.size === 0 && m.missedUnseen > 0) return missedText(m);
  if (m.calls.size === 0 && m.lastDialled) return `Last ${m.lastDialled}`;
  return '';
}

/**
 * Renders the model. `clock` is the formatted time/date for the header; `clockFor(max)` lets the
 * header drop the date on narrow rows.
 */
export function renderScreen(m: PhoneModel, g: ScreenGeometry, clockFor: (maxLen: number) => string, nowMs = 0): string[] {
  const { cols, rows } = g;
  const out: string[] = [];
  if (rows <= 0 || cols <= 0) return out;
  const pos = focusedPosition(m);
  const label = pos && rows >= 3 ? words(pos, lineLabel(m)) : lineLabel(m);
  const header = (): string => {
    const room = label ? Math.max(5, cols - label.length - 1) : cols;
    return leftRight(clockFor(room), label, cols);
  };
  const call = callLine(m, cols);
  const keys = g.softkeyCount > 0;

  if (rows <= 2) {
    const notify = shownNotify(m)?.text;
    const digits = dialDigits(m);
    const status = notify || registrationText(m) || (digits ? `> ${digits}` : '') ||
      (focusedCall(m) ? call.text : '') || m.displayText || (m.calls.size === 0 && m.missedUnseen > 0 ? missedText(m) : '');
    out.push(status ? fit(status, cols) : header());
    if (rows === 2) out.push(keys ? softkeys(m, g) : fit(call.nameOverflow || m.prompt?.text || '', cols));
    return out;
  }

  out.push(header());
  if (m.calls.size >= 2) {
    const middle = rows - 1 - (keys ? 1 : 0);
    const urgent = shownNotify(m)?.text || registrationText(m);
    const info = urgent || (m.calls.size < middle ? m.displayText ?? '' : '');
    const listRows = info && middle >= 2 ? middle - 1 : middle;
    const digits = dialDigits(m);
    out.push(...callListRows(m, cols, listRows, digits || call.text, nowMs));
    if (listRows < middle) out.push(fit(info, cols));
    if (keys) out.push(softkeys(m, g));
    return out;
  }
  const info = infoLine(m, call.nameOverflow);
  if (rows === 3) {
    const urgent = m.notifies.length > 0 || m.registration.state !== 'registered';
    out.push(fit(urgent || !call.text ? info : call.text, cols));
    out.push(keys ? softkeys(m, g) : fit(info, cols));
    return out;
  }
  out.push(fit(call.text, cols));
  out.push(withRight(info, focusedTimer(m, nowMs), cols));
  const body = rows - 3 - (keys ? 1 : 0);
  if (body > 0) {
    const shown = info;
    const extra = otherCalls(m).map(shortCall).filter((t) => t !== shown);
    for (let i = 0; i < body; i++) out.push(fit(extra[i] ?? '', cols));
  }
  if (keys) out.push(softkeys(m, g));
  return out;
}
