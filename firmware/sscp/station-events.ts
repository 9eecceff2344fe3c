/**
 * Pure translation of decoded CM→phone SSCP messages (docs/sscp.md §2, numbers 105..127) into
 * protocol-neutral SignallingEvents (firmware/station/signalling.ts). Registration (101..104) and
 * media (120..123) need session state and are handled in station.ts / station-media.ts.
 */
import type { SignallingEvent } from '../station/signalling.js';
import type { SscpTyped } from './messages.js';

/** CallIdentifier is a decimal string of up to 16 digits (docs/sscp.md §2); callRef = Number(id). */
export const callRefOf = (v: unknown): number => (typeof v === 'string' && /^[0-9]{1,16}$/.test(v) ? Number(v) : 0);

/** What the CM last said about the OSD (docs/sscp.md §5 "Layout"). */
export interface LayoutState { view: 'Local' | 'Conversation'; page: number; pages: number; line: number; callRef: number }

/** Line and call of a message that carries <Line> / <CallIdentifier> (0 when absent). */
function where(f: object): { line: number; callRef: number } {
  const { line, callId } = f as { line?: number; callId?: string };
  return { line: line ?? 0, callRef: callRefOf(callId) };
}

/**
 * The events for one CM→phone message: [] for messages with no event, or an Error describing a value
 * the codec let through but the phone cannot use (the caller logs it; the message is ignored).
 */
export function translateSscp(m: SscpTyped): SignallingEvent[] | Error {
  const { line, callRef } = where(m.fields);
  switch (m.name) {
    case 'Lamp': {
      const f = m.fields;
      return [{ type: 'lamp', target: f.target, instance: f.instance, mode: f.mode }];
    }
    case 'Ringer': return [{ type: 'ringer', mode: m.fields.mode, once: m.fields.once === true }];
    case 'Tone': {
      const f = m.fields;
      if (f.tone === 'dtmf') {
        if (!f.key) return new Error('Tone name="dtmf" without <Key value> (docs/sscp.md §2, 107)');
        return [{ type: 'tone', tone: `dtmf-${f.key}`, line, callRef }];
      }
      return [{ type: 'tone', tone: f.tone, line, callRef }];
    }
    case 'ToneStop': return [{ type: 'toneStop', line, callRef }];
    case 'CallState': return [{ type: 'callState', line, callRef, state: m.fields.state }];
    case 'CallInfo': {
      const f = m.fields;
      return [{ type: 'callInfo', line, callRef, callingName: f.callingName ?? '', calling: f.calling ?? '',
        calledName: f.calledName ?? '', called: f.called ?? '', direction: f.direction }];
    }
    case 'DialedNumber': return [{ type: 'dialedNumber', line, callRef, number: m.fields.number }];
    case 'Prompt': return [{ type: 'prompt', text: m.fields.text, timeoutS: m.fields.timeoutS ?? 0, line, callRef }];
    case 'PromptClear': return [{ type: 'promptClear', line, callRef }];
    case 'Notify': {
      const f = m.fields;
      const ev: SignallingEvent = { type: 'notify', text: f.text, timeoutS: f.timeoutS ?? 0 };
      return [f.priority === undefined ? ev : { ...ev, priority: f.priority }];
    }
    case 'NotifyClear': {
      const p = m.fields.priority;
      return [p === undefined ? { type: 'notifyClear' } : { type: 'notifyClear', priority: p }];
    }
    case 'SoftKeySet':
      return [{ type: 'softkeys', line, callRef, keys: m.fields.keys.map((k) => ({
        label: k.label, event: k.event, enabled: k.enabled !== false && k.event > 0,
      })) }];
    case 'LineStatus': {
      const f = m.fields;
      return [{ type: 'lineStatus', line, number: f.number, label: f.label || (f.displayName ?? ''), displayName: f.displayName ?? '' }];
    }
    case 'SpeedDialStatus': {
      const f = m.fields;
      return [{ type: 'speedDial', index: f.index, number: f.address, label: f.label ?? '' }];
    }
    case 'TimeDate': return [{ type: 'timeDate', date: new Date(m.fields.epochS * 1000) }];
    case 'DisplayText': return m.fields.text === '' ? [{ type: 'displayClear' }] : [{ type: 'displayText', text: m.fields.text }];
    case 'AudioPath': {
      const out: SignallingEvent[] = [];
      if (m.fields.speaker !== undefined) out.push({ type: 'speaker', on: m.fields.speaker });
      if (m.fields.microphone !== undefined) out.push({ type: 'microphone', on: m.fields.microphone });
      return out;
    }
    case 'Layout':
      // "conversation view" brings the call's line to the front (SCCP ActivateCallPlane equivalent).
      return m.fields.view === 'Conversation' && line > 0 ? [{ type: 'callPlane', line, active: true }] : [];
    default:
      return [];
  }
}
