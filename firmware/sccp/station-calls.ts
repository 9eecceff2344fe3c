/**
 * What the station needs to remember about calls to address its own messages: per call reference
 * the line and state (from CallState), the current line / call (ActivateCallPlane, CallState) and
 * the softkey set selected for each (lineInstance, callReference) by SelectSoftKeys
 * (firmware/station/softkey-sets.ts: the selected call's set is the one shown).
 * Turns PhoneInput into S→CM messages
 * (docs/sccp.md §3 layouts, §4 codes, §5 call flows). Pure: the caller sends the messages.
 */
import type { CallStateName, SoftkeySlot } from '../station/signalling.js';
import { CallTracker } from '../station/call-tracker.js';
import { SoftkeySets } from '../station/softkey-sets.js';
import { keypadCode } from './station-events.js';
import type { OutgoingMessage } from './codec.js';
import { HeadsetMode, Stimulus } from './enums.js';

/** One S→CM message, typed from the table (codec.ts OutgoingMessage). */
export type OutMsg = OutgoingMessage;
/** EnblocCall.calledParty is char[24] at protocol < 18 (docs/sccp.md §1 VariableDirnumSize). */
const DIRNUM_MAX = 24;

export interface SoftkeySelection { line: number; callRef: number; setIndex: number; mask: number; keys: SoftkeySlot[] }

export class StationCalls {
  private readonly tracker: CallTracker;
  /** SelectSoftKeys per (lineInstance, callReference) and the one shown; keys resolved when shown. */
  private readonly sets: SoftkeySets<SoftkeySelection>;
  /** OffHook sent and no OnHook since (the handset may be up without a call the CM told us of). */
  private hookOff = false;

  constructor(defaultLine: () => number) {
    this.tracker = new CallTracker(defaultLine);
    this.sets = new SoftkeySets((ref) => this.tracker.stateOf(ref) !== undefined, () => this.tracker.currentCallRef);
  }

  get currentLine(): number { return this.tracker.currentLine; }
  get currentCallRef(): number { return this.tracker.currentCallRef; }
  private get callRef(): number { return this.tracker.currentCallRef; }
  /** State of the handset's call (undefined when there is none). */
  get currentState(): CallStateName | undefined { return this.tracker.stateOf(this.tracker.currentCallRef); }

  /** The softkey set shown now (undefined before the CM selected any). */
  get softkeys(): SoftkeySelection | undefined { return this.sets.shown; }

  /** SelectSoftKeys: remembered for its (line, call); returns true when it is shown (not another call's while that one is selected). */
  selectSoftkeys(sel: SoftkeySelection): boolean { return this.sets.put(sel); }

  /** The phone shows call `callRef` (docs/features.md §2 "Several calls"); true when the softkey set shown changed. */
  selectCall(line: number, callRef: number): boolean { return this.sets.select(line, callRef); }

  /**
   * CallState. Returns true when the softkey set shown changed because the call cleared: its sets
   * are dropped and the set of the selected call (else the focused one, else the default) is shown.
   */
  callState(line: number, callRef: number, state: CallStateName): boolean {
    this.tracker.callState(line, callRef, state);
    if (state !== 'onhook' && state !== 'idle') return false;
    if (this.tracker.activeCalls === 0) this.hookOff = false;
    return this.sets.cleared(callRef);
  }

  activateCallPlane(line: number): void { this.tracker.selectLine(line); }

  /** A fresh registration: calls may have ended while we were away; the CM tells us again. */
  reset(): void { this.tracker.reset(); this.sets.reset(); this.hookOff = false; }

  /** OffHook(lineInstance, callReference of a ringing call on that line, else 0) — §5 "Answer = OffHook(1, 5)". */
  offHook(line?: number): OutMsg {
    const { line: l, ring } = this.tracker.offHook(line);
    this.hookOff = true;
    return { name: 'OffHook', fields: { lineInstance: l, callReference: ring?.ref ?? 0 } };
  }

  onHook(): OutMsg {
    this.hookOff = false;
    return { name: 'OnHook', fields: { lineInstance: this.currentLine, callReference: this.callRef } };
  }

  /**
   * Leaving the CM (stop): OnHook for every call the phone takes part in (not those only ringing
   * in), or one OnHook when the handset is up without a call, so the CM does not keep an off-hook
   * device after the session ends (Asterisk otherwise ignores the next registration's lift).
   */
  leaving(): OutMsg[] {
    const out: OutMsg[] = [];
    for (const c of this.tracker.list()) {
      if (c.state === 'ringin' || c.state === 'callwaiting') continue;
      out.push({ name: 'OnHook', fields: { lineInstance: c.line, callReference: c.ref } });
    }
    if (out.length === 0 && this.hookOff) out.push({ name: 'OnHook', fields: { lineInstance: this.currentLine, callReference: 0 } });
    this.hookOff = false;
    return out;
  }

  hookFlash(): OutMsg { return { name: 'HookFlash', fields: { lineInstance: this.currentLine, callReference: this.callRef } }; }

  keypad(key: string): OutMsg | Error {
    const code = keypadCode(key);
    if (code === undefined) return new Error(`keypad: ${JSON.stringify(key)} is not one of 0-9 * # A-D +`);
    return { name: 'KeypadButton', fields: { kpButton: code, lineInstance: this.currentLine, callReference: this.callRef } };
  }

  dial(number: string): OutMsg | Error {
    if (number.length === 0 || number.length > DIRNUM_MAX) {
      return new Error(`dial: number must have 1..${DIRNUM_MAX} characters (EnblocCall.calledParty char[24]), got ${number.length}`);
    }
    return { name: 'EnblocCall', fields: { calledParty: number, lineInstance: this.currentLine } };
  }

  /** SoftKeyEvent with the template's event code for `slot`; an Error for an empty/disabled/unknown slot. */
  softkey(slot: number): OutMsg | Error {
    const sel = this.softkeys;
    const key = sel?.keys[slot];
    if (!sel || !key) return new Error(`softkey slot ${slot}: no such slot in the current softkey set`);
    if (!key.enabled || key.event === 0) return new Error(`softkey slot ${slot} (${key.label || 'empty'}) is disabled`);
    return {
      name: 'SoftKeyEvent',
      fields: { softKeyEvent: key.event, lineInstance: sel.line || this.currentLine, callReference: sel.line ? sel.callRef : this.callRef },
    };
  }

  lineButton(line: number): OutMsg { return { name: 'Stimulus', fields: { stimulus: Stimulus.Line, lineInstance: line } }; }

  speedDial(index: number): OutMsg { return { name: 'Stimulus', fields: { stimulus: Stimulus.SpeedDial, lineInstance: index } }; }

  headset(on: boolean): OutMsg { return { name: 'HeadsetStatus', fields: { headsetStatus: on ? HeadsetMode.On : HeadsetMode.Off } }; }
}
