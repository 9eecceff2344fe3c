/**
 * SSCP (AddPac "Smart Service Control Protocol") message table: the one typed description of every
 * message, used by the generic XML codec (codec.ts). docs/sscp.md is the prose version.
 *
 * Numbers 9..14 and their element/attribute layout are the AddPac overview's examples
 * (seed 001 "SSCP Messages : Example"); every other number is this project's design, chosen to
 * leave the seed's numbers where they are (phone → CM 1..31, CM → phone 101..).
 */
import { PRESENCES, type CallStateName } from '../station/signalling.js';
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import { SSCP_CODEC_NAMES } from './codecs.js';

/** P2CM = phone → call manager, CM2P = call manager → phone, BOTH = either way. */
export type SscpDir = 'P2CM' | 'CM2P' | 'BOTH';

/**
 * Attribute value types:
 *  uint   — decimal 0..max (default 2^32-1), decoded to number
 *  text   — any string up to `max` chars (default 128), decoded to string
 *  digits — dial string [0-9*#A-D+], up to 32 chars, decoded to string (leading zeros kept)
 *  callid — decimal call identifier up to 16 digits, kept as string ("01002007" in the seed)
 *  bool   — true/false/1/0, decoded to boolean
 *  ip     — IPv4 dotted quad or IPv6 text, decoded to string
 *  enum   — one of the listed strings
 */
export type SscpType = 'uint' | 'text' | 'digits' | 'callid' | 'bool' | 'ip' | { enum: readonly string[] };

export interface SscpAttrSpec { field: string; attr: string; type: SscpType; optional?: boolean; max?: number }

/** One child element of <SSCP>. A `list` element may repeat; its attributes decode to an array of objects. */
export interface SscpElementSpec {
  element: string;
  attrs: readonly SscpAttrSpec[];
  optional?: boolean;
  list?: { field: string; max: number };
}

export interface SscpMessageSpec { num: number; name: string; dir: SscpDir; elements: readonly SscpElementSpec[] }

export type SscpScalar = string | number | boolean;
export type SscpFields = Record<string, SscpScalar | Array<Record<string, SscpScalar>>>;

/**
 * The seed's soft key event table (seed 001, "softKeyEvent"), ids and spellings verbatim, plus
 * 22 CallBack, deskphone's own (docs/sscp.md §2: callback at busy, "Automatic Call Connection at Busy").
 */
export const SOFTKEY_EVENTS: Readonly<Record<number, string>> = {
  1: 'Redial', 2: 'NewCall', 3: 'Hold', 4: 'Trnsfer', 5: 'CFwdAll', 6: 'CFwdBusy',
  7: 'CFwdNoAnswer', 8: 'BackSpace', 9: 'EndCall', 10: 'Resume', 11: 'Answer', 12: 'Info',
  13: 'Confrm', 14: 'Park', 15: 'Join', 16: 'MeetMeConfrm', 17: 'CallPickUp', 18: 'GrpCallPickUp',
  19: 'Play', 20: 'Store', 21: 'Delete',
  // deskphone extensions (docs/sscp.md §2 "Soft key events"): the seed has no id for these.
  22: 'DND', 23: 'iDivert', 24: 'CallBack',
};
/** Highest soft key event id: the seed's 21 plus deskphone's 22 DND, 23 iDivert and 24 CallBack (its table ends with the {0, NULL} sentinel). */
export const SOFTKEY_EVENT_MAX = 24;

export const CALL_STATES = [
  'idle', 'offhook', 'onhook', 'ringout', 'ringin', 'connected', 'busy', 'congestion', 'hold',
  'callwaiting', 'transfer', 'park', 'proceed', 'remotemultiline', 'invalidnumber', 'holdrevert',
  'whisper', 'remotehold',
] as const satisfies readonly CallStateName[];
export const LAMP_MODES = ['off', 'on', 'wink', 'flash', 'blink'] as const satisfies readonly LampMode[];
export const RING_MODES = ['off', 'inside', 'outside', 'feature', 'flash'] as const satisfies readonly RingMode[];
/** ToneName of signalling.ts minus the open-ended dtmf-x / other (DTMF is sent as 'dtmf' + Key). */
export const TONES = [
  'silence', 'dial', 'outsidedial', 'busy', 'ringback', 'reorder', 'offhookwarning', 'messagewaiting',
  'nosuchnumber', 'callwaiting', 'confirmation', 'zip', 'hold', 'dtmf',
] as const;

// ---- reusable element specs (const-typed, so the derived field types keep their names) ---------
const line = <const O extends boolean = false>(optional?: O) =>
  ({ element: 'Line', optional: (optional ?? false) as O, attrs: [{ field: 'line', attr: 'instance', type: 'uint', max: 64 }] }) as const;
const callIdent = <const O extends boolean = false>(optional?: O) =>
  ({ element: 'CallIdentifier', optional: (optional ?? false) as O, attrs: [{ field: 'callId', attr: 'id', type: 'callid' }] }) as const;
const mediaId = { field: 'mediaId', attr: 'id', type: 'uint' } as const;
const media = () => ({ element: 'Media', attrs: [mediaId] }) as const;
const mediaWithCodec = () => ({
  element: 'Media', attrs: [
    mediaId,
    { field: 'codec', attr: 'codec', type: { enum: SSCP_CODEC_NAMES } },   // firmware/sscp/codecs.ts
    // 10..60 ms packetisation: the usual G.711/G.722 ptime range (RFC 3551 §4.5 default 20 ms)
    { field: 'ptime', attr: 'ptime', type: 'uint', max: 60 },
  ],
}) as const;
const address = <const P extends string>(prefix: P) => ({
  element: 'Address', attrs: [
    { field: `${prefix}Family` as `${P}Family`, attr: 'family', type: { enum: ['4', '6'] }, optional: true },
    { field: `${prefix}Ip` as `${P}Ip`, attr: 'ip', type: 'ip' },
    { field: `${prefix}Port` as `${P}Port`, attr: 'port', type: 'uint', max: 65535 },   // UDP port, RFC 768
  ],
}) as const;
const party = <const E extends string, const P extends string>(element: E, prefix: P) => ({
  element, attrs: [
    { field: `${prefix}Name` as `${P}Name`, attr: 'name', type: 'text', optional: true, max: 64 },
    { field: prefix, attr: 'number', type: 'digits', optional: true },
  ],
}) as const;

/** The table, const-typed: the message and field types below are derived from it. */
const TABLE = [
  // ---- transport ------------------------------------------------------------------------------
  { num: 0, name: 'Ack', dir: 'BOTH', elements: [] },
  // ---- phone → call manager -------------------------------------------------------------------
  { num: 1, name: 'Register', dir: 'P2CM', elements: [
    { element: 'Device', attrs: [
      { field: 'model', attr: 'model', type: 'text', max: 32 },
      { field: 'firmware', attr: 'firmware', type: 'text', max: 32 },
      { field: 'lines', attr: 'lines', type: 'uint', max: 64 },
    ] },
    { element: 'Display', optional: true, attrs: [
      { field: 'cols', attr: 'cols', type: 'uint', max: 255 },
      { field: 'rows', attr: 'rows', type: 'uint', max: 255 },
      { field: 'softkeySlots', attr: 'softkeys', type: 'uint', max: 12 },
    ] },
    { element: 'Capabilities', attrs: [
      { field: 'codecs', attr: 'codecs', type: 'text', max: 64 },      // space-separated, preference order
      { field: 'ipv6', attr: 'ipv6', type: 'bool', optional: true },
    ] },
    // deskphone extension (docs/security.md §4): HMAC-SHA256 of the device's shared secret over
    // "SSCP-Register|<device>|<sid>" (sscp/auth.ts), 64 lowercase hex digits; only when configured.
    { element: 'Auth', optional: true, attrs: [{ field: 'authDigest', attr: 'digest', type: 'text', max: 64 }] },
  ] },
  { num: 2, name: 'Unregister', dir: 'P2CM', elements: [
    { element: 'Reason', optional: true, attrs: [{ field: 'reason', attr: 'text', type: 'text' }] },
  ] },
  { num: 3, name: 'KeepAlive', dir: 'P2CM', elements: [] },
  { num: 4, name: 'OffHook', dir: 'P2CM', elements: [line(true)] },
  { num: 5, name: 'OnHook', dir: 'P2CM', elements: [line(true), callIdent(true)] },
  { num: 6, name: 'Digit', dir: 'P2CM', elements: [
    { element: 'Key', attrs: [{ field: 'key', attr: 'value', type: { enum: [...'0123456789*#ABCD'] } }] },
    line(true), callIdent(true),
  ] },
  { num: 7, name: 'Dial', dir: 'P2CM', elements: [
    { element: 'Address', attrs: [{ field: 'number', attr: 'number', type: 'digits' }] }, line(true),
  ] },
  { num: 8, name: 'LineButton', dir: 'P2CM', elements: [line()] },
  // seed 001 example 9: <SpeedDial number=3> — `number` is the speed-dial index
  { num: 9, name: 'SpeedDial', dir: 'P2CM', elements: [
    { element: 'SpeedDial', attrs: [{ field: 'index', attr: 'number', type: 'uint', max: 255 }] },
  ] },
  // seed 001 example 10: <Address number=1012> — forward-all target; empty number cancels
  { num: 10, name: 'Forward', dir: 'P2CM', elements: [
    { element: 'Address', attrs: [{ field: 'number', attr: 'number', type: 'digits' }] },
    { element: 'Mode', optional: true, attrs: [
      { field: 'mode', attr: 'type', type: { enum: ['All', 'Busy', 'NoAnswer'] } }] },
  ] },
  // seed 001 example 11: <Mode type="On/Off"> — "On/Off" (the seed's literal) is read as "toggle"
  { num: 11, name: 'HeadsetStatus', dir: 'P2CM', elements: [
    { element: 'Mode', attrs: [{ field: 'mode', attr: 'type', type: { enum: ['On', 'Off', 'On/Off'] } }] },
  ] },
  // seed 001 example 12
  { num: 12, name: 'SoftKeyEvent', dir: 'P2CM', elements: [
    { element: 'Event', attrs: [
      { field: 'event', attr: 'id', type: 'uint', max: SOFTKEY_EVENT_MAX },
      { field: 'eventName', attr: 'name', type: 'text', optional: true, max: 32 },
    ] },
    callIdent(true),
    { element: 'Group', optional: true, attrs: [{ field: 'group', attr: 'id', type: 'uint' }] },
    line(true),
  ] },
  { num: 13, name: 'HookFlash', dir: 'P2CM', elements: [line(true), callIdent(true)] },
  // seed 001 example 14: directory query by user id and/or name; answered by PhoneBookResult
  { num: 14, name: 'PhoneBook', dir: 'P2CM', elements: [
    { element: 'User', attrs: [
      { field: 'userId', attr: 'id', type: 'text', optional: true, max: 64 },
      { field: 'lastName', attr: 'lastname', type: 'text', optional: true, max: 64 },
      { field: 'firstName', attr: 'firstname', type: 'text', optional: true, max: 64 },
    ] },
  ] },
  { num: 15, name: 'MediaOpenAck', dir: 'P2CM', elements: [media(), address('local')] },
  // "display another function key" (seed 000 OSD pages): ask for function-key page `page`.
  // Line + CallIdentifier: our several-calls extension (docs/sscp.md §5) — which call's set to page.
  { num: 16, name: 'FunctionKeyPage', dir: 'P2CM', elements: [
    { element: 'FunctionKeys', attrs: [{ field: 'page', attr: 'page', type: 'uint', max: 16 }] },
    line(true), callIdent(true),
  ] },
  // ---- call manager → phone -------------------------------------------------------------------
  { num: 101, name: 'RegisterAck', dir: 'CM2P', elements: [
    { element: 'Server', attrs: [{ field: 'server', attr: 'name', type: 'text', max: 64 }] },
    // keepalive period in seconds; 1..3600
    { element: 'KeepAlive', attrs: [{ field: 'keepAliveS', attr: 'interval', type: 'uint', max: 3600 }] },
    { element: 'Time', optional: true, attrs: [{ field: 'epochS', attr: 'epoch', type: 'uint' }] },
  ] },
  { num: 102, name: 'RegisterReject', dir: 'CM2P', elements: [
    { element: 'Reason', attrs: [{ field: 'reason', attr: 'text', type: 'text' }] },
  ] },
  { num: 103, name: 'KeepAliveAck', dir: 'CM2P', elements: [] },
  { num: 104, name: 'Reset', dir: 'CM2P', elements: [
    { element: 'Reason', attrs: [{ field: 'reason', attr: 'type', type: { enum: ['ReRegister', 'Restart'] } }] },
  ] },
  { num: 105, name: 'Lamp', dir: 'CM2P', elements: [
    { element: 'Lamp', attrs: [
      { field: 'target', attr: 'target', type: { enum: ['line', 'speeddial', 'message', 'other'] } },
      { field: 'instance', attr: 'instance', type: 'uint', max: 255 },
      { field: 'mode', attr: 'mode', type: { enum: LAMP_MODES } },
    ] },
  ] },
  { num: 106, name: 'Ringer', dir: 'CM2P', elements: [
    { element: 'Ringer', attrs: [
      { field: 'mode', attr: 'mode', type: { enum: RING_MODES } },
      { field: 'once', attr: 'once', type: 'bool', optional: true },
    ] },
  ] },
  { num: 107, name: 'Tone', dir: 'CM2P', elements: [
    { element: 'Tone', attrs: [{ field: 'tone', attr: 'name', type: { enum: TONES } }] },
    { element: 'Key', optional: true, attrs: [{ field: 'key', attr: 'value', type: { enum: [...'0123456789*#ABCD'] } }] },
    line(true), callIdent(true),
  ] },
  { num: 108, name: 'ToneStop', dir: 'CM2P', elements: [line(true), callIdent(true)] },
  { num: 109, name: 'CallState', dir: 'CM2P', elements: [
    line(), callIdent(), { element: 'State', attrs: [{ field: 'state', attr: 'name', type: { enum: CALL_STATES } }] },
  ] },
  { num: 110, name: 'CallInfo', dir: 'CM2P', elements: [
    line(), callIdent(), party('Caller', 'calling'), party('Callee', 'called'),
    { element: 'Direction', attrs: [
      { field: 'direction', attr: 'type', type: { enum: ['inbound', 'outbound', 'forward'] } }] },
  ] },
  { num: 111, name: 'DialedNumber', dir: 'CM2P', elements: [
    line(), callIdent(), { element: 'Address', attrs: [{ field: 'number', attr: 'number', type: 'digits' }] },
  ] },
  { num: 112, name: 'Prompt', dir: 'CM2P', elements: [
    line(true), callIdent(true),
    { element: 'Prompt', attrs: [
      { field: 'text', attr: 'text', type: 'text', max: 64 },
      { field: 'timeoutS', attr: 'timeout', type: 'uint', optional: true, max: 3600 },  // 0 = stays
    ] },
  ] },
  { num: 113, name: 'PromptClear', dir: 'CM2P', elements: [line(true), callIdent(true)] },
  { num: 114, name: 'Notify', dir: 'CM2P', elements: [
    { element: 'Notify', attrs: [
      { field: 'text', attr: 'text', type: 'text', max: 64 },
      { field: 'timeoutS', attr: 'timeout', type: 'uint', optional: true, max: 3600 },
      { field: 'priority', attr: 'priority', type: 'uint', optional: true, max: 9 },
    ] },
  ] },
  { num: 115, name: 'NotifyClear', dir: 'CM2P', elements: [
    { element: 'Notify', optional: true, attrs: [{ field: 'priority', attr: 'priority', type: 'uint', max: 9 }] },
  ] },
  { num: 116, name: 'SoftKeySet', dir: 'CM2P', elements: [
    line(true), callIdent(true),
    // 12 slots: 4 visible keys × 3 pages is the most a DIY OSD pages through
    { element: 'Key', list: { field: 'keys', max: 12 }, attrs: [
      { field: 'label', attr: 'label', type: 'text', max: 16 },
      { field: 'event', attr: 'event', type: 'uint', max: SOFTKEY_EVENT_MAX },
      { field: 'enabled', attr: 'enabled', type: 'bool', optional: true },
    ] },
  ] },
  { num: 117, name: 'LineStatus', dir: 'CM2P', elements: [
    { element: 'Line', attrs: [
      { field: 'line', attr: 'instance', type: 'uint', max: 64 },
      { field: 'number', attr: 'number', type: 'digits' },
      { field: 'label', attr: 'label', type: 'text', optional: true, max: 32 },
      { field: 'displayName', attr: 'displayname', type: 'text', optional: true, max: 64 },
    ] },
  ] },
  { num: 118, name: 'SpeedDialStatus', dir: 'CM2P', elements: [
    { element: 'SpeedDial', attrs: [
      { field: 'index', attr: 'number', type: 'uint', max: 255 },
      { field: 'address', attr: 'address', type: 'digits' },
      { field: 'label', attr: 'label', type: 'text', optional: true, max: 32 },
    ] },
  ] },
  { num: 119, name: 'TimeDate', dir: 'CM2P', elements: [
    { element: 'Time', attrs: [{ field: 'epochS', attr: 'epoch', type: 'uint' }] },
  ] },
  { num: 120, name: 'MediaOpen', dir: 'CM2P', elements: [mediaWithCodec(), callIdent(true)] },
  { num: 121, name: 'MediaStart', dir: 'CM2P', elements: [mediaWithCodec(), address('remote'), callIdent(true)] },
  { num: 122, name: 'MediaStop', dir: 'CM2P', elements: [media()] },
  { num: 123, name: 'MediaClose', dir: 'CM2P', elements: [media()] },
  // OSD layout (seed 000: "OSD Design (Local View)", "(Conversation View)", "Display another function key")
  { num: 124, name: 'Layout', dir: 'CM2P', elements: [
    { element: 'View', attrs: [{ field: 'view', attr: 'name', type: { enum: ['Local', 'Conversation'] } }] },
    { element: 'FunctionKeys', optional: true, attrs: [
      { field: 'page', attr: 'page', type: 'uint', max: 16 },
      { field: 'pages', attr: 'pages', type: 'uint', max: 16 },
    ] },
    line(true), callIdent(true),
  ] },
  { num: 125, name: 'PhoneBookResult', dir: 'CM2P', elements: [
    // 16 entries × ~90 bytes stays under the 1400-byte datagram cap (docs/sscp.md §2)
    { element: 'User', list: { field: 'users', max: 16 }, attrs: [
      { field: 'userId', attr: 'id', type: 'text', max: 64 },
      { field: 'lastName', attr: 'lastname', type: 'text', optional: true, max: 64 },
      { field: 'firstName', attr: 'firstname', type: 'text', optional: true, max: 64 },
      { field: 'number', attr: 'number', type: 'digits', optional: true },
      // deskphone extension (docs/sscp.md §2): the number's presence; absent = the CM does not say
      { field: 'presence', attr: 'presence', type: { enum: PRESENCES }, optional: true },
    ] },
  ] },
  { num: 126, name: 'DisplayText', dir: 'CM2P', elements: [
    { element: 'Display', attrs: [{ field: 'text', attr: 'text', type: 'text', max: 80 }] },  // '' = clear
  ] },
  { num: 127, name: 'AudioPath', dir: 'CM2P', elements: [
    { element: 'Speaker', optional: true, attrs: [{ field: 'speaker', attr: 'on', type: 'bool' }] },
    { element: 'Microphone', optional: true, attrs: [{ field: 'microphone', attr: 'on', type: 'bool' }] },
  ] },
] as const satisfies readonly SscpMessageSpec[];

export const SSCP_MESSAGES: readonly SscpMessageSpec[] = TABLE;
export const SSCP_BY_NAME: ReadonlyMap<string, SscpMessageSpec> = new Map(SSCP_MESSAGES.map((m) => [m.name, m]));

// ---- types derived from the table -----------------------------------------------------------------

type Table = (typeof TABLE)[number];
export type SscpName = Table['name'];
type ValueOfType<T> = T extends 'uint' ? number : T extends 'bool' ? boolean
  : T extends { enum: readonly (infer E)[] } ? E : string;
/** One attribute as { field, value, opt } (opt: may be absent, because it or its element is optional). */
type Flat<A, ElOpt> = A extends { field: infer F extends string; type: infer T }
  ? { field: F; value: ValueOfType<T>; opt: A extends { optional: true } ? true : ElOpt } : never;
type Struct<P extends { field: string; value: unknown; opt: boolean }> =
  { [X in P as X['opt'] extends true ? never : X['field']]: X['value'] } & { [X in P as X['opt'] extends true ? X['field'] : never]?: X['value'] };
type ElementAttrs<E> =
  E extends { list: { field: infer L extends string }; attrs: readonly (infer A)[] }
    ? { field: L; value: Array<Struct<Flat<A, false>>>; opt: false }
  : E extends { attrs: readonly (infer A)[] } ? Flat<A, E extends { optional: true } ? true : false>
  : never;
type ElementsOf<N extends SscpName> = Extract<Table, { name: N }>['elements'][number];

/** Fields of SSCP message N as decodeSscp returns them (optional attributes and elements may be absent). */
export type SscpFieldsOf<N extends SscpName> = Struct<ElementAttrs<ElementsOf<N>>>;
/** A message typed from the table, keyed by name: what the station sends and reads. */
export type SscpTyped = { [N in SscpName]: { name: N; fields: SscpFieldsOf<N> } }[SscpName];
