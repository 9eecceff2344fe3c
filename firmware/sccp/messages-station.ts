/**
 * SCCP messages sent by the station (S2CM), ids 0x0000..0x004C and 0x0154.
 * Ids and names: docs/sccp.md §2; layouts: §3 (offsets from the body start, hdr 0).
 * Messages without a documented layout carry their body raw as `data`.
 */
import {
  AlarmSeverity, DeviceType, HeadsetMode, KeypadButton, MediaStatus, PayloadCapability, SoftKeyEvent, Stimulus,
} from './enums.js';
import { arr, bytes, char, ipv4, ipv4or6, msg, pad, rest, u16, u32, u8 } from './messages-spec.js';

/** §1 "VariableDirnumSize": directory numbers are char[24] below v18, char[25] from v18 (hdr 0x12). */
export const dirnum = <const N extends string>(name: N) =>
  [char(name, 24, { maxVersion: 17 }), char(name, 25, { minVersion: 18 })] as const;

/** §1: IP address fields become ipv4or6 (u32 addrType + 16 bytes) from v17 (hdr 0x11). */
export const ipAddr = <const N extends string>(name: N) =>
  [ipv4(name, { maxVersion: 16 }), ipv4or6(name, { minVersion: 17 })] as const;

/** §3 CapabilitiesRes entry: 16 bytes; the 8-byte union is read as codecParams (G.723.1 bit rate = u32 LE of the 4 bytes). */
const capability = [
  u32('payloadCapability', { enum: PayloadCapability }), u32('maxFramesPerPacket'),
  u8('codecMode'), u8('dynamicPayload'), u8('codecParam1'), u8('codecParam2'), pad(4),
] as const;

/** Register §3 segment sizes: 36-byte oldest body, 52 with protocolVer (len 56), 124 (len > 100), 172 (len > 191). */
const register = msg(0x0001, 'Register', 'S2CM', [
  char('deviceName', 16), u32('userId'), u32('instance'), ipv4('stationIpAddr'), u32('deviceType', { enum: DeviceType }),
  u32('maxStreams'),
  u32('activeStreams', { tail: 'start' }), u8('protocolVer', { tail: 'more' }), u8('unknown', { tail: 'more' }),
  u16('phoneFeatures', { tail: 'more' }), u32('maxConferences', { tail: 'more' }),
  u32('activeConferences', { tail: 'more' }),
  bytes('macAddress', 6, { tail: 'start' }), pad(6, { tail: 'more' }), u32('ipV4AddressScope', { tail: 'more' }),
  u32('maxNumberOfLines', { tail: 'more' }), bytes('stationIpV6Addr', 16, { tail: 'more' }),
  u32('ipV6AddressScope', { tail: 'more' }), char('firmwareLoadName', 32, { tail: 'more' }),
  char('configVersionStamp', 48, { tail: 'start' }),
]);

export const stationMessages = [
  msg(0x0000, 'KeepAlive', 'S2CM', []),
  register,
  msg(0x0002, 'IpPort', 'S2CM', [u32('rtpMediaPort')]),
  // §3 KeypadButton len 16; old form len 8 (kpButton only).
  msg(0x0003, 'KeypadButton', 'S2CM', [
    u32('kpButton', { enum: KeypadButton }), u32('lineInstance', { tail: 'start' }), u32('callReference', { tail: 'more' }),
  ]),
  msg(0x0004, 'EnblocCall', 'S2CM', [...dirnum('calledParty'), u32('lineInstance', { tail: 'start' })]),
  // §3 Stimulus len 20: stimulus, lineInstance (stimulusInstance), callReference, stimulusStatus.
  msg(0x0005, 'Stimulus', 'S2CM', [
    u32('stimulus', { enum: Stimulus }), u32('lineInstance'), u32('callReference', { tail: 'start' }),
    u32('stimulusStatus', { tail: 'more' }),
  ]),
  // §3 OffHook/OnHook/HookFlash: len 12, or len 4 with no body.
  msg(0x0006, 'OffHook', 'S2CM', [u32('lineInstance', { tail: 'start' }), u32('callReference', { tail: 'more' })]),
  msg(0x0007, 'OnHook', 'S2CM', [u32('lineInstance', { tail: 'start' }), u32('callReference', { tail: 'more' })]),
  msg(0x0008, 'HookFlash', 'S2CM', [u32('lineInstance', { tail: 'start' }), u32('callReference', { tail: 'more' })]),
  msg(0x0009, 'ForwardStatReq', 'S2CM', [u32('lineNumber')]),
  msg(0x000a, 'SpeedDialStatReq', 'S2CM', [u32('speedDialNumber')]),
  msg(0x000b, 'LineStatReq', 'S2CM', [u32('lineNumber')]),
  msg(0x000c, 'ConfigStatReq', 'S2CM', []),
  msg(0x000d, 'TimeDateReq', 'S2CM', []),
  msg(0x000e, 'ButtonTemplateReq', 'S2CM', []),
  msg(0x000f, 'VersionReq', 'S2CM', []),
  // §3 CapabilitiesRes: capCount then capCount 16-byte entries, max 18 (Asterisk reads max 18).
  msg(0x0010, 'CapabilitiesRes', 'S2CM', [
    u32('capCount'), arr('caps', { field: 'capCount', max: 18 }, capability),
  ]),
  msg(0x0011, 'MediaPortList', 'S2CM', rest()),
  msg(0x0012, 'ServerReq', 'S2CM', []),
  // §3 Alarm len 96: severity, char[80] text, parm1, parm2.
  msg(0x0020, 'Alarm', 'S2CM', [u32('severity', { enum: AlarmSeverity }), char('text', 80), u32('parm1'), u32('parm2')]),
  msg(0x0021, 'MulticastMediaReceptionAck', 'S2CM', rest()),
  // §3 OpenReceiveChannelAck: hdr 0 len 24 (callReference optional, shown if len > 20); v17 len 40.
  msg(0x0022, 'OpenReceiveChannelAck', 'S2CM', [
    u32('status', { enum: MediaStatus }), ...ipAddr('ipAddr'), u32('portNumber'), u32('passThruPartyId'),
    u32('callReference', { tail: 'start' }),
  ]),
  // §3 ConnectionStatisticsRes len 64 (hdr 0).
  msg(0x0023, 'ConnectionStatisticsRes', 'S2CM', [
    ...dirnum('directoryNum'), u32('callReference'), u32('statsProcessingMode'), u32('packetsSent'),
    u32('octetsSent'), u32('packetsReceived'), u32('octetsReceived'), u32('packetsLost'), u32('jitter'),
    u32('latency'),
  ]),
  // §3 OffHookWithCgpn len 56: char[24] (VariableDirnumSize), char[24], u32 lineInstance.
  msg(0x0024, 'OffHookWithCgpn', 'S2CM', [
    ...dirnum('calledParty'), char('cgpnVoiceMailbox', 24), u32('lineInstance'),
  ]),
  msg(0x0025, 'SoftKeySetReq', 'S2CM', []),
  msg(0x0026, 'SoftKeyEvent', 'S2CM', [u32('softKeyEvent', { enum: SoftKeyEvent }), u32('lineInstance'), u32('callReference')]),
  // §3 Unregister: optional u32 reasonCode, len 4 or 8.
  msg(0x0027, 'Unregister', 'S2CM', [u32('reasonCode', { tail: 'start' })]),
  msg(0x0028, 'SoftKeyTemplateReq', 'S2CM', []),
  msg(0x0029, 'RegisterTokenReq', 'S2CM', rest()),
  msg(0x002a, 'MediaTransmissionFailure', 'S2CM', rest()),
  msg(0x002b, 'HeadsetStatus', 'S2CM', [u32('headsetStatus', { enum: HeadsetMode })]),
  msg(0x002c, 'MediaResourceNotification', 'S2CM', rest()),
  msg(0x002d, 'RegisterAvailableLines', 'S2CM', [u32('maxNumOfAvailLines')]),
  msg(0x002e, 'DeviceToUserData', 'S2CM', rest()),
  msg(0x002f, 'DeviceToUserDataResponse', 'S2CM', rest()),
  msg(0x0030, 'UpdateCapabilities', 'S2CM', rest()),
  msg(0x0031, 'OpenMultiMediaReceiveChannelAck', 'S2CM', rest()),
  msg(0x0032, 'ClearConference', 'S2CM', rest()),
  // §3 ServiceURLStatReq len 8: u32 index.
  msg(0x0033, 'ServiceURLStatReq', 'S2CM', [u32('index')]),
  msg(0x0034, 'FeatureStatReq', 'S2CM', rest()),
  // §2 conference-bridge responses (to the CM), no documented layout.
  msg(0x0035, 'CreateConferenceRes', 'S2CM', rest()),
  msg(0x0036, 'DeleteConferenceRes', 'S2CM', rest()),
  msg(0x0037, 'ModifyConferenceRes', 'S2CM', rest()),
  msg(0x0038, 'AddParticipantRes', 'S2CM', rest()),
  msg(0x0039, 'AuditConferenceRes', 'S2CM', rest()),
  msg(0x0040, 'AuditParticipantRes', 'S2CM', rest()),
  msg(0x0041, 'DeviceToUserDataVersion1', 'S2CM', rest()),
  msg(0x0042, 'DeviceToUserDataResponseVersion1', 'S2CM', rest()),
  msg(0x0043, 'UpdateCapabilitiesV2', 'S2CM', rest()),
  msg(0x0044, 'UpdateCapabilitiesV3', 'S2CM', rest()),
  msg(0x0045, 'PortRes', 'S2CM', rest()),
  msg(0x0046, 'QoSResvNotify', 'S2CM', rest()),
  msg(0x0047, 'QoSErrorNotify', 'S2CM', rest()),
  msg(0x0048, 'SubscriptionStatReq', 'S2CM', rest()),
  msg(0x0049, 'MediaPathEvent', 'S2CM', rest()),
  msg(0x004a, 'MediaPathCapability', 'S2CM', rest()),
  msg(0x004c, 'MwiNotification', 'S2CM', rest()),
  msg(0x0154, 'StartMediaTransmissionAck', 'S2CM', rest()),
] as const;
