/**
 * Fuzz targets (docs/security.md §9): every wire decoder and every message handler that sees
 * wire input — the CM's SCCP dispatch (SccpSession) and SSCP dispatch (SscpSession), the phone's
 * SCCP template/event handlers and SSCP event translation, and both ends of the HTTP directory
 * (the phone's CiscoIPPhoneDirectory reader, the CM's query parser and answer). Each target takes one input and must
 * either accept it or throw one of the documented error types; anything else is a crash.
 * Seeds are valid messages from the encoders; scripts/fuzz.ts mutates them.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { VirtualClock } from '../hal/emul/virtual-clock.js';
import { decodeMessage, encodeMessage } from '../firmware/sccp/codec.js';
import { SccpDecodeError, SccpFrameError } from '../firmware/sccp/errors.js';
import { SccpFramer } from '../firmware/sccp/framer.js';
import { StationTemplates, TemplateRangeError } from '../firmware/sccp/station-templates.js';
import { translateCmMessage } from '../firmware/sccp/station-events.js';
import { decodeLabels as decodeLabelText } from '../firmware/sccp/labels.js';
import { decodeSscp, encodeSscp, SscpDecodeError, typedSscp } from '../firmware/sscp/codec.js';
import { translateSscp } from '../firmware/sscp/station-events.js';
import { newRtpView, parseRtp } from '../firmware/media/rtp.js';
import { newRtcpView, parseRtcp } from '../firmware/media/rtcp.js';
import { TspFramer } from '../callmanager/tsp/codec.js';
import { parseCallManagerConfig, type DeviceConfig } from '../callmanager/config.js';
import { CallCore } from '../callmanager/calls.js';
import { SccpSession, type SessionHost } from '../callmanager/sccp/session.js';
import { SscpSession } from '../callmanager/sscp-server/session.js';
import { silentLogger } from '../callmanager/station.js';
import * as fastXml from 'fast-xml-parser';
import { DirectoryError, parseCiscoDirectoryWith } from '../firmware/sccp/xml-directory-parse.js';
import { parseDirectoryQuery } from '../callmanager/directory/query.js';
import { directoryXml, matchingLines } from '../callmanager/directory/xml.js';

export interface FuzzTarget { name: string; seeds: () => Uint8Array[]; run: (input: Uint8Array) => void }

/** Errors a target may throw for bad input: anything else counts as a crash. */
export const EXPECTED: ReadonlyArray<new (...a: never[]) => Error> = [SccpDecodeError, SccpFrameError, SscpDecodeError, TemplateRangeError, DirectoryError];

const CONFIG = parseCallManagerConfig(`
server: { keepalive: 30 }
lines: [{ number: "100", name: Alice }, { number: "101", name: Bob }]
devices:
  - { name: SEP000000000100, lines: ["100"], speeddials: [{ number: "101", label: Bob }] }
  - { name: SEP000000000101, lines: ["101"] }
`);
const ALICE = CONFIG.devices[0]! as DeviceConfig;
const clock = new VirtualClock();
const core = new CallCore(CONFIG, clock, silentLogger);

const sccp = (name: string, f: Record<string, unknown> = {}): Uint8Array => encodeMessage(name as never, f as never);
const REGISTER = sccp('Register', { deviceName: ALICE.name, stationIpAddr: '127.0.0.1', deviceType: 7, maxStreams: 5, protocolVer: 11 });
const STATION_SEEDS = (): Uint8Array[] => [
  REGISTER, sccp('KeepAlive'), sccp('OffHook', { lineInstance: 1 }), sccp('KeypadButton', { kpButton: 1, lineInstance: 1 }),
  sccp('CapabilitiesRes', { capCount: 2, caps: [{ payloadCapability: 4, maxFramesPerPacket: 40 }, { payloadCapability: 2, maxFramesPerPacket: 40 }] }),
  sccp('ButtonTemplateReq'), sccp('LineStatReq', { lineNumber: 1 }), sccp('SpeedDialStatReq', { speedDialNumber: 1 }),
  sccp('SoftKeyEvent', { softKeyEvent: 2, lineInstance: 1 }), sccp('EnblocCall', { calledParty: '101', lineInstance: 1 }),
  sccp('OpenReceiveChannelAck', { status: 0, ipAddr: '127.0.0.1', portNumber: 20000, passThruPartyId: 1 }), sccp('OnHook'),
  sccp('Alarm', { severity: 1, text: 'x' }), sccp('Stimulus', { stimulus: 9, lineInstance: 1 }),
];
const CM_SEEDS = (): Uint8Array[] => [
  sccp('ButtonTemplate', { buttonOffset: 0, buttonCount: 2, totalButtonCount: 2, buttons: [{ instanceNumber: 1, buttonDefinition: 9 }, { instanceNumber: 1, buttonDefinition: 2 }] }),
  sccp('SoftKeyTemplateRes', { softKeyOffset: 0, softKeyCount: 2, totalSoftKeyCount: 2, softKeys: [{ softKeyLabel: '\x80\x09', softKeyEvent: 9 }, { softKeyLabel: 'DND', softKeyEvent: 19 }] }),
  sccp('SoftKeySetRes', { softKeySetOffset: 0, softKeySetCount: 1, totalSoftKeySetCount: 1, softKeySets: [{ softKeyTemplateIndex: [1, 2], softKeyInfoIndex: [] }] }),
  sccp('CallState', { callState: 4, lineInstance: 1, callReference: 5 }), sccp('SetRinger', { ringMode: 2 }),
  sccp('DisplayPromptStatus', { timeOutValue: 0, promptStatus: '\x80\x17100', lineInstance: 1, callReference: 5 }),
  sccp('SelectSoftKeys', { lineInstance: 1, callReference: 5, softKeySetIndex: 3, validKeyMask: 3 }),
  sccp('SetLamp', { stimulus: 9, stimulusInstance: 1, lampMode: 5 }), sccp('StartTone', { tone: 0x21 }),
  sccp('CallInfo', { callingPartyName: 'Bob', callingParty: '101', lineInstance: 1, callReference: 5, callType: 1 }),
];
const sscp = (name: string, fields: Record<string, unknown> = {}, seq = 1): Uint8Array =>
  encodeSscp({ name, fields: fields as never, seq, sid: 'a1', device: ALICE.name });
const SSCP_SEEDS = (): Uint8Array[] => [
  sscp('Register', { model: 'x', firmware: 'y', lines: 1, codecs: 'PCMU PCMA' }), sscp('KeepAlive'), sscp('OffHook', { line: 1 }),
  sscp('Digit', { key: '5' }), sscp('Dial', { number: '101', line: 1 }), sscp('SoftKeyEvent', { event: 11, eventName: 'Answer' }),
  sscp('SpeedDial', { index: 1 }), sscp('PhoneBook', { lastName: 'Bo' }), sscp('MediaOpenAck', { mediaId: 1, localIp: '127.0.0.1', localPort: 20000 }),
  sscp('FunctionKeyPage', { page: 2 }), sscp('Forward', { number: '101' }),
  sscp('CallState', { line: 1, callId: '7', state: 'ringin' }), sscp('Ringer', { mode: 'inside' }), sscp('DisplayText', { text: 'hi' }),
  sscp('Lamp', { target: 'line', instance: 1, mode: 'blink' }), sscp('SoftKeySet', { keys: [{ label: 'Answer', event: 11 }] }),
];

/** A socket stand-in for the CM's session: swallows writes, records nothing. */
function fakeSocket(): Socket {
  const s = new EventEmitter() as unknown as Socket & { destroyed: boolean };
  Object.assign(s, { remoteAddress: '127.0.0.1', remotePort: 40000, localAddress: '127.0.0.1', destroyed: false,
    write: () => true, destroy: () => { s.destroyed = true; return s; }, end: (cb?: () => void) => { cb?.(); return s; }, setNoDelay: () => s });
  return s;
}
const sessionHost: SessionHost = { config: CONFIG, clock, log: silentLogger, core, localPort: 2000,
  claim: () => undefined, released: () => {}, emit: () => {} };

let sscpSession: SscpSession | undefined;
const cmSscpSession = (): SscpSession => (sscpSession ??= new SscpSession(ALICE, { address: '127.0.0.1', port: 5000 }, 4,
  { config: CONFIG, core, log: silentLogger, localAddress: undefined, send: () => {}, unregister: () => {} }, 0));

const DIRECTORY_SEEDS = [
  directoryXml('Office', '2 of 2', [{ name: 'Alice & <Co>', number: '100', presence: 'talking' }, { name: 'Bob', number: '101' }]),
  '<?xml version="1.0" encoding="ISO-8859-1"?><CiscoIPPhoneDirectory><DirectoryEntry><Name>J&#252;rgen</Name><Telephone>+1 (555) 010</Telephone></DirectoryEntry><SoftKeyItem><Name>Dial</Name></SoftKeyItem></CiscoIPPhoneDirectory>',
];

const rtpView = newRtpView();
const rtcpView = newRtcpView();

export const TARGETS: readonly FuzzTarget[] = [
  { name: 'sccp-framer-decode', seeds: () => [...STATION_SEEDS(), ...CM_SEEDS()], run: (b) => {
    for (const pdu of new SccpFramer().push(b)) decodeMessage(pdu, { allowUnknown: true });
  } },
  { name: 'sscp-decode', seeds: SSCP_SEEDS, run: (b) => { decodeSscp(Buffer.from(b)); } },
  { name: 'tsp-framer', seeds: () => ['Action % Login % alice % s3cret\r\n\r\n', 'Action % Dial % 4000\r\n\r\n',
    'Notify % CALL_STATE % SEP00AA % RingBackState % 7 % Kim % 1012 % Lee % 4000\r\n\r\n'].map((s) => Buffer.from(s)),
  run: (b) => { new TspFramer().push(Buffer.from(b)); } },
  { name: 'rtp-rtcp-parse', seeds: () => [Buffer.from('80000001000000a0cafebabe' + '00'.repeat(160), 'hex'),
    Buffer.from('81c90007000012340000000180000000000000070000000000000000000000000', 'hex').subarray(0, 32)],
  run: (b) => { parseRtp(b, b.length, rtpView); parseRtcp(b, b.length, rtcpView); } },
  { name: 'cm-sccp-dispatch', seeds: STATION_SEEDS, run: (b) => {
    const sock = fakeSocket();
    const s = new SccpSession(sock, sessionHost);
    sock.emit('data', Buffer.from(REGISTER));
    sock.emit('data', Buffer.from(b));
    s.close('fuzz input done');
  } },
  { name: 'cm-sscp-dispatch', seeds: SSCP_SEEDS, run: (b) => { cmSscpSession().dispatch(decodeSscp(Buffer.from(b))); } },
  { name: 'station-sccp-handlers', seeds: CM_SEEDS, run: (b) => {
    const t = new StationTemplates();
    for (const pdu of new SccpFramer().push(b)) {
      const m = decodeMessage(pdu, { allowUnknown: true });
      if (m.name === 'ButtonTemplate') t.applyButtonTemplate(m.fields);
      else if (m.name === 'SoftKeyTemplateRes') t.applySoftKeyTemplate(m.fields, decodeLabelText);
      else if (m.name === 'SoftKeySetRes') t.applySoftKeySets(m.fields);
      else if (m.name === 'SelectSoftKeys') t.resolve(m.fields.softKeySetIndex, m.fields.validKeyMask);
      else translateCmMessage(m, decodeLabelText);
    }
  } },
  { name: 'station-sscp-handlers', seeds: SSCP_SEEDS, run: (b) => { translateSscp(typedSscp(decodeSscp(Buffer.from(b)))); } },
  { name: 'station-directory-xml', seeds: () => DIRECTORY_SEEDS.map((s) => Buffer.from(s)),
    run: (b) => { parseCiscoDirectoryWith(fastXml, b, 'http://fuzz/directory'); } },
  { name: 'cm-directory-query', seeds: () => ['name=bob&presence=1', 'name=%26+%3C', 'presence=0&x=y&name='].map((s) => Buffer.from(s)),
    run: (b) => {
      const q = parseDirectoryQuery(Buffer.from(b).toString('latin1'));
      if (typeof q !== 'string') directoryXml('Fuzz', q.name, matchingLines(CONFIG.lines, q.name).map((l) => ({ name: l.name, number: l.number, presence: 'idle' })));
    } },
];
