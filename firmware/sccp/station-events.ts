/**
 * Pure translation of decoded CM→station SCCP messages into protocol-neutral SignallingEvents
 * (firmware/station/signalling.ts). Numbers are the enumerations of docs/sccp.md §4.
 * Messages that need session state (templates, media, registration) are handled in station.ts.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { CallStateName, SignallingEvent, ToneName } from '../station/signalling.js';

type Fields = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Stimulus numbers (docs/sccp.md §4). */
export const STIMULUS_SPEEDDIAL = 2;
export const STIMULUS_LINE = 9;
export const STIMULUS_VOICEMAIL = 15;

/** Lamp modes 1 Off, 2 On, 3 Wink, 4 Flash, 5 Blink (docs/sccp.md §4). */
const LAMP: Record<number, LampMode> = { 1: 'off', 2: 'on', 3: 'wink', 4: 'flash', 5: 'blink' };

/** Ringer modes 1 RingOff .. 5 FlashOnly (§4); 6 PrecedenceRing has no own RingMode: ring as 'feature'. */
const RING: Record<number, RingMode> = { 1: 'off', 2: 'inside', 3: 'outside', 4: 'feature', 5: 'flash', 6: 'feature' };
/** SetRinger.ringDuration 2 = single ring (docs/sccp.md §3). */
const RING_DURATION_SINGLE = 2;

/** CallState.callState 0..17 (docs/sccp.md §4), index = wire value. */
const CALL_STATES: readonly CallStateName[] = [
  'idle', 'offhook', 'onhook', 'ringout', 'ringin', 'connected', 'busy', 'congestion', 'hold',
  'callwaiting', 'transfer', 'park', 'proceed', 'remotemultiline', 'invalidnumber', 'holdrevert',
  'whisper', 'remotehold',
];

/** Tone codes (docs/sccp.md §4). DTMF codes: 1..9, 0x0A = 0, 0x0E = *, 0x0F = #, 0x10..0x13 = A..D. */
const TONES: Record<number, ToneName> = {
  0x00: 'silence', 0x21: 'dial', 0x22: 'outsidedial', 0x23: 'busy', 0x24: 'ringback', 0x25: 'reorder',
  0x29: 'offhookwarning', 0x2a: 'messagewaiting', 0x2b: 'nosuchnumber', 0x2d: 'callwaiting',
  0x2e: 'confirmation', 0x31: 'zip', 0x32: 'zip', 0x35: 'hold', 0x7f: 'silence',
};

export function toneName(code: number): ToneName {
  if (code >= 1 && code <= 9) return `dtmf-${code}`;
  if (code === 0x0a) return 'dtmf-0';
  if (code === 0x0e) return 'dtmf-*';
  if (code === 0x0f) return 'dtmf-#';
  if (code >= 0x10 && code <= 0x13) return `dtmf-${'ABCD'[code - 0x10]}`;
  return TONES[code] ?? 'other';
}

export function callStateName(code: number): CallStateName | undefined { return CALL_STATES[code]; }

/** KeypadButton.kpButton (docs/sccp.md §4): digits 0..9, A-D 10..13, '*' 14, '#' 15, '+' 16. */
export function keypadCode(key: string): number | undefined {
  if (key.length !== 1) return undefined;
  if (key >= '0' && key <= '9') return key.charCodeAt(0) - 48;
  const abcd = 'ABCD'.indexOf(key.toUpperCase());
  if (abcd >= 0) return 10 + abcd;
  return ({ '*': 14, '#': 15, '+': 16 } as Record<string, number>)[key];
}

/** callType 1 inbound, 2 outbound, 3 forward (docs/sccp.md §3, CallInfo). */
const DIRECTION: Record<number, 'inbound' | 'outbound' | 'forward'> = { 1: 'inbound', 2: 'outbound', 3: 'forward' };

/** Speaker/mic modes: 1 On, 2 Off (docs/sccp.md §4). */
const MODE_ON = 1;

/**
 * The event for one CM→S message, `undefined` for messages with no event (or handled elsewhere),
 * or an Error describing a value out of range (the caller logs it; the message is ignored).
 */
export function translateCmMessage(name: string, f: Fields, label: (raw: string) => string): SignallingEvent | Error | undefined {
  switch (name) {
    case 'SetLamp': {
      const mode = LAMP[num(f.lampMode)];
      if (!mode) return new Error(`SetLamp.lampMode ${num(f.lampMode)} not in 1..5 (docs/sccp.md §4)`);
      const stimulus = num(f.stimulus);
      const target = stimulus === STIMULUS_LINE ? 'line' : stimulus === STIMULUS_VOICEMAIL ? 'message'
        : stimulus === STIMULUS_SPEEDDIAL ? 'speeddial' : 'other';
      return { type: 'lamp', target, instance: num(f.stimulusInstance), mode, stimulus };
    }
    case 'SetRinger': {
      const mode = RING[num(f.ringMode)];
      if (!mode) return new Error(`SetRinger.ringMode ${num(f.ringMode)} not in 1..6 (docs/sccp.md §4)`);
      return { type: 'ringer', mode, once: num(f.ringDuration) === RING_DURATION_SINGLE };
    }
    case 'StartTone': {
      const code = num(f.tone);
      return { type: 'tone', tone: toneName(code), code, line: num(f.lineInstance), callRef: num(f.callReference) };
    }
    case 'StopTone':
      return { type: 'toneStop', line: num(f.lineInstance), callRef: num(f.callReference) };
    case 'CallState': {
      const state = callStateName(num(f.callState));
      if (!state) return new Error(`CallState.callState ${num(f.callState)} not in 0..17 (docs/sccp.md §4)`);
      return { type: 'callState', line: num(f.lineInstance), callRef: num(f.callReference), state };
    }
    case 'CallInfo':
      return {
        type: 'callInfo', line: num(f.lineInstance), callRef: num(f.callReference),
        callingName: label(str(f.callingPartyName)), calling: str(f.callingParty),
        calledName: label(str(f.calledPartyName)), called: str(f.calledParty),
        direction: DIRECTION[num(f.callType)] ?? 'inbound',
      };
    case 'DialedNumber':
      return { type: 'dialedNumber', line: num(f.lineInstance), callRef: num(f.callReference), number: str(f.dialedNumber) };
    case 'DisplayPromptStatus':
      return { type: 'prompt', text: label(str(f.promptStatus)), timeoutS: num(f.timeOutValue),
        line: num(f.lineInstance), callRef: num(f.callReference) };
    case 'ClearPromptStatus':
      return { type: 'promptClear', line: num(f.lineInstance), callRef: num(f.callReference) };
    case 'DisplayNotify':
      return { type: 'notify', text: label(str(f.notify)), timeoutS: num(f.timeOutValue) };
    case 'DisplayPriNotify':
      return { type: 'notify', text: label(str(f.notify)), timeoutS: num(f.timeOutValue), priority: num(f.priority) };
    case 'ClearNotify':
      return { type: 'notifyClear' };
    case 'ClearPriNotify':
      return { type: 'notifyClear', priority: num(f.priority) };
    case 'DisplayText':
      return { type: 'displayText', text: label(str(f.text)) };
    case 'ClearDisplay':
      return { type: 'displayClear' };
    case 'LineStat':
      return { type: 'lineStatus', line: num(f.lineNumber), number: str(f.lineDirNumber),
        label: label(str(f.lineTextLabel)), displayName: label(str(f.lineFullyQualifiedDisplayName)) };
    case 'SpeedDialStat':
      return { type: 'speedDial', index: num(f.speedDialNumber), number: str(f.speedDialDirNumber),
        label: label(str(f.speedDialDisplayName)) };
    case 'DefineTimeDate': {
      // The CM sends its local wall-clock fields (§3); build a local Date so getHours() etc. show them.
      const d = new Date(num(f.year), num(f.month) - 1, num(f.day), num(f.hour), num(f.minute), num(f.second), num(f.milliseconds));
      if (Number.isNaN(d.getTime()) || num(f.year) === 0) {
        const sys = num(f.systemTime);
        return sys > 0 ? { type: 'timeDate', date: new Date(sys * 1000) } : new Error('DefineTimeDate: no usable date fields');
      }
      return { type: 'timeDate', date: d };
    }
    case 'SetSpeakerMode':
      return { type: 'speaker', on: num(f.speakerMode) === MODE_ON };
    case 'SetMicroMode':
      return { type: 'microphone', on: num(f.micMode) === MODE_ON };
    case 'ActivateCallPlane':
      return { type: 'callPlane', line: num(f.lineInstance), active: true };
    case 'DeactivateCallPlane':
      return { type: 'callPlane', line: 0, active: false };
    default:
      return undefined;
  }
}
