/**
 * The protocol-neutral signalling interface between the phone application and a station stack
 * (SCCP over TCP, SSCP XML over UDP). The phone app turns physical input into PhoneInput calls
 * and renders SignallingEvents; it never sees a protocol message. Media is driven by the stack
 * directly through a MediaEngine (firmware/media/engine.ts), so re-registration never touches it.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';

export type CallStateName =
  | 'idle' | 'offhook' | 'onhook' | 'ringout' | 'ringin' | 'connected' | 'busy' | 'congestion'
  | 'hold' | 'callwaiting' | 'transfer' | 'park' | 'proceed' | 'remotemultiline' | 'invalidnumber'
  | 'holdrevert' | 'whisper' | 'remotehold';

export type ToneName =
  | 'silence' | 'dial' | 'outsidedial' | 'busy' | 'ringback' | 'reorder' | 'offhookwarning'
  | 'messagewaiting' | 'nosuchnumber' | 'callwaiting' | 'confirmation' | 'zip' | 'hold'
  | `dtmf-${string}` | 'other';

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'rejected' | 'lost';

/**
 * Presence of a directory number as the call manager sees it (directory results, busy-lamp-field
 * speed dials; docs/features.md §5). 'unknown': the call manager does not say.
 */
export type Presence = 'idle' | 'ringing' | 'talking' | 'dnd' | 'unregistered' | 'unknown';
export const PRESENCES: readonly Presence[] = ['idle', 'ringing', 'talking', 'dnd', 'unregistered', 'unknown'];

/** One result of a call manager directory search. */
export interface DirectoryEntry { name: string; number: string; presence: Presence }

export interface SoftkeySlot { label: string; event: number; enabled: boolean }

export type SignallingEvent =
  | { type: 'registration'; state: RegistrationState; server?: string; reason?: string }
  | { type: 'lamp'; target: 'line' | 'speeddial' | 'message' | 'other'; instance: number; mode: LampMode; stimulus?: number }
  | { type: 'ringer'; mode: RingMode; once: boolean }
  | { type: 'tone'; tone: ToneName; code?: number; line?: number; callRef?: number }
  | { type: 'toneStop'; line?: number; callRef?: number }
  | { type: 'callState'; line: number; callRef: number; state: CallStateName }
  | { type: 'callInfo'; line: number; callRef: number; callingName: string; calling: string;
      calledName: string; called: string; direction: 'inbound' | 'outbound' | 'forward' }
  | { type: 'dialedNumber'; line: number; callRef: number; number: string }
  | { type: 'prompt'; text: string; timeoutS: number; line: number; callRef: number }
  | { type: 'promptClear'; line: number; callRef: number }
  | { type: 'notify'; text: string; timeoutS: number; priority?: number }
  | { type: 'notifyClear'; priority?: number }
  | { type: 'displayText'; text: string }
  | { type: 'displayClear' }
  /**
   * `paged`: the call manager pages this set itself (SSCP 124 Layout FunctionKeys): `keys` are page
   * `page` of `pages`, and the phone's "more" key asks for the next page (PhoneInput.nextSoftkeyPage).
   */
  | { type: 'softkeys'; line: number; callRef: number; keys: SoftkeySlot[]; paged?: { page: number; pages: number } }
  | { type: 'lineStatus'; line: number; number: string; label: string; displayName: string }
  | { type: 'speedDial'; index: number; number: string; label: string }
  | { type: 'timeDate'; date: Date }
  /** The call manager's date/time display template (SCCP RegisterAck.dateTemplate, e.g. "M/D/Y"). */
  | { type: 'dateTemplate'; template: string }
  | { type: 'speaker'; on: boolean }
  | { type: 'microphone'; on: boolean }
  | { type: 'callPlane'; line: number; active: boolean };

/** Physical input from the phone, in protocol-neutral terms. */
export interface PhoneInput {
  offHook(line?: number): void;
  onHook(): void;
  /** One keypad key: '0'-'9', '*', '#', 'A'-'D'. */
  keypad(key: string): void;
  /** A whole number at once (enbloc; click-to-dial). */
  dial(number: string): void;
  /** The softkey in `slot` (0-based, as last announced in a 'softkeys' event) was pressed. */
  softkey(slot: number): void;
  lineButton(line: number): void;
  speedDial(index: number): void;
  hookFlash(): void;
  headset(on: boolean): void;
  /**
   * The phone shows call `callRef` on `line` (the user selected it, or the screen's focus moved):
   * the station announces that call's softkey set and softkey presses act on that call (SCCP
   * SoftKeyEvent carries its lineInstance and callReference). Sends nothing to the call manager.
   */
  selectCall(line: number, callRef: number): void;
  /** "more" on a set the call manager pages itself (a 'softkeys' event with `paged`): asks for the next page. */
  nextSoftkeyPage?(): void;
}

export interface StationSignalling extends PhoneInput {
  readonly protocol: 'sccp' | 'sscp';
  readonly state: RegistrationState;
  onEvent(cb: (ev: SignallingEvent) => void): () => void;
  /**
   * Searches the call manager's directory for names containing `name` (case-insensitive; '' = all):
   * SSCP 14 PhoneBook → 125 PhoneBookResult, SCCP the CiscoIPPhoneDirectory XML at the phone's
   * directory URL. Absent when the station has no directory; rejects with a message to show.
   */
  searchDirectory?(name: string): Promise<DirectoryEntry[]>;
  start(): Promise<void>;
  /** Unregisters cleanly if possible and releases sockets and timers. */
  stop(): Promise<void>;
}
