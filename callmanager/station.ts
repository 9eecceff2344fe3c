/**
 * Protocol-neutral commands the call core (calls.ts) sends to a station. The SCCP glue
 * (sccp/station-port.ts) turns each into exactly one SCCP message; an SSCP server could map the
 * same commands onto its XML messages.
 */
import type { CallStateName } from '../firmware/station/signalling.js';

export type LampModeName = 'off' | 'on' | 'wink' | 'flash' | 'blink';
export type CmToneName = 'dial' | 'busy' | 'ringback' | 'reorder' | 'hold';
export type SoftKeySetName = 'OnHook' | 'Connected' | 'OnHold' | 'RingIn' | 'OffHook' | 'ConnectedTransferable'
  | 'DigitsFollowing' | 'ConnectedConference' | 'RingOut' | 'OffHookWithFeatures';

export type CmCommand =
  | { t: 'lamp'; target: 'line' | 'voicemail'; instance: number; mode: LampModeName }
  | { t: 'callState'; line: number; ref: number; state: CallStateName }
  | { t: 'activateCallPlane'; line: number }
  | { t: 'tone'; tone: CmToneName; line: number; ref: number }
  | { t: 'stopTone'; line: number; ref: number }
  | { t: 'softkeys'; line: number; ref: number; set: SoftKeySetName }
  /** `text` may start with a 0x80 label code (docs/sccp.md §1 "Embedded display labels"). */
  | { t: 'prompt'; line: number; ref: number; text: string; timeoutS: number }
  | { t: 'clearPrompt'; line: number; ref: number }
  | { t: 'ringer'; mode: 'off' | 'inside' }
  | { t: 'callInfo'; line: number; ref: number; callingName: string; calling: string; calledName: string;
      called: string; direction: 'inbound' | 'outbound';
      /** A forwarded call: the number first dialled (SCCP originalCalledParty, callType 3 Forward; docs/sccp.md §3 CallInfo). */
      originalCalled?: string; originalCalledName?: string }
  | { t: 'dialedNumber'; line: number; ref: number; number: string }
  | { t: 'backspace'; line: number; ref: number }
  | { t: 'openReceive'; ref: number; passThru: number; ms: number; codec: number }
  | { t: 'closeReceive'; ref: number; passThru: number }
  | { t: 'startMedia'; ref: number; passThru: number; ip: string; port: number; ms: number; codec: number }
  | { t: 'stopMedia'; ref: number; passThru: number }
  | { t: 'notify'; text: string; timeoutS: number }
  /** DisplayPriNotify / ClearPriNotify (SCCP 0x0120 / 0x0121); chan_skinny sends one on ringing. */
  | { t: 'priNotify'; text: string; timeoutS: number; priority: number }
  | { t: 'clearPriNotify'; priority: number }
  /** Speakerphone on/off (SCCP SetSpeakerMode 0x0088); third-party Dial goes off hook on the speaker (docs/tsp.md §3). */
  | { t: 'speaker'; on: boolean }
  /** Call forward all changed for line instance `line` (SCCP ForwardStat 0x0090, docs/sccp.md §3); number '' = off. */
  | { t: 'forwardStat'; line: number; number: string };

/** Where the core sends commands for one registered device. */
export interface StationSink {
  send(cmd: CmCommand): void;
  /** The CM's own address on the signalling connection to this station (RTP proxy bind default, docs/rtp-proxy.md §3). */
  readonly localAddress?: string;
}

/** Localised phrase codes (0x80 + code, docs/sccp.md §1; the station's label table). */
export const LABEL = {
  enterNumber: '\x80\x20',
  from: '\x80\x17',
  ringOut: '\x80\x16',
  connected: '\x80\x18',
} as const;

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug?(msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };
