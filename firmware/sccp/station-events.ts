/**
 * Pure translation of decoded CM→station SCCP messages into protocol-neutral SignallingEvents
 * (firmware/station/signalling.ts). Numbers are the enumerations of docs/sccp.md §4 (enums.ts).
 * Messages that need session state (templates, media, registration) are handled in station.ts.
 */
import type { LampMode as LampModeName, RingMode as RingModeName } from '../../hal/api/devices.js';
import type { CallStateName, SignallingEvent, ToneName } from '../station/signalling.js';
import { CallState, CallType, KeypadButton, LampMode, MicMode, RingDuration, RingMode, SpeakerMode, Stimulus, Tone } from './enums.js';
import type { ReceivedMessage } from './messages.js';

const LAMP: Readonly<Record<number, LampModeName>> = {
  [LampMode.Off]: 'off', [LampMode.On]: 'on', [LampMode.Wink]: 'wink', [LampMode.Flash]: 'flash', [LampMode.Blink]: 'blink',
};

/** PrecedenceRing has no own RingMode: ring as 'feature'. */
const RING: Readonly<Record<number, RingModeName>> = {
  [RingMode.RingOff]: 'off', [RingMode.InsideRing]: 'inside', [RingMode.OutsideRing]: 'outside',
  [RingMode.FeatureRing]: 'feature', [RingMode.FlashOnly]: 'flash', [RingMode.PrecedenceRing]: 'feature',
};

const CALL_STATES: Readonly<Record<number, CallStateName>> = {
  [CallState.Idle]: 'idle', [CallState.OffHook]: 'offhook', [CallState.OnHook]: 'onhook', [CallState.RingOut]: 'ringout',
  [CallState.RingIn]: 'ringin', [CallState.Connected]: 'connected', [CallState.Busy]: 'busy',
  [CallState.Congestion]: 'congestion', [CallState.Hold]: 'hold', [CallState.CallWaiting]: 'callwaiting',
  [CallState.CallTransfer]: 'transfer', [CallState.CallPark]: 'park', [CallState.Proceed]: 'proceed',
  [CallState.CallRemoteMultiline]: 'remotemultiline', [CallState.InvalidNumber]: 'invalidnumber',
  [CallState.HoldRevert]: 'holdrevert', [CallState.Whisper]: 'whisper', [CallState.RemoteHold]: 'remotehold',
};

const TONES: Readonly<Record<number, ToneName>> = {
  [Tone.Silence]: 'silence', [Tone.InsideDialTone]: 'dial', [Tone.OutsideDialTone]: 'outsidedial',
  [Tone.LineBusyTone]: 'busy', [Tone.AlertingTone]: 'ringback', [Tone.ReorderTone]: 'reorder',
  [Tone.ReceiverOffHook]: 'offhookwarning', [Tone.MessageWaiting]: 'messagewaiting', [Tone.NoSuchNumber]: 'nosuchnumber',
  [Tone.CallWaitingTone]: 'callwaiting', [Tone.Confirmation]: 'confirmation', [Tone.ZipZip]: 'zip', [Tone.Zip]: 'zip',
  [Tone.Hold]: 'hold', [Tone.NoTone]: 'silence',
  [Tone.Dtmf0]: 'dtmf-0', [Tone.DtmfStar]: 'dtmf-*', [Tone.DtmfPound]: 'dtmf-#',
  [Tone.DtmfA]: 'dtmf-A', [Tone.DtmfB]: 'dtmf-B', [Tone.DtmfC]: 'dtmf-C', [Tone.DtmfD]: 'dtmf-D',
};

export function toneName(code: number): ToneName {
  if (code >= Tone.Dtmf1 && code <= Tone.Dtmf9) return `dtmf-${code}`; // Dtmf1..Dtmf9 are the digits' own values
  return TONES[code] ?? 'other';
}

export function callStateName(code: number): CallStateName | undefined { return CALL_STATES[code]; }

/** KeypadButton.kpButton of a key: digits, A-D (either case), '*', '#', '+'. */
export function keypadCode(key: string): number | undefined {
  if (key.length !== 1) return undefined;
  const k = key.toUpperCase();
  return Object.hasOwn(KeypadButton, k) ? KeypadButton[k as keyof typeof KeypadButton] : undefined;
}

const DIRECTION: Readonly<Record<number, 'inbound' | 'outbound' | 'forward'>> = {
  [CallType.Inbound]: 'inbound', [CallType.Outbound]: 'outbound', [CallType.Forward]: 'forward',
};

/** Names of the enum values a check reports ("not in 1..5"): min..max of the enum. */
const range = (e: Readonly<Record<string, number>>): string => `${Math.min(...Object.values(e))}..${Math.max(...Object.values(e))}`;

/**
 * The event for one CM→S message, `undefined` for messages with no event (or handled elsewhere),
 * or an Error describing a value out of range (the caller logs it; the message is ignored).
 * Fields are those of the table; any may be missing (a short body, a test's partial message).
 */
export function translateCmMessage(m: ReceivedMessage, label: (raw: string) => string): SignallingEvent | Error | undefined {
  switch (m.name) {
    case 'SetLamp': {
      const f = m.fields;
      const mode = LAMP[f.lampMode ?? 0];
      if (!mode) return new Error(`SetLamp.lampMode ${f.lampMode ?? 0} not in ${range(LampMode)} (docs/sccp.md §4)`);
      const stimulus = f.stimulus ?? 0;
      const target = stimulus === Stimulus.Line ? 'line' : stimulus === Stimulus.VoiceMail ? 'message'
        // A BLF speed dial (21) is a speed dial to the phone: its lamp is speeddial<n> either way.
        : stimulus === Stimulus.SpeedDial || stimulus === Stimulus.BLFSpeedDial ? 'speeddial' : 'other';
      return { type: 'lamp', target, instance: f.stimulusInstance ?? 0, mode, stimulus };
    }
    case 'SetRinger': {
      const f = m.fields;
      const mode = RING[f.ringMode ?? 0];
      if (!mode) return new Error(`SetRinger.ringMode ${f.ringMode ?? 0} not in ${range(RingMode)} (docs/sccp.md §4)`);
      return { type: 'ringer', mode, once: f.ringDuration === RingDuration.Single };
    }
    case 'StartTone': {
      const f = m.fields;
      const code = f.tone ?? 0;
      return { type: 'tone', tone: toneName(code), code, line: f.lineInstance ?? 0, callRef: f.callReference ?? 0 };
    }
    case 'StopTone':
      return { type: 'toneStop', line: m.fields.lineInstance ?? 0, callRef: m.fields.callReference ?? 0 };
    case 'CallState': {
      const f = m.fields;
      const state = callStateName(f.callState ?? 0);
      if (!state) return new Error(`CallState.callState ${f.callState ?? 0} not in ${range(CallState)} (docs/sccp.md §4)`);
      return { type: 'callState', line: f.lineInstance ?? 0, callRef: f.callReference ?? 0, state };
    }
    case 'CallInfo': {
      const f = m.fields;
      return {
        type: 'callInfo', line: f.lineInstance ?? 0, callRef: f.callReference ?? 0,
        callingName: label(f.callingPartyName ?? ''), calling: f.callingParty ?? '',
        calledName: label(f.calledPartyName ?? ''), called: f.calledParty ?? '',
        direction: DIRECTION[f.callType ?? 0] ?? 'inbound',
      };
    }
    case 'DialedNumber': {
      const f = m.fields;
      return { type: 'dialedNumber', line: f.lineInstance ?? 0, callRef: f.callReference ?? 0, number: f.dialedNumber ?? '' };
    }
    case 'DisplayPromptStatus': {
      const f = m.fields;
      return { type: 'prompt', text: label(f.promptStatus ?? ''), timeoutS: f.timeOutValue ?? 0,
        line: f.lineInstance ?? 0, callRef: f.callReference ?? 0 };
    }
    case 'ClearPromptStatus':
      return { type: 'promptClear', line: m.fields.lineInstance ?? 0, callRef: m.fields.callReference ?? 0 };
    case 'DisplayNotify':
      return { type: 'notify', text: label(m.fields.notify ?? ''), timeoutS: m.fields.timeOutValue ?? 0 };
    case 'DisplayPriNotify': {
      const f = m.fields;
      return { type: 'notify', text: label(f.notify ?? ''), timeoutS: f.timeOutValue ?? 0, priority: f.priority ?? 0 };
    }
    case 'ClearNotify':
      return { type: 'notifyClear' };
    case 'ClearPriNotify':
      return { type: 'notifyClear', priority: m.fields.priority ?? 0 };
    case 'DisplayText':
      return { type: 'displayText', text: label(m.fields.text ?? '') };
    case 'ClearDisplay':
      return { type: 'displayClear' };
    case 'LineStat': {
      const f = m.fields;
      return { type: 'lineStatus', line: f.lineNumber ?? 0, number: f.lineDirNumber ?? '',
        label: label(f.lineTextLabel ?? ''), displayName: label(f.lineFullyQualifiedDisplayName ?? '') };
    }
    case 'SpeedDialStat': {
      const f = m.fields;
      return { type: 'speedDial', index: f.speedDialNumber ?? 0, number: f.speedDialDirNumber ?? '',
        label: label(f.speedDialDisplayName ?? '') };
    }
    case 'DefineTimeDate': {
      const f = m.fields;
      const n = (v: number | undefined): number => v ?? 0;
      // The CM sends its local wall-clock fields (§3); build a local Date so getHours() etc. show them.
      const d = new Date(n(f.year), n(f.month) - 1, n(f.day), n(f.hour), n(f.minute), n(f.second), n(f.milliseconds));
      if (Number.isNaN(d.getTime()) || n(f.year) === 0) {
        const sys = n(f.systemTime);
        return sys > 0 ? { type: 'timeDate', date: new Date(sys * 1000) } : new Error('DefineTimeDate: no usable date fields');
      }
      return { type: 'timeDate', date: d };
    }
    case 'SetSpeakerMode':
      return { type: 'speaker', on: m.fields.speakerMode === SpeakerMode.On };
    case 'SetMicroMode':
      return { type: 'microphone', on: m.fields.micMode === MicMode.On };
    case 'ActivateCallPlane':
      return { type: 'callPlane', line: m.fields.lineInstance ?? 0, active: true };
    case 'DeactivateCallPlane':
      return { type: 'callPlane', line: 0, active: false };
    default:
      return undefined;
  }
}
