/**
 * The one home of SCCP numbers: named constants, values as in docs/sccp.md §4 (Wireshark values;
 * Asterisk names where they differ). Each enum is an `as const` object; the message table
 * (messages-*.ts) names the enum of each numeric field (`u32('lampMode', { enum: LampMode })`),
 * the station (firmware/sccp) and the CM (callmanager/sccp) take their numbers from here.
 * `nameOf(Enum, value)` is the reverse lookup. Codec identity (compressionType ↔ registry codec)
 * is in codecs.ts beside this file.
 */

/** §4 Call states (CallState.callState). */
export const CallState = {
  Idle: 0, OffHook: 1, OnHook: 2, RingOut: 3, RingIn: 4, Connected: 5, Busy: 6, Congestion: 7, Hold: 8,
  CallWaiting: 9, CallTransfer: 10, CallPark: 11, Proceed: 12, CallRemoteMultiline: 13, InvalidNumber: 14,
  HoldRevert: 15, Whisper: 16, RemoteHold: 17,
} as const;

/** §4 Stimulus (Stimulus.stimulus, SetLamp.stimulus); button definitions share 0x01..0x15. */
export const Stimulus = {
  LastNumberRedial: 1, SpeedDial: 2, Hold: 3, Transfer: 4, ForwardAll: 5, ForwardBusy: 6, ForwardNoAnswer: 7,
  Display: 8, Line: 9, T120Chat: 10, T120Whiteboard: 11, T120ApplicationSharing: 12, T120FileTransfer: 13,
  Video: 14, VoiceMail: 15, AnswerRelease: 16, AutoAnswer: 17, Select: 18, Privacy: 19, ServiceURL: 20,
  BLFSpeedDial: 21, DPark: 22, Intercom: 23, MaliciousCall: 27, GenericAppB1: 33, GenericAppB2: 34,
  GenericAppB3: 35, GenericAppB4: 36, GenericAppB5: 37, MeetMe: 123, Conference: 125, CallPark: 126,
  CallPickUp: 127, GroupCallPickUp: 128, Mobility: 129, DoNotDisturb: 130, ConfList: 131,
  RemoveLastParticipant: 132, QRT: 133, CallBack: 134, OtherPickup: 135, VideoMode: 136, NewCall: 137,
  EndCall: 138, HLog: 139, Queuing: 143,
} as const;

/** §4 Button definitions (ButtonTemplate.buttons[].buttonDefinition). */
export const ButtonDefinition = {
  Unused: 0x00, LastNumberRedial: 0x01, SpeedDial: 0x02, Hold: 0x03, Transfer: 0x04, Line: 0x09,
  Voicemail: 0x0f, ServiceURL: 0x14, BLFSpeedDial: 0x15, Undefined: 0xff,
} as const;

/** §4 Lamp modes (SetLamp.lampMode). */
export const LampMode = { Off: 1, On: 2, Wink: 3, Flash: 4, Blink: 5 } as const;

/** §4 Ringer modes (SetRinger.ringMode). */
export const RingMode = {
  RingOff: 1, InsideRing: 2, OutsideRing: 3, FeatureRing: 4, FlashOnly: 5, PrecedenceRing: 6,
} as const;

/** §3 SetRinger.ringDuration. */
export const RingDuration = { Normal: 1, Single: 2 } as const;

/** §4 Speaker / microphone / headset modes. */
export const SpeakerMode = { On: 1, Off: 2 } as const;
export const MicMode = SpeakerMode;
export const HeadsetMode = SpeakerMode;

/** §4 Tones (StartTone.tone). */
export const Tone = {
  Silence: 0, Dtmf1: 1, Dtmf2: 2, Dtmf3: 3, Dtmf4: 4, Dtmf5: 5, Dtmf6: 6, Dtmf7: 7, Dtmf8: 8, Dtmf9: 9,
  Dtmf0: 0x0a, DtmfStar: 0x0e, DtmfPound: 0x0f, DtmfA: 0x10, DtmfB: 0x11, DtmfC: 0x12, DtmfD: 0x13,
  InsideDialTone: 0x21, OutsideDialTone: 0x22, LineBusyTone: 0x23, AlertingTone: 0x24, ReorderTone: 0x25,
  ReceiverOffHook: 0x29, MessageWaiting: 0x2a, NoSuchNumber: 0x2b, CallWaitingTone: 0x2d, Confirmation: 0x2e,
  ZipZip: 0x31, Zip: 0x32, BeepBonk: 0x33, Music: 0x34, Hold: 0x35, BargIn: 0x43, NoTone: 0x7f,
} as const;

/** §3 StartTone.toneOutputDirection. */
export const ToneDirection = { User: 0, Network: 1, All: 2 } as const;

/** §4 Keypad (KeypadButton.kpButton): 0..9 digits, 10-13 A-D, 14 '*', 15 '#', 16 '+'. */
export const KeypadButton = {
  '0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
  A: 10, B: 11, C: 12, D: 13, '*': 14, '#': 15, '+': 16,
} as const;

/** §4 Soft key sets (SelectSoftKeys.softKeySetIndex = index into SoftKeySetRes.softKeySets). */
export const SoftKeySet = {
  OnHook: 0, Connected: 1, OnHold: 2, RingIn: 3, OffHook: 4, ConnectedTransferable: 5, DigitsFollowing: 6,
  ConnectedConference: 7, RingOut: 8, OffHookWithFeatures: 9, InUseHint: 10, OnHookStealable: 11,
} as const;

/**
 * §4 Soft key events (template / SoftKeyEvent); 19-21 are Asterisk additions; 57 RmLstC is the
 * label code 0x39 CUCM and chan-sccp use as its event.
 */
export const SoftKeyEvent = {
  Redial: 1, NewCall: 2, Hold: 3, Transfer: 4, CfwdAll: 5, CfwdBusy: 6, CfwdNoAnswer: 7, BackSpace: 8,
  EndCall: 9, Resume: 10, Answer: 11, Info: 12, Confrn: 13, Park: 14, Join: 15, MeetMe: 16, PickUp: 17,
  GrpPickup: 18, DND: 19, IDivert: 20, Dial: 21, RmLstC: 57,
  /** deskphone's own: callback at busy (docs/sccp.md §4; no Cisco or Asterisk code is documented). */
  CallBack: 22,
} as const;

/** §4 Device types (Register.deviceType), Asterisk names. */
export const DeviceType = {
  Station30SPplus: 1, Station12SPplus: 2, Station12SP: 3, Station12: 4, Station30VIP: 5, Cisco7910: 6,
  Cisco7960: 7, Cisco7940: 8, Cisco7935: 9, ATA186: 12, Cisco7941: 115, Cisco7971: 119, Cisco7914: 124,
  Cisco7985: 302, Cisco7911: 307, Cisco7961GE: 308, Cisco7941GE: 309, Cisco7931: 348, Cisco7921: 365,
  Cisco7906: 369, Cisco7962: 404, Cisco7937: 431, Cisco7942: 434, Cisco7945: 435, Cisco7965: 436,
  Cisco7975: 437, Cisco7905: 20000, Cisco7920: 30002, Cisco7970: 30006, Cisco7912: 30007, Cisco7902: 30008,
  CIPC: 30016, Cisco7961: 30018, Cisco7936: 30019,
} as const;

/** §4 Media payload codes (CapabilitiesRes payloadCapability, compressionType). */
export const PayloadCapability = {
  G711Alaw64k: 2, G711Alaw56k: 3, G711Ulaw64k: 4, G711Ulaw56k: 5, G722_64k: 6, G722_56k: 7, G722_48k: 8,
  G7231: 9, G728: 10, G729: 11, G729AnnexA: 12, G729AnnexB: 15, G729AnnexAwAnnexB: 16, GSMFullRate: 18,
  GSMHalfRate: 19, GSMEnhancedFullRate: 20, Wideband256k: 25, G7221_32k: 40, G7221_24k: 41, AAC: 42, GSM: 80,
  G726_32k: 82, G726_24k: 83, G726_16k: 84, ILBC: 86, ISAC: 89, AMR: 97, AMRWB: 98, H261: 100, H263: 101,
  H264: 103, RFC2833Dynamic: 257,
} as const;

/** §4 MediaStatus (OpenReceiveChannelAck.status). */
export const MediaStatus = {
  Ok: 0, Unknown: 1, NotEnoughChannels: 2, CodecTooComplex: 3, InvalidPartyId: 4, InvalidCallRef: 5,
  InvalidCodec: 6, InvalidPacketSize: 7, OutOfSockets: 8, EncoderOrDecoderFailed: 9, DeviceOnHook: 255,
} as const;

/** §4 Alarm severity. */
export const AlarmSeverity = {
  Critical: 0, Warning: 1, Informational: 2, Unknown: 4, Major: 7, Minor: 8, Marginal: 10, TraceInfo: 20,
} as const;

/** §3 CallInfo.callType. */
export const CallType = { Inbound: 1, Outbound: 2, Forward: 3 } as const;

/** §3 Reset.resetType. */
export const ResetType = { Reset: 1, Restart: 2, ApplyConfig: 3 } as const;

/** §3 UnregisterAck.status. */
export const UnregisterStatus = { Ok: 0, Error: 1, NAK: 2 } as const;

/** §3 Register.phoneFeatures bits. */
export const PhoneFeature = { Utf8: 0x0010, DynamicMessages: 0x0080, Rfc2833: 0x0200, AbbreviatedDial: 0x8000 } as const;

type AnyEnum = Readonly<Record<string, number>>;
/** The union of an enum's values: EnumValue<typeof LampMode> = 1 | 2 | 3 | 4 | 5. */
export type EnumValue<E extends AnyEnum> = E[keyof E];
const reverse = new WeakMap<AnyEnum, Map<number, string>>();

/** Reverse lookup: nameOf(CallState, 5) === 'Connected'; undefined for values not in the enum. */
export function nameOf<E extends AnyEnum>(e: E, value: number): (keyof E & string) | undefined {
  let m = reverse.get(e);
  if (!m) {
    m = new Map();
    for (const [k, v] of Object.entries(e)) if (!m.has(v)) m.set(v, k);
    reverse.set(e, m);
  }
  return m.get(value) as (keyof E & string) | undefined;
}

/** Digit/character of a kpButton code ('0'..'9', 'A'..'D', '*', '#', '+'), or undefined. */
export function keypadChar(kpButton: number): string | undefined {
  return nameOf(KeypadButton, kpButton);
}
