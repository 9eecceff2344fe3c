/**
 * What the phone is told when its leg enters a call state: one table of ordered steps (call
 * state, tone, soft key set, prompt, and the lamp/ringer/call plane steps that go with them), so
 * the call core says `tell(leg, 'busy')` instead of repeating the command sequence. Order within
 * an entry is the order on the wire (the Asterisk chan_skinny order of docs/architecture.md).
 * `server.compat: chan_skinny` has its own entries where Asterisk 20 chan_skinny differs
 * (docs/scenarios.md "Call managers differ"; features/chan-skinny.ts has the rest).
 */
import type { CallStateName } from '../firmware/station/signalling.js';
import type { CmCommand, CmToneName, DisplayText, LampModeName, SoftKeySetName } from './station.js';
import type { InbandToneName } from './features/inband-tones.js';

/** `$state` / `$text`: filled from the `tell` arguments; a prompt `{ phrase }` gets `$text` as its argument. */
export type UiStep =
  | readonly ['state', CallStateName | '$state']
  | readonly ['tone', CmToneName]
  /** The tone played over RTP (chan_skinny earlyrtp, features/inband-tones.ts) instead of StartTone. */
  | readonly ['inband', InbandToneName]
  | readonly ['stopTone']
  | readonly ['softkeys', SoftKeySetName]
  /** The soft key set outside any call (line 0, ref 0). */
  | readonly ['softkeysNoCall', SoftKeySetName]
  /** args.info, the CallInfo of this call. */
  | readonly ['callInfo']
  | readonly ['prompt', DisplayText]
  | readonly ['clearPrompt']
  /** chan_skinny's DisplayPriNotify on ringing ("From <number>", 10 s, priority 5) and its ClearPriNotify. */
  | readonly ['priNotify', DisplayText]
  | readonly ['clearPriNotify']
  | readonly ['lamp', LampModeName]
  | readonly ['ringer', 'off' | 'inside']
  | readonly ['callPlane'];

const IDLE = [['stopTone'], ['state', 'onhook'], ['clearPrompt'], ['ringer', 'off'], ['lamp', 'off'], ['softkeysNoCall', 'OnHook']] as const;
const FROM = { phrase: 'from' } as const;

export const CALL_UI = {
  /** Off hook, collecting digits. */
  dialing: [['lamp', 'on'], ['state', 'offhook'], ['callPlane'], ['tone', 'dial'], ['softkeys', 'OffHook'], ['prompt', { phrase: 'enterNumber' }]],
  /** The last digit was backspaced away: dial tone again. */
  redial: [['tone', 'dial'], ['softkeys', 'OffHook']],
  /** Called party busy. */
  busy: [['state', 'busy'], ['tone', 'busy'], ['softkeys', 'RingOut'], ['prompt', 'Busy']],
  /** The callee declined: the caller hears busy. */
  declined: [['stopTone'], ['state', 'busy'], ['tone', 'busy'], ['prompt', 'Busy']],
  /** Caller while the far end rings; $text = the number. */
  ringout: [['state', 'proceed'], ['state', 'ringout'], ['softkeys', 'RingOut'], ['tone', 'ringback'], ['prompt', { phrase: 'ringOut' }]],
  /** Callee ringing; $text = the caller's number. */
  ringin: [['state', 'ringin'], ['callInfo'], ['lamp', 'blink'], ['ringer', 'inside'], ['softkeys', 'RingIn'], ['prompt', FROM], ['callPlane']],
  /** A second call for a phone that is talking (call waiting): no ringer, the call-waiting tone; $text = the caller's number. */
  waiting: [['state', 'ringin'], ['callInfo'], ['lamp', 'blink'], ['tone', 'callwaiting'], ['softkeys', 'RingIn'], ['prompt', FROM]],
  /** The callee answered (then `connected`). */
  answered: [['ringer', 'off'], ['lamp', 'on']],
  /** Reorder: $state congestion | invalidnumber, $text the reason. */
  reorder: [['stopTone'], ['tone', 'reorder'], ['state', '$state'], ['softkeys', 'OffHook'], ['prompt', '$text']],
  connected: [['state', 'connected'], ['lamp', 'on'], ['softkeys', 'Connected'], ['prompt', { phrase: 'connected' }]],
  hold: [['state', 'hold'], ['lamp', 'wink'], ['softkeys', 'OnHold']],
  /** On a conference bridge (conference-calls.ts). */
  conference: [['stopTone'], ['state', 'connected'], ['lamp', 'on'], ['softkeys', 'ConnectedConference'], ['prompt', 'Conference']],
  /** The far end cleared while this phone is off hook: reorder and "Call ended" until it hangs up. */
  ended: [['stopTone'], ['state', 'offhook'], ['tone', 'reorder'], ['softkeys', 'OffHook'], ['prompt', 'Call ended']],
  /** Teardown to idle (docs/sccp.md §5 "Hang-up"). */
  idle: IDLE,
  /** Teardown of a call that was still ringing here. */
  unring: IDLE,
} as const satisfies Record<string, readonly UiStep[]>;

export type CallUi = keyof typeof CALL_UI;

/**
 * chan_skinny (Asterisk 20, earlyrtp=yes) where it differs: busy and reorder in-band over RTP with
 * CallState Busy / Congestion and the prompt "Busy" / "Congestion"; a DisplayPriNotify on ringing,
 * cleared on answer or when the ringing ends; the idle soft key set is selected once, at
 * registration, never on teardown.
 */
const SKINNY_IDLE = [['stopTone'], ['state', 'onhook'], ['clearPrompt'], ['ringer', 'off'], ['lamp', 'off']] as const;
export const CALL_UI_CHAN_SKINNY = {
  busy: [['state', 'busy'], ['inband', 'busy'], ['softkeys', 'RingOut'], ['prompt', 'Busy']],
  declined: [['stopTone'], ['state', 'busy'], ['inband', 'busy'], ['prompt', 'Busy']],
  ringin: [['state', 'ringin'], ['callInfo'], ['lamp', 'blink'], ['ringer', 'inside'], ['softkeys', 'RingIn'], ['prompt', FROM], ['priNotify', FROM], ['callPlane']],
  answered: [['ringer', 'off'], ['lamp', 'on'], ['clearPriNotify']],
  reorder: [['stopTone'], ['inband', 'reorder'], ['state', 'congestion'], ['softkeys', 'OffHook'], ['prompt', 'Congestion']],
  ended: [['stopTone'], ['state', 'offhook'], ['inband', 'reorder'], ['softkeys', 'OffHook'], ['prompt', 'Call ended']],
  idle: SKINNY_IDLE,
  unring: [['clearPriNotify'], ...SKINNY_IDLE],
} as const satisfies Partial<Record<CallUi, readonly UiStep[]>>;

export type UiVariant = 'default' | 'chan_skinny';
export interface UiArgs { state?: CallStateName; text?: string; info?: Extract<CmCommand, { t: 'callInfo' }> }
/** A step's output: a command to the phone, or a tone the core plays over RTP. */
export type UiAction = CmCommand | { t: 'inband'; tone: InbandToneName };

/** DisplayPriNotify on ringing: 10 s at priority 5 (what chan_skinny sends). */
const RING_NOTIFY = { timeoutS: 10, priority: 5 };

function fill(text: DisplayText, args: UiArgs): DisplayText {
  if (typeof text !== 'string') return args.text !== undefined ? { phrase: text.phrase, arg: args.text } : text;
  return text.replace('$text', () => args.text ?? '');
}

/** The actions for `ui` on line `line`, call `ref`. */
export function uiCommands(ui: CallUi, line: number, ref: number, args: UiArgs = {}, variant: UiVariant = 'default'): UiAction[] {
  const steps = (variant === 'chan_skinny' ? (CALL_UI_CHAN_SKINNY as Partial<Record<CallUi, readonly UiStep[]>>)[ui] : undefined) ?? CALL_UI[ui];
  const out: UiAction[] = [];
  for (const step of steps as readonly UiStep[]) {
    switch (step[0]) {
      case 'state': out.push({ t: 'callState', line, ref, state: step[1] === '$state' ? args.state! : step[1] }); break;
      case 'tone': out.push({ t: 'tone', tone: step[1], line, ref }); break;
      case 'inband': out.push({ t: 'inband', tone: step[1] }); break;
      case 'stopTone': out.push({ t: 'stopTone', line, ref }); break;
      case 'softkeys': out.push({ t: 'softkeys', line, ref, set: step[1] }); break;
      case 'softkeysNoCall': out.push({ t: 'softkeys', line: 0, ref: 0, set: step[1] }); break;
      case 'callInfo': if (args.info) out.push(args.info); break;
      case 'prompt': out.push({ t: 'prompt', line, ref, text: fill(step[1], args), timeoutS: 0 }); break;
      case 'clearPrompt': out.push({ t: 'clearPrompt', line, ref }); break;
      case 'priNotify': out.push({ t: 'priNotify', text: fill(step[1], args), ...RING_NOTIFY }); break;
      case 'clearPriNotify': out.push({ t: 'clearPriNotify', priority: RING_NOTIFY.priority }); break;
      case 'lamp': out.push({ t: 'lamp', target: 'line', instance: line, mode: step[1] }); break;
      case 'ringer': out.push({ t: 'ringer', mode: step[1] }); break;
      case 'callPlane': out.push({ t: 'activateCallPlane', line }); break;
    }
  }
  return out;
}
