/**
 * What the SSCP station remembers about calls to address its own messages (line and call id of the
 * call the handset talks to, the ringing call, the last SoftKeySet) and the PhoneInput → phone→CM
 * message mapping of docs/sscp.md §2 (numbers 4..16). Pure: the caller sends the messages.
 */
import type { CallStateName, SoftkeySlot } from '../station/signalling.js';
import { CallTracker } from '../station/call-tracker.js';
import { SoftkeySets } from '../station/softkey-sets.js';
import { SOFTKEY_EVENTS, SOFTKEY_EVENT_MAX, type SscpTyped } from './messages.js';

/** One phone→CM message, typed from the table (messages.ts SscpTyped). */
export type SscpOut = SscpTyped;

/** Digit <Key value>: DTMF symbols (ITU-T Q.23), docs/sscp.md §2 message 6. */
const KEY_RE = /^[0-9*#A-D]$/;
/** Dial <Address number>: the codec's dial string, up to 32 symbols (docs/sscp.md §2 message 7). */
const NUMBER_RE = /^[0-9*#A-D+]{1,32}$/;
/** SpeedDial <SpeedDial number> is an index 0..255 (messages.ts, seed example 9). */
const SPEEDDIAL_MAX = 255;
/** Line instances are 1..64 (messages.ts). */
const LINE_MAX = 64;

/** <CallIdentifier id> when there is a call (docs/sscp.md §2: optional on phone→CM messages). */
const withCall = <F extends object>(f: F, callRef: number): F & { callId?: string } => (callRef > 0 ? { ...f, callId: String(callRef) } : f);

export interface SscpKeySet { line: number; callRef: number; keys: SoftkeySlot[] }

export class SscpStationInput {
  private readonly tracker = new CallTracker();
  /** SoftKeySet per (line, call) and the one shown (firmware/station/softkey-sets.ts). */
  private readonly sets = new SoftkeySets<SscpKeySet>((ref) => this.tracker.stateOf(ref) !== undefined, () => this.tracker.currentCallRef);

  /** The SoftKeySet shown now: its line/call and slots. */
  get softkeys(): SscpKeySet | undefined { return this.sets.shown; }
  /** A SoftKeySet from the CM: true when it is shown (not another call's while that one is selected). */
  putSoftkeys(set: SscpKeySet): boolean { return this.sets.put(set); }
  /** The phone shows call `callRef`: true when the set shown changed. */
  selectCall(line: number, callRef: number): boolean { return this.sets.select(line, callRef); }

  get currentLine(): number { return this.tracker.currentLine; }
  get currentCallRef(): number { return this.tracker.currentCallRef; }
  get activeCalls(): number { return this.tracker.activeCalls; }
  private get callRef(): number { return this.tracker.currentCallRef; }
  /** State of the handset's call (undefined when there is none). */
  get currentState(): CallStateName | undefined { return this.tracker.stateOf(this.tracker.currentCallRef); }

  /** CallState; true when the set shown changed because the call cleared (the selected call's, else the default, shows). */
  callState(line: number, callRef: number, state: CallStateName): boolean {
    this.tracker.callState(line, callRef, state);
    return state === 'onhook' || state === 'idle' ? this.sets.cleared(callRef) : false;
  }

  callPlane(line: number): void { this.tracker.selectLine(line); }

  offHook(line?: number): SscpOut | Error {
    if (line !== undefined && (!Number.isInteger(line) || line < 1 || line > LINE_MAX)) return new Error(`offHook: line ${line} not in 1..${LINE_MAX}`);
    return { name: 'OffHook', fields: { line: this.tracker.offHook(line).line } };
  }

  onHook(): SscpOut { return { name: 'OnHook', fields: withCall({ line: this.currentLine }, this.callRef) }; }

  hookFlash(): SscpOut { return { name: 'HookFlash', fields: withCall({ line: this.currentLine }, this.callRef) }; }

  keypad(key: string): SscpOut | Error {
    const k = typeof key === 'string' ? key.toUpperCase() : '';
    if (!KEY_RE.test(k)) return new Error(`keypad: ${JSON.stringify(key)} is not one of 0-9 * # A-D (SSCP Digit, docs/sscp.md §2)`);
    return { name: 'Digit', fields: withCall({ key: k, line: this.currentLine }, this.callRef) };
  }

  dial(number: string): SscpOut | Error {
    if (typeof number !== 'string' || !NUMBER_RE.test(number)) {
      return new Error(`dial: ${JSON.stringify(number)} is not a dial string of 1..32 of 0-9 * # A-D + (SSCP Dial)`);
    }
    return { name: 'Dial', fields: { number, line: this.currentLine } };
  }

  /** SoftKeyEvent with the slot's event id and the seed's name for it (docs/sscp.md §2, message 12). */
  softkey(slot: number): SscpOut | Error {
    const sel = this.softkeys;
    const key = sel?.keys[slot];
    if (!sel || !key) return new Error(`softkey slot ${slot}: no such slot in the current SoftKeySet`);
    if (!key.enabled || key.event < 1 || key.event > SOFTKEY_EVENT_MAX) {
      return new Error(`softkey slot ${slot} (${key.label || 'empty'}) is disabled or has no event 1..${SOFTKEY_EVENT_MAX}`);
    }
    const callRef = sel.callRef || this.callRef;
    return { name: 'SoftKeyEvent', fields: withCall({ event: key.event, eventName: SOFTKEY_EVENTS[key.event]!, line: sel.line || this.currentLine }, callRef) };
  }

  lineButton(line: number): SscpOut | Error {
    if (!Number.isInteger(line) || line < 1 || line > LINE_MAX) return new Error(`lineButton: line ${line} not in 1..${LINE_MAX}`);
    return { name: 'LineButton', fields: { line } };
  }

  speedDial(index: number): SscpOut | Error {
    if (!Number.isInteger(index) || index < 1 || index > SPEEDDIAL_MAX) return new Error(`speedDial: index ${index} not in 1..${SPEEDDIAL_MAX}`);
    return { name: 'SpeedDial', fields: { index } };
  }

  /** HeadsetStatus <Mode type="On"|"Off"> (seed example 11). */
  headset(on: boolean): SscpOut { return { name: 'HeadsetStatus', fields: { mode: on ? 'On' : 'Off' } }; }
}
