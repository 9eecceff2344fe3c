/**
 * The call list shown while the phone holds several calls (docs/features.md §2 "Several calls"):
 * one row per call in the order the calls started, as a 7960 lists a line's calls in the line's
 * area — a mark for the selected call ('>'), the line ("L2", only when the calls are on more than
 * one line), the state and far party, and the call timer right-aligned (from the first connect,
 * m:ss or h:mm:ss; none while ringing or dialling). When more calls exist than rows, the rows are
 * a window that always contains the selected call. Pure: model + geometry + time → strings.
 */
import type { CallStateName } from '../station/signalling.js';
import { callList, party, type CallView, type PhoneModel } from './call-model.js';
import { fit, words } from './format.js';

/** Words shown for a call state (7960 wording where it has one, docs/features.md §2). */
export const STATE_TEXT: Readonly<Record<CallStateName, string>> = {
  idle: '', onhook: '', offhook: 'Enter number', proceed: 'Calling', ringout: 'Ring out',
  ringin: 'From', connected: 'Connected', busy: 'Busy', congestion: 'Call failed', hold: 'On hold',
  callwaiting: 'Waiting', transfer: 'Transfer', park: 'Parked', remotemultiline: 'In use',
  invalidnumber: 'Invalid number', holdrevert: 'Hold revert', whisper: 'Whisper',
  remotehold: 'Remote hold',
};

/** Mark before the selected call's row (the 7960 highlights it; a character LCD has no inverse video). */
export const SELECTED_MARK = '>';

/**
 * Short state words at the right of a list row, before the timer (a 7960 shows an icon per call;
 * a connected call shows only its timer). '' = nothing (connected; dialling shows the digits).
 */
const LIST_STATE: Readonly<Record<CallStateName, string>> = {
  idle: '', onhook: '', offhook: '', proceed: 'Calling', ringout: 'Ring out', ringin: 'Ringing',
  connected: '', busy: 'Busy', congestion: 'Failed', hold: 'Held', callwaiting: 'Waiting',
  transfer: 'Xfer', park: 'Parked', remotemultiline: 'In use', invalidnumber: 'Invalid',
  holdrevert: 'Revert', whisper: 'Whisper', remotehold: 'Rem hold',
};

/** States that show no timer: the call has not been answered yet, or is being dialled. */
export const UNTIMED: ReadonlySet<CallStateName> = new Set<CallStateName>(['ringin', 'callwaiting', 'offhook', 'proceed', 'ringout']);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Call timer text: "0:07", "12:34", "1:02:03". */
export function callDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${m}:${pad2(s % 60)}`;
}

/** True when some call shows a running timer (the screen then redraws every second). */
export function hasTimer(m: PhoneModel): boolean {
  for (const c of m.calls.values()) if (c.connectedAt !== undefined && !UNTIMED.has(c.state)) return true;
  return false;
}

/** `left` then `right` in `cols` columns; `right` (state, timer) is kept whole, `left` is cut. */
function row(left: string, right: string, cols: number): string {
  if (!right || cols < right.length + 3) return fit(left, cols);
  const room = cols - right.length - 1;
  return fit(left.slice(0, room), room) + ' ' + right;
}

/**
 * Exactly `count` rows listing the calls: mark, line, far party (number and name) at the left; a
 * short state word and the timer at the right. A call with no far party yet (dialling) shows
 * `selectedText` when selected (the digits being dialled, else the CM's prompt), else its state.
 */
export function callListRows(m: PhoneModel, cols: number, count: number, selectedText: string, nowMs: number): string[] {
  const calls = callList(m);
  const multiLine = new Set(calls.map((c) => c.line)).size > 1;
  const sel = Math.max(0, calls.findIndex((c) => c.callRef === m.focus));
  const start = Math.max(0, Math.min(sel - count + 1, calls.length - count));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = calls[start + i];
    if (!c) { out.push(fit('', cols)); continue; }
    const selected = c.callRef === m.focus;
    const p = party(c);
    const who = words(p.number, p.name) || (selected ? selectedText : STATE_TEXT[c.state] || c.state);
    const timer = c.connectedAt !== undefined && !UNTIMED.has(c.state) ? callDuration(nowMs - c.connectedAt) : '';
    const left = `${selected ? SELECTED_MARK : ' '}${multiLine ? `L${c.line} ` : ''}${who}`;
    out.push(row(left, words(LIST_STATE[c.state], timer), cols));
  }
  return out;
}
