/**
 * CmCommand (protocol-neutral, callmanager/station.ts) → SSCP messages (docs/sscp.md §2, 105..127).
 * Mostly one message per command; CallState also announces the OSD view (124 Layout, §5:
 * connected/hold = "conversation view", offhook/onhook = "local view"). Commands without an SSCP
 * counterpart map to nothing: ActivateCallPlane (Layout carries the line instead) and BackSpaceReq
 * (the phone trims its own dialled digits when BackSpace is pressed).
 */
import { decodeLabels } from '../../firmware/sccp/labels.js';
import type { SscpFields } from '../../firmware/sscp/messages.js';
import { SOFTKEY_TEMPLATE, DEFAULT_SETS } from '../sccp/templates.js';
import type { DeviceConfig } from '../config.js';
import type { CmCommand, SoftKeySetName } from '../station.js';

export interface SscpOutMessage { name: string; fields: SscpFields }

/** SCCP media payload codes used by the call core (docs/sccp.md §4) → SSCP codec names (§2 <Media codec>). */
export const CODEC_NAME: Readonly<Record<number, string>> = { 2: 'PCMA', 4: 'PCMU', 6: 'G722' };
export const CODEC_PAYLOAD: Readonly<Record<string, number>> = { PCMA: 2, PCMU: 4, G722: 6 };

/**
 * SSCP soft key events 1..18 have the same meaning as the call core's (SCCP) event codes 1..18
 * (seed table vs docs/sccp.md §4); the CM's extra keys DND, iDivert and Dial (SCCP 19..21) have no
 * SSCP event (seed 19..21 are Play, Store, Delete), so SSCP soft key sets leave them out.
 */
export const SSCP_SHARED_EVENT_MAX = 18;
/** SoftKeySet carries at most 12 keys (messages.ts, 4 visible × 3 pages). */
const MAX_KEYS = 12;
/** Prompt/Notify text ≤ 64 characters, names ≤ 64 (messages.ts). */
const TEXT_MAX = 64;

export interface SoftKey { label: string; event: number }

/** The keys of soft key set `set` for a device (its `softkeys` override or the defaults), SSCP-expressible only. */
export function softKeysFor(dev: Pick<DeviceConfig, 'softkeys'>, set: SoftKeySetName): SoftKey[] {
  const names = dev.softkeys?.[set] ?? DEFAULT_SETS[set];
  const out: SoftKey[] = [];
  for (const n of names) {
    const t = SOFTKEY_TEMPLATE.find((k) => k.name === n);
    if (t && t.event <= SSCP_SHARED_EVENT_MAX) out.push({ label: decodeLabels(t.label).slice(0, 16), event: t.event });
  }
  return out.slice(0, MAX_KEYS);
}

const text = (s: string): string => decodeLabels(s).slice(0, TEXT_MAX);
const callId = (ref: number): SscpFields => (ref > 0 ? { callId: String(ref) } : {});
const lineOf = (line: number): SscpFields => (line > 0 ? { line } : {});

/** Messages for one command. `softkeys` is handled by the session (paging), so it is not here. */
export function commandToSscp(cmd: Exclude<CmCommand, { t: 'softkeys' }>): SscpOutMessage[] {
  switch (cmd.t) {
    case 'lamp':
      return [{ name: 'Lamp', fields: { target: cmd.target === 'line' ? 'line' : 'message', instance: cmd.instance, mode: cmd.mode } }];
    case 'callState': {
      const out: SscpOutMessage[] = [{ name: 'CallState', fields: { line: cmd.line, callId: String(cmd.ref), state: cmd.state } }];
      const view = cmd.state === 'connected' || cmd.state === 'hold' ? 'Conversation'
        : cmd.state === 'offhook' || cmd.state === 'onhook' ? 'Local' : undefined;
      if (view) out.push({ name: 'Layout', fields: { view, ...lineOf(cmd.line), ...callId(cmd.ref) } });
      return out;
    }
    case 'activateCallPlane': return [];
    case 'tone': return [{ name: 'Tone', fields: { tone: cmd.tone, ...lineOf(cmd.line), ...callId(cmd.ref) } }];
    case 'stopTone': return [{ name: 'ToneStop', fields: { ...lineOf(cmd.line), ...callId(cmd.ref) } }];
    case 'prompt':
      return [{ name: 'Prompt', fields: { ...lineOf(cmd.line), ...callId(cmd.ref), text: text(cmd.text), timeoutS: cmd.timeoutS } }];
    case 'clearPrompt': return [{ name: 'PromptClear', fields: { ...lineOf(cmd.line), ...callId(cmd.ref) } }];
    case 'ringer': return [{ name: 'Ringer', fields: { mode: cmd.mode } }];
    case 'callInfo':
      return [{ name: 'CallInfo', fields: { line: cmd.line, callId: String(cmd.ref),
        callingName: text(cmd.callingName), calling: cmd.calling, calledName: text(cmd.calledName), called: cmd.called,
        direction: cmd.direction } }];
    case 'dialedNumber': return [{ name: 'DialedNumber', fields: { line: cmd.line, callId: String(cmd.ref), number: cmd.number } }];
    case 'backspace': return [];
    case 'openReceive':
      return [{ name: 'MediaOpen', fields: { mediaId: cmd.passThru, codec: CODEC_NAME[cmd.codec] ?? 'PCMU', ptime: cmd.ms, ...callId(cmd.ref) } }];
    case 'startMedia':
      return [{ name: 'MediaStart', fields: { mediaId: cmd.passThru, codec: CODEC_NAME[cmd.codec] ?? 'PCMU', ptime: cmd.ms,
        remoteFamily: cmd.ip.includes(':') ? '6' : '4', remoteIp: cmd.ip, remotePort: cmd.port, ...callId(cmd.ref) } }];
    case 'stopMedia': return [{ name: 'MediaStop', fields: { mediaId: cmd.passThru } }];
    case 'closeReceive': return [{ name: 'MediaClose', fields: { mediaId: cmd.passThru } }];
    case 'notify': return [{ name: 'Notify', fields: { text: text(cmd.text), timeoutS: cmd.timeoutS } }];
    default: {
      // Commands added to CmCommand later: speakerphone on/off → 127 AudioPath; others have no SSCP form yet.
      const c = cmd as { t: string; on?: unknown };
      if (c.t === 'speaker') return [{ name: 'AudioPath', fields: { speaker: c.on === true } }];
      return [];
    }
  }
}

/** SSCP Digit <Key value> → the call core's keypad code (docs/sccp.md §4: 0-9, A-D 10..13, * 14, # 15). */
export function keypadCode(key: string): number | undefined {
  if (/^[0-9]$/.test(key)) return Number(key);
  const abcd = 'ABCD'.indexOf(key);
  if (abcd >= 0 && key.length === 1) return 10 + abcd;
  return key === '*' ? 14 : key === '#' ? 15 : undefined;
}
