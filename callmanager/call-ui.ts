/**
 * What the phone is told when its leg enters a call state: one table of ordered steps (call
 * state, tone, soft key set, prompt, and the lamp/ringer/call plane steps that go with them), so
 * the call core says `tell(leg, 'busy')` instead of repeating the command sequence. Order within
 * an entry is the order on the wire (the Asterisk chan_skinny order of docs/architecture.md).
 */
import type { CallStateName } from '../firmware/station/signalling.js';
import { LABEL, type CmCommand, type CmToneName, type LampModeName, type SoftKeySetName } from './station.js';

/** `$state` / `$text`: filled from the `tell` arguments. */
export type UiStep =
  | readonly ['state', CallStateName | '$state']
  | readonly ['tone', CmToneName]
  | readonly ['stopTone']
  | readonly ['softkeys', SoftKeySetName]
  /** The soft key set outside any call (line 0, ref 0). */
  | readonly ['softkeysNoCall', SoftKeySetName]
  /** args.info, the CallInfo of this call. */
  | readonly ['callInfo']
  | readonly ['prompt', string]
  | readonly ['clearPrompt']
  | readonly ['lamp', LampModeName]
  | readonly ['ringer', 'off' | 'inside']
  | readonly ['callPlane'];

export const CALL_UI = {
  /** Off hook, collecting digits. */
  dialing: [['lamp', 'on'], ['state', 'offhook'], ['callPlane'], ['tone', 'dial'], ['softkeys', 'OffHook'], ['prompt', LABEL.enterNumber]],
  /** The last digit was backspaced away: dial tone again. */
  redial: [['tone', 'dial'], ['softkeys', 'OffHook']],
  /** Called party busy. */
  busy: [['state', 'busy'], ['tone', 'busy'], ['softkeys', 'RingOut'], ['prompt', 'Busy']],
  /** The callee declined: the caller hears busy. */
  declined: [['stopTone'], ['state', 'busy'], ['tone', 'busy'], ['prompt', 'Busy']],
  /** Caller while the far end rings; $text = the number. */
  ringout: [['state', 'proceed'], ['state', 'ringout'], ['softkeys', 'RingOut'], ['tone', 'ringback'], ['prompt', `${LABEL.ringOut} $text`]],
  /** Callee ringing; $text = the caller's number. */
  ringin: [['state', 'ringin'], ['callInfo'], ['lamp', 'blink'], ['ringer', 'inside'], ['softkeys', 'RingIn'], ['prompt', `${LABEL.from}$text`], ['callPlane']],
  /** Reorder: $state congestion | invalidnumber, $text the reason. */
  reorder: [['stopTone'], ['tone', 'reorder'], ['state', '$state'], ['softkeys', 'OffHook'], ['prompt', '$text']],
  connected: [['state', 'connected'], ['lamp', 'on'], ['softkeys', 'Connected'], ['prompt', LABEL.connected]],
  hold: [['state', 'hold'], ['lamp', 'wink'], ['softkeys', 'OnHold']],
  /** The far end cleared while this phone is off hook: reorder and "Call ended" until it hangs up. */
  ended: [['stopTone'], ['state', 'offhook'], ['tone', 'reorder'], ['softkeys', 'OffHook'], ['prompt', 'Call ended']],
  /** Teardown to idle (docs/sccp.md §5 "Hang-up"). */
  idle: [['stopTone'], ['state', 'onhook'], ['clearPrompt'], ['ringer', 'off'], ['lamp', 'off'], ['softkeysNoCall', 'OnHook']],
} as const satisfies Record<string, readonly UiStep[]>;

export type CallUi = keyof typeof CALL_UI;

export interface UiArgs { state?: CallStateName; text?: string; info?: Extract<CmCommand, { t: 'callInfo' }> }

/** The commands for `ui` on line `line`, call `ref`. */
export function uiCommands(ui: CallUi, line: number, ref: number, args: UiArgs = {}): CmCommand[] {
  const out: CmCommand[] = [];
  for (const step of CALL_UI[ui] as readonly UiStep[]) {
    switch (step[0]) {
      case 'state': out.push({ t: 'callState', line, ref, state: step[1] === '$state' ? args.state! : step[1] }); break;
      case 'tone': out.push({ t: 'tone', tone: step[1], line, ref }); break;
      case 'stopTone': out.push({ t: 'stopTone', line, ref }); break;
      case 'softkeys': out.push({ t: 'softkeys', line, ref, set: step[1] }); break;
      case 'softkeysNoCall': out.push({ t: 'softkeys', line: 0, ref: 0, set: step[1] }); break;
      case 'callInfo': if (args.info) out.push(args.info); break;
      case 'prompt': out.push({ t: 'prompt', line, ref, text: step[1].replace('$text', () => args.text ?? ''), timeoutS: 0 }); break;
      case 'clearPrompt': out.push({ t: 'clearPrompt', line, ref }); break;
      case 'lamp': out.push({ t: 'lamp', target: 'line', instance: line, mode: step[1] }); break;
      case 'ringer': out.push({ t: 'ringer', mode: step[1] }); break;
      case 'callPlane': out.push({ t: 'activateCallPlane', line }); break;
    }
  }
  return out;
}
