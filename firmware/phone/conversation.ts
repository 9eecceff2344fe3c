/**
 * The conversation view's call status (docs/features.md §2 "Call screen"): for the focused call the
 * timer (from the first connect, as the call list shows it) and, with several calls, the call's
 * position among them ("1/2"). The status word and far party come from screens.ts callLine. Pure.
 */
import { callList, focusedCall, type PhoneModel } from './call-model.js';
import { callDuration, UNTIMED } from './call-list.js';
import { fit } from './format.js';

/** Timer of the focused call ('' while ringing, dialling or never connected). */
export function focusedTimer(m: PhoneModel, nowMs: number): string {
  const c = focusedCall(m);
  return c && c.connectedAt !== undefined && !UNTIMED.has(c.state) ? callDuration(nowMs - c.connectedAt) : '';
}

/** "2/3": the focused call's place in the call list, '' with fewer than two calls. */
export function focusedPosition(m: PhoneModel): string {
  if (m.calls.size < 2) return '';
  const calls = callList(m);
  const i = calls.findIndex((c) => c.callRef === m.focus);
  return i < 0 ? '' : `${i + 1}/${calls.length}`;
}

/** `left` with `right` right-aligned in `cols`; `right` is dropped when it leaves `left` under 3 columns. */
export function withRight(left: string, right: string, cols: number): string {
  if (!right || cols < right.length + 4) return fit(left, cols);
  const room = cols - right.length - 1;
  return fit(left.slice(0, room), room) + ' ' + right;
}
