/**
 * Protocol-neutral commands the call core (calls.ts) sends to a station, and the sink they go to.
 * The SCCP half (sccp/commands.ts) turns each into exactly one SCCP message; the SSCP half
 * (sscp-server/commands.ts) into its XML messages.
 */
import type { CallStateName } from '../firmware/station/signalling.js';
import type { CodecName } from '../firmware/media/codecs.js';

export type LampModeName = 'off' | 'on' | 'wink' | 'flash' | 'blink';
export type CmToneName = 'dial' | 'busy' | 'ringback' | 'reorder' | 'hold' | 'callwaiting';
export type SoftKeySetName = 'OnHook' | 'Connected' | 'OnHold' | 'RingIn' | 'OffHook' | 'ConnectedTransferable'
  | 'DigitsFollowing' | 'ConnectedConference' | 'RingOut' | 'OffHookWithFeatures';

export type CmCommand =
  /** `speeddial`: a busy-lamp-field speed dial, instance = its 1-based index in the device's speeddials (features/blf.ts). */
  | { t: 'lamp'; target: 'line' | 'voicemail' | 'speeddial'; instance: number; mode: LampModeName }
  | { t: 'callState'; line: number; ref: number; state: CallStateName }
  | { t: 'activateCallPlane'; line: number }
  | { t: 'tone'; tone: CmToneName; line: number; ref: number }
  | { t: 'stopTone'; line: number; ref: number }
  | { t: 'softkeys'; line: number; ref: number; set: SoftKeySetName }
  | { t: 'prompt'; line: number; ref: number; text: DisplayText; timeoutS: number }
  | { t: 'clearPrompt'; line: number; ref: number }
  | { t: 'ringer'; mode: 'off' | 'inside' }
  | { t: 'callInfo'; line: number; ref: number; callingName: string; calling: string; calledName: string;
      called: string; direction: 'inbound' | 'outbound';
      /** A forwarded call: the number first dialled (SCCP originalCalledParty, callType 3 Forward; docs/sccp.md §3 CallInfo). */
      originalCalled?: string; originalCalledName?: string }
  | { t: 'dialedNumber'; line: number; ref: number; number: string }
  | { t: 'backspace'; line: number; ref: number }
  /** `codec`: codec registry name (firmware/media/codecs.ts). */
  | { t: 'openReceive'; ref: number; passThru: number; ms: number; codec: CodecName }
  | { t: 'closeReceive'; ref: number; passThru: number }
  | { t: 'startMedia'; ref: number; passThru: number; ip: string; port: number; ms: number; codec: CodecName }
  | { t: 'stopMedia'; ref: number; passThru: number }
  | { t: 'notify'; text: string; timeoutS: number }
  /** DisplayPriNotify / ClearPriNotify (SCCP 0x0120 / 0x0121); chan_skinny sends one on ringing. */
  | { t: 'priNotify'; text: DisplayText; timeoutS: number; priority: number }
  | { t: 'clearPriNotify'; priority: number }
  /** Speakerphone on/off (SCCP SetSpeakerMode 0x0088); third-party Dial goes off hook on the speaker (docs/tsp.md §3). */
  | { t: 'speaker'; on: boolean }
  /** Call forward all changed for line instance `line` (SCCP ForwardStat 0x0090, docs/sccp.md §3); number '' = off. */
  | { t: 'forwardStat'; line: number; number: string;
      /** Forward busy / no answer targets of the line (features/forward-cond.ts); absent = off. */
      busy?: string; noAnswer?: string };

/** Where the core sends commands for one registered device. */
export interface StationSink {
  send(cmd: CmCommand): void;
  /** The CM's own address on the signalling connection to this station (RTP proxy bind default, docs/rtp-proxy.md §3). */
  readonly localAddress?: string;
}

/**
 * Phrases a station shows in its own language (SCCP sends them as 0x80 label codes, docs/sccp.md §1
 * "Embedded display labels"; SSCP as PHRASE_TEXT).
 */
export type PhraseId = 'enterNumber' | 'from' | 'ringOut' | 'connected';
/** English texts of the phrases (the SCCP label table's, firmware/sccp/labels.ts). */
export const PHRASE_TEXT: Readonly<Record<PhraseId, string>> = { enterNumber: 'Enter Number', from: 'From', ringOut: 'Ring Out', connected: 'Connected' };
/** Display text: plain, or a station phrase followed by an argument (e.g. "From" + the number). */
export type DisplayText = string | { phrase: PhraseId; arg?: string };

/** `text` in plain words (a phrase and its argument separated by one space). */
export function plainText(text: DisplayText): string {
  if (typeof text === 'string') return text;
  return text.arg ? `${PHRASE_TEXT[text.phrase]} ${text.arg}` : PHRASE_TEXT[text.phrase];
}

/** @deprecated import from ./log.js; kept so that code written against the old grab-bag still compiles. */
export { silentLogger, type Logger } from './log.js';
