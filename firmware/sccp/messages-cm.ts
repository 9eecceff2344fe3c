/**
 * SCCP messages sent by the call manager (CM2S), ids 0x0081..0x014A.
 * Ids and names: docs/sccp.md §2; layouts: §3 (offsets from the body start, hdr 0) and the
 * version table of §1. Messages without a documented layout carry their body raw as `data`.
 */
import {
  ButtonDefinition, CallState, CallType, LampMode, MicMode, PayloadCapability, ResetType, RingDuration, RingMode,
  SoftKeyEvent, SpeakerMode, Stimulus, Tone, ToneDirection, UnregisterStatus,
} from './enums.js';
import { arr, bytes, char, ipv4, msg, pad, rest, u16, u32, u8 } from './messages-spec.js';
import type { Gate } from './messages-spec.js';
import { dirnum, ipAddr } from './messages-station.js';

/** §3 media key info, 48 bytes: algorithmID, keylen, saltlen, key[16], salt[16], isMKIPresent, keyDerivationRate. */
const mediaKey = <const G extends Gate>(first: G) => [
  u32('algorithmID', first), u16('keyLen', { tail: 'more' }), u16('saltLen', { tail: 'more' }),
  bytes('key', 16, { tail: 'more' }), bytes('salt', 16, { tail: 'more' }),
  u32('isMKIPresent', { tail: 'more' }), u32('keyDerivationRate', { tail: 'more' }),
] as const;

/** §1 media qualifier: u32 g723BitRate up to v10, 4-byte codecParams from v11 (hdr 0x0B). */
const qualifier = [
  u32('g723BitRate', { maxVersion: 10 }),
  u8('codecMode', { minVersion: 11 }), u8('dynamicPayload', { minVersion: 11 }),
  u8('codecParam1', { minVersion: 11 }), u8('codecParam2', { minVersion: 11 }),
] as const;

const lineCall = [u32('lineInstance'), u32('callReference')] as const;

export const cmMessages = [
  // §3 RegisterAck len 24; Asterisk writes '0' (0x30) bytes at 10 and 16.
  msg(0x0081, 'RegisterAck', 'CM2S', [
    u32('keepAliveInterval'), char('dateTemplate', 6), u16('alignmentPadding'), u32('secondaryKeepAliveInterval'),
    u8('maxProtocolVer', { tail: 'start' }), u8('unknown', { tail: 'more' }), u16('phoneFeatures', { tail: 'more' }),
  ]),
  // §3 StartTone len 20: tone, toneOutputDirection (0 user, 1 network, 2 all), lineInstance, callReference.
  msg(0x0082, 'StartTone', 'CM2S', [
    u32('tone', { enum: Tone }), u32('toneOutputDirection', { enum: ToneDirection }),
    u32('lineInstance', { tail: 'start' }), u32('callReference', { tail: 'more' }),
  ]),
  // §3 StopTone len 12, + u32 tone from v11 (Asterisk sends len 16).
  msg(0x0083, 'StopTone', 'CM2S', [...lineCall, u32('tone', { enum: Tone, minVersion: 11, tail: 'start' })]),
  // §3 SetRinger len 20 (Asterisk len 24).
  msg(0x0085, 'SetRinger', 'CM2S', [u32('ringMode', { enum: RingMode }), u32('ringDuration', { enum: RingDuration }), ...lineCall]),
  msg(0x0086, 'SetLamp', 'CM2S', [u32('stimulus', { enum: Stimulus }), u32('stimulusInstance'), u32('lampMode', { enum: LampMode })]),
  msg(0x0087, 'SetHkFDetect', 'CM2S', rest()),
  // §3 SetSpeakerMode / SetMicroMode len 8: 1 on, 2 off.
  msg(0x0088, 'SetSpeakerMode', 'CM2S', [u32('speakerMode', { enum: SpeakerMode })]),
  msg(0x0089, 'SetMicroMode', 'CM2S', [u32('micMode', { enum: MicMode })]),
  // §3 StartMediaTransmission hdr 0 len 120, v17 len 136 (ipv4or6 remote address).
  msg(0x008a, 'StartMediaTransmission', 'CM2S', [
    u32('conferenceId'), u32('passThruPartyId'), ...ipAddr('remoteIpAddr'), u32('remotePortNumber'),
    u32('millisecondPacketSize'), u32('compressionType', { enum: PayloadCapability }), u32('precedenceValue'), u32('ssValue'),
    u16('maxFramesPerPacket'), pad(2), ...qualifier, u32('callReference'),
    ...mediaKey({ tail: 'start' }), u32('streamPassThroughId', { tail: 'more' }),
    u32('associatedStreamId', { tail: 'more' }), u32('RFC2833PayloadType', { tail: 'more' }),
    u32('dtmfType', { tail: 'more' }), u32('mixingMode', { tail: 'more' }), u32('partyDirection', { tail: 'more' }),
  ]),
  // §3 StopMediaTransmission len 20 (Asterisk 24).
  msg(0x008b, 'StopMediaTransmission', 'CM2S', [
    u32('conferenceId'), u32('passThruPartyId'), u32('callReference'), u32('portHandlingFlag', { tail: 'start' }),
  ]),
  msg(0x008c, 'StartMediaReception', 'CM2S', rest()),
  msg(0x008d, 'StopMediaReception', 'CM2S', rest()),
  // §3 CallInfo len 388.
  msg(0x008f, 'CallInfo', 'CM2S', [
    char('callingPartyName', 40), char('callingParty', 24), char('calledPartyName', 40), char('calledParty', 24),
    ...lineCall, u32('callType', { enum: CallType }), char('originalCalledPartyName', 40), char('originalCalledParty', 24),
    char('lastRedirectingPartyName', 40), char('lastRedirectingParty', 24), u32('originalCdpnRedirectReason'),
    u32('lastRedirectingReason'), char('cgpnVoiceMailbox', 24), char('cdpnVoiceMailbox', 24),
    char('originalCdpnVoiceMailbox', 24), char('lastRedirectingVoiceMailbox', 24), u32('callInstance'),
    u32('callSecurityStatus'), u32('partyPIRestrictionBits'),
  ]),
  // §3 ForwardStat len 96 (dirnums are VariableDirnumSize, §1).
  msg(0x0090, 'ForwardStat', 'CM2S', [
    u32('activeForward'), u32('lineNumber'), u32('forwardAllActive'), ...dirnum('forwardAllDirnum'),
    u32('forwardBusyActive'), ...dirnum('forwardBusyDirnum'), u32('forwardNoAnswerActive'),
    ...dirnum('forwardNoAnswerDirnum'),
  ]),
  msg(0x0091, 'SpeedDialStat', 'CM2S', [
    u32('speedDialNumber'), char('speedDialDirNumber', 24), char('speedDialDisplayName', 40),
  ]),
  // §3 LineStat len 116; label + options read only when present in full (Asterisk fills less).
  msg(0x0092, 'LineStat', 'CM2S', [
    u32('lineNumber'), char('lineDirNumber', 24), char('lineFullyQualifiedDisplayName', 40),
    char('lineTextLabel', 40, { tail: 'start' }), u32('lineDisplayOptions', { tail: 'more' }),
  ]),
  msg(0x0093, 'ConfigStat', 'CM2S', [
    char('deviceName', 16), u32('userId'), u32('instance'), char('userName', 40), char('serverName', 40),
    u32('numberOfLines'), u32('numberOfSpeedDials'),
  ]),
  // §3 DefineTimeDate len 40; systemTime = Unix seconds.
  msg(0x0094, 'DefineTimeDate', 'CM2S', [
    u32('year'), u32('month'), u32('dayOfWeek'), u32('day'), u32('hour'), u32('minute'), u32('second'),
    u32('milliseconds'), u32('systemTime'),
  ]),
  msg(0x0095, 'StartSessionTransmission', 'CM2S', rest()),
  msg(0x0096, 'StopSessionTransmission', 'CM2S', rest()),
  // §3 ButtonTemplate len 100: 42 slots of {instanceNumber, buttonDefinition}.
  msg(0x0097, 'ButtonTemplate', 'CM2S', [
    u32('buttonOffset'), u32('buttonCount'), u32('totalButtonCount'),
    arr('buttons', 42, [u8('instanceNumber'), u8('buttonDefinition', { enum: ButtonDefinition })]),
  ]),
  msg(0x0098, 'Version', 'CM2S', [char('version', 16)]),
  msg(0x0099, 'DisplayText', 'CM2S', [char('text', 32)]),
  msg(0x009a, 'ClearDisplay', 'CM2S', []),
  msg(0x009b, 'CapabilitiesReq', 'CM2S', []),
  msg(0x009c, 'EnunciatorCommand', 'CM2S', rest()),
  // §3 RegisterReject: char[32] (Asterisk sends 33 bytes; the extra byte is ignored).
  msg(0x009d, 'RegisterReject', 'CM2S', [char('text', 32)]),
  // §3 ServerRes hdr 0 len 284: 5 names, 5 ports, 5 IPv4 addresses.
  msg(0x009e, 'ServerRes', 'CM2S', [
    arr('serverName', 5, char('', 48)), arr('serverTcpListenPort', 5, u32('')), arr('serverIpAddr', 5, ipv4('')),
  ]),
  msg(0x009f, 'Reset', 'CM2S', [u32('resetType', { enum: ResetType })]),
  msg(0x0100, 'KeepAliveAck', 'CM2S', []),
  msg(0x0101, 'StartMulticastMediaReception', 'CM2S', rest()),
  msg(0x0102, 'StartMulticastMediaTransmission', 'CM2S', rest()),
  msg(0x0103, 'StopMulticastMediaReception', 'CM2S', rest()),
  msg(0x0104, 'StopMulticastMediaTransmission', 'CM2S', rest()),
  // §3 OpenReceiveChannel len 96 at hdr 0 (Asterisk len 172, zero padded). §1: v11 appends mixingMode,
  // partyDirection, sourceIpAddr, sourcePortNumber; v16 requestedIpAddrType; v17 audioLevelAdjustment
  // (appended in that order [unverified]; latentCapsInfo of v20 is not modelled).
  msg(0x0105, 'OpenReceiveChannel', 'CM2S', [
    u32('conferenceId'), u32('passThruPartyId'), u32('millisecondPacketSize'), u32('compressionType', { enum: PayloadCapability }),
    u32('ecValue'), ...qualifier, u32('callReference'),
    ...mediaKey({ tail: 'start' }), u32('streamPassThroughId', { tail: 'more' }),
    u32('associatedStreamId', { tail: 'more' }), u32('RFC2833PayloadType', { tail: 'more' }),
    u32('dtmfType', { tail: 'more' }),
    u32('mixingMode', { minVersion: 11, tail: 'start' }), u32('partyDirection', { minVersion: 11, tail: 'more' }),
    ipv4('sourceIpAddr', { minVersion: 11, maxVersion: 16, tail: 'more' }),
    { kind: 'ipv4or6', name: 'sourceIpAddr', minVersion: 17, tail: 'more' } as const,
    u32('sourcePortNumber', { minVersion: 11, tail: 'more' }),
    u32('requestedIpAddrType', { minVersion: 16, tail: 'start' }),
    u32('audioLevelAdjustment', { minVersion: 17, tail: 'start' }),
  ]),
  // §3 CloseReceiveChannel len 20.
  msg(0x0106, 'CloseReceiveChannel', 'CM2S', [
    u32('conferenceId'), u32('passThruPartyId'), u32('callReference'), u32('portHandlingFlag', { tail: 'start' }),
  ]),
  msg(0x0107, 'ConnectionStatisticsReq', 'CM2S', [
    ...dirnum('directoryNum'), u32('callReference'), u32('statsProcessingMode'),
  ]),
  // §3 SoftKeyTemplateRes len 656: 32 × {char[16] softKeyLabel, u32 softKeyEvent}.
  msg(0x0108, 'SoftKeyTemplateRes', 'CM2S', [
    u32('softKeyOffset'), u32('softKeyCount'), u32('totalSoftKeyCount'),
    arr('softKeys', 32, [char('softKeyLabel', 16), u32('softKeyEvent', { enum: SoftKeyEvent })]),
  ]),
  // §3 SoftKeySetRes len 784: 16 sets × {u8 softKeyTemplateIndex[16], u16 softKeyInfoIndex[16]}.
  msg(0x0109, 'SoftKeySetRes', 'CM2S', [
    u32('softKeySetOffset'), u32('softKeySetCount'), u32('totalSoftKeySetCount'),
    arr('softKeySets', 16, [arr('softKeyTemplateIndex', 16, u8('')), arr('softKeyInfoIndex', 16, u16(''))]),
  ]),
  msg(0x0110, 'SelectSoftKeys', 'CM2S', [...lineCall, u32('softKeySetIndex'), u32('validKeyMask')]),
  // §3 CallState len 28 (privacy/precedence read only when present).
  msg(0x0111, 'CallState', 'CM2S', [
    u32('callState', { enum: CallState }), ...lineCall, u32('privacy', { tail: 'start' }), u32('precedenceLevel', { tail: 'more' }),
    u32('precedenceDomain', { tail: 'more' }),
  ]),
  // §3 DisplayPromptStatus len 48 (Asterisk 60).
  msg(0x0112, 'DisplayPromptStatus', 'CM2S', [u32('timeOutValue'), char('promptStatus', 32), ...lineCall]),
  msg(0x0113, 'ClearPromptStatus', 'CM2S', [...lineCall]),
  // §3 DisplayNotify len 40 (Asterisk sends char[100]; the first 32 bytes are read).
  msg(0x0114, 'DisplayNotify', 'CM2S', [u32('timeOutValue'), char('notify', 32)]),
  msg(0x0115, 'ClearNotify', 'CM2S', []),
  msg(0x0116, 'ActivateCallPlane', 'CM2S', [u32('lineInstance')]),
  msg(0x0117, 'DeactivateCallPlane', 'CM2S', []),
  msg(0x0118, 'UnregisterAck', 'CM2S', [u32('status', { enum: UnregisterStatus })]),
  msg(0x0119, 'BackSpaceReq', 'CM2S', [...lineCall]),
  msg(0x011a, 'RegisterTokenAck', 'CM2S', rest()),
  msg(0x011b, 'RegisterTokenReject', 'CM2S', rest()),
  msg(0x011c, 'StartMediaFailureDetection', 'CM2S', rest()),
  // §3 DialedNumber len 36 (hdr 0), char[25] from v18.
  msg(0x011d, 'DialedNumber', 'CM2S', [...dirnum('dialedNumber'), ...lineCall]),
  msg(0x011e, 'UserToDeviceData', 'CM2S', rest()),
  msg(0x011f, 'FeatureStat', 'CM2S', rest()),
  msg(0x0120, 'DisplayPriNotify', 'CM2S', [u32('timeOutValue'), u32('priority'), char('notify', 32)]),
  msg(0x0121, 'ClearPriNotify', 'CM2S', [u32('priority')]),
  msg(0x012f, 'ServiceURLStat', 'CM2S', [u32('index'), char('url', 256), char('displayName', 40)]),
  // §2 variable-length V2 messages: body kept raw.
  msg(0x0143, 'DisplayNotifyV2', 'CM2S', rest()),
  msg(0x0144, 'DisplayPriNotifyV2', 'CM2S', rest()),
  msg(0x0145, 'DisplayPromptStatusV2', 'CM2S', rest()),
  msg(0x014a, 'CallInfoV2', 'CM2S', rest()),
] as const;
