/**
 * CmCommand (protocol-neutral, callmanager/station.ts) → SSCP messages (docs/sscp.md §2, 105..127).
 * Mostly one message per command; CallState also announces the OSD view (124 Layout, §5:
 * connected/hold = "conversation view", offhook/onhook = "local view"). Commands without an SSCP
 * counterpart map to nothing: ActivateCallPlane (Layout carries the line instead) and BackSpaceReq
 * (the phone trims its own dialled digits when BackSpace is pressed).
 */
import type { CodecName } from '../../firmware/media/codecs.js';
import { registryCodecOf, sscpCodecOf, SSCP_CODEC_NAMES, type SscpCodecName } from '../../firmware/sscp/codecs.js';
import { SOFTKEY_EVENT_MAX, type SscpFields } from '../../firmware/sscp/messages.js';
import type { DeviceConfig } from '../config.js';
import { SOFTKEY_BY_CONFIG_NAME, type SoftKeyName } from '../inputs.js';
import { setKeys } from '../softkey-sets.js';
import { plainText, type CmCommand, type SoftKeySetName } from '../station.js';

export interface SscpOutMessage { name: string; fields: SscpFields }

/** Register <Capabilities codecs="PCMU PCMA G722"> → registry names (firmware/sscp/codecs.ts); unknown names dropped. */
export function codecsOf(list: string): CodecName[] {
  const out: CodecName[] = [];
  for (const w of list.split(/\s+/)) {
    const c = registryCodecOf(w.toUpperCase());
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/** The SSCP name of a registry codec for <Media codec>; throws for a codec SSCP has no name for. */
function sscpCodec(codec: CodecName): SscpCodecName {
  const n = sscpCodecOf(codec);
  if (n === undefined) throw new Error(`SSCP: codec ${codec} has no SSCP name (known: ${SSCP_CODEC_NAMES.join(' ')}); add it to firmware/sscp/codecs.ts`);
  return n;
}

/**
 * SSCP soft key event ids (seed table, firmware/sscp/messages.ts SOFTKEY_EVENTS; docs/sscp.md §2 #12)
 * → the core's soft keys, with the label the phone shows (the SCCP phrase texts, docs/sscp.md §5).
 * 19..21 (Play, Store, Delete) are voicemail keys (session.ts); 22 DND and 23 iDivert are deskphone
 * extensions; the core's Dial has no SSCP event id, so SSCP soft key sets leave it out.
 */
export const SSCP_SOFTKEYS: ReadonlyArray<{ event: number; key: SoftKeyName; label: string }> = ([
  ['redial', 'Redial'], ['newCall', 'Newcall'], ['hold', 'Hold'], ['transfer', 'Transfer'], ['cfwdAll', 'Cfwdall'],
  ['cfwdBusy', 'Cfwdbusy'], ['cfwdNoAnswer', 'Cfwdnoanswer'], ['backspace', 'Backspace'], ['endCall', 'Endcall'],
  ['resume', 'Resume'], ['answer', 'Answer'], ['info', 'Info'], ['confrn', 'Confrn'], ['park', 'Park'], ['join', 'Join'],
  ['meetMe', 'Meetme'], ['pickUp', 'Pickup'], ['gPickUp', 'Gpickup'],
] as const).map(([key, label], i): { event: number; key: SoftKeyName; label: string } => ({ event: i + 1, key, label }))
  // deskphone extensions (docs/sscp.md §2 "Soft key events"): the seed has no DND, iDivert or CallBack event.
  .concat([{ event: 22, key: 'dnd', label: 'DND' }, { event: 23, key: 'iDivert', label: 'iDivert' }, { event: 24, key: 'callBack', label: 'Callback' }]);
/** SSCP soft key event id → the core's soft key (undefined for 19..21 and out-of-range ids). */
export function softKeyOf(event: number): SoftKeyName | undefined {
  return event >= 1 && event <= SOFTKEY_EVENT_MAX ? SSCP_SOFTKEYS.find((k) => k.event === event)?.key : undefined;
}
/** SoftKeySet carries at most 12 keys (messages.ts, 4 visible × 3 pages). */
const MAX_KEYS = 12;
/** Prompt/Notify text ≤ 64 characters, names ≤ 64 (messages.ts). */
const TEXT_MAX = 64;

export interface SoftKey { label: string; event: number }

/** The keys of soft key set `set` for a device (its `softkeys` override or the defaults), SSCP-expressible only. */
export function softKeysFor(dev: Pick<DeviceConfig, 'softkeys'>, set: SoftKeySetName): SoftKey[] {
  const out: SoftKey[] = [];
  for (const n of setKeys(dev, set)) {
    const key = SOFTKEY_BY_CONFIG_NAME[n as keyof typeof SOFTKEY_BY_CONFIG_NAME];
    const t = SSCP_SOFTKEYS.find((k) => k.key === key);
    if (t) out.push({ label: t.label, event: t.event });
  }
  return out.slice(0, MAX_KEYS);
}

const text = (s: Parameters<typeof plainText>[0]): string => plainText(s).slice(0, TEXT_MAX);
const callId = (ref: number): SscpFields => (ref > 0 ? { callId: String(ref) } : {});
const lineOf = (line: number): SscpFields => (line > 0 ? { line } : {});

/** Messages for one command. `softkeys` is handled by the session (paging), so it is not here. */
export function commandToSscp(cmd: Exclude<CmCommand, { t: 'softkeys' }>): SscpOutMessage[] {
  switch (cmd.t) {
    case 'lamp':
      return [{ name: 'Lamp', fields: { target: cmd.target === 'voicemail' ? 'message' : cmd.target, instance: cmd.instance, mode: cmd.mode } }];
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
      return [{ name: 'MediaOpen', fields: { mediaId: cmd.passThru, codec: sscpCodec(cmd.codec), ptime: cmd.ms, ...callId(cmd.ref) } }];
    case 'startMedia':
      return [{ name: 'MediaStart', fields: { mediaId: cmd.passThru, codec: sscpCodec(cmd.codec), ptime: cmd.ms,
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
