/**
 * Pure translation of decoded CM→phone SSCP messages (docs/sscp.md §2, numbers 105..127) into
 * protocol-neutral SignallingEvents (firmware/station/signalling.ts). Registration (101..104) and
 * media (120..123) need session state and are handled in station.ts / station-media.ts.
 */
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { CallStateName, SignallingEvent, ToneName } from '../station/signalling.js';
import type { SscpFields } from './messages.js';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** CallIdentifier is a decimal string of up to 16 digits (docs/sscp.md §2); callRef = Number(id). */
export const callRefOf = (v: unknown): number => (typeof v === 'string' && /^[0-9]{1,16}$/.test(v) ? Number(v) : 0);

/** What the CM last said about the OSD (docs/sscp.md §5 "Layout"). */
export interface LayoutState { view: 'Local' | 'Conversation'; page: number; pages: number; line: number; callRef: number }

/**
 * The events for one CM→phone message: [] for messages with no event, or an Error describing a value
 * the codec let through but the phone cannot use (the caller logs it; the message is ignored).
 */
export function translateSscp(name: string, f: SscpFields): SignallingEvent[] | Error {
  const line = num(f.line);
  const callRef = callRefOf(f.callId);
  switch (name) {
    case 'Lamp':
      return [{ type: 'lamp', target: f.target as 'line' | 'speeddial' | 'message' | 'other', instance: num(f.instance),
        mode: f.mode as LampMode }];
    case 'Ringer': return [{ type: 'ringer', mode: f.mode as RingMode, once: f.once === true }];
    case 'Tone': {
      if (f.tone === 'dtmf') {
        const key = str(f.key);
        if (!key) return new Error('Tone name="dtmf" without <Key value> (docs/sscp.md §2, 107)');
        return [{ type: 'tone', tone: `dtmf-${key}`, line, callRef }];
      }
      return [{ type: 'tone', tone: f.tone as ToneName, line, callRef }];
    }
    case 'ToneStop': return [{ type: 'toneStop', line, callRef }];
    case 'CallState': return [{ type: 'callState', line, callRef, state: f.state as CallStateName }];
    case 'CallInfo':
      return [{ type: 'callInfo', line, callRef, callingName: str(f.callingName), calling: str(f.calling),
        calledName: str(f.calledName), called: str(f.called), direction: f.direction as 'inbound' | 'outbound' | 'forward' }];
    case 'DialedNumber': return [{ type: 'dialedNumber', line, callRef, number: str(f.number) }];
    case 'Prompt': return [{ type: 'prompt', text: str(f.text), timeoutS: num(f.timeoutS), line, callRef }];
    case 'PromptClear': return [{ type: 'promptClear', line, callRef }];
    case 'Notify': {
      const ev: SignallingEvent = { type: 'notify', text: str(f.text), timeoutS: num(f.timeoutS) };
      return [f.priority === undefined ? ev : { ...ev, priority: num(f.priority) }];
    }
    case 'NotifyClear': return [f.priority === undefined ? { type: 'notifyClear' } : { type: 'notifyClear', priority: num(f.priority) }];
    case 'SoftKeySet': {
      const keys = Array.isArray(f.keys) ? f.keys : [];
      return [{ type: 'softkeys', line, callRef, keys: keys.map((k) => ({
        label: str(k.label), event: num(k.event), enabled: k.enabled !== false && num(k.event) > 0,
      })) }];
    }
    case 'LineStatus':
      return [{ type: 'lineStatus', line, number: str(f.number), label: str(f.label) || str(f.displayName), displayName: str(f.displayName) }];
    case 'SpeedDialStatus': return [{ type: 'speedDial', index: num(f.index), number: str(f.address), label: str(f.label) }];
    case 'TimeDate': return [{ type: 'timeDate', date: new Date(num(f.epochS) * 1000) }];
    case 'DisplayText': return str(f.text) === '' ? [{ type: 'displayClear' }] : [{ type: 'displayText', text: str(f.text) }];
    case 'AudioPath': {
      const out: SignallingEvent[] = [];
      if (typeof f.speaker === 'boolean') out.push({ type: 'speaker', on: f.speaker });
      if (typeof f.microphone === 'boolean') out.push({ type: 'microphone', on: f.microphone });
      return out;
    }
    case 'Layout':
      // "conversation view" brings the call's line to the front (SCCP ActivateCallPlane equivalent).
      return f.view === 'Conversation' && line > 0 ? [{ type: 'callPlane', line, active: true }] : [];
    default:
      return [];
  }
}
