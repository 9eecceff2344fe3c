/**
 * CmCommand (protocol-neutral, callmanager/station.ts) → one SCCP message. Numbers are the
 * enumerations of docs/sccp.md §4; layouts are those of §3 at header version 0.
 */
import type { CallStateName } from '../../firmware/station/signalling.js';
import type { FieldsOf, MessageName } from '../../firmware/sccp/messages.js';
import type { CmCommand, CmToneName, LampModeName } from '../station.js';
import { SET_INDEX, type DeviceSets } from './templates.js';
import { sccpText } from './display.js';
import { compressionTypeOf } from './inputs.js';

/** §4 "Call states". */
export const CALL_STATE: Readonly<Record<CallStateName, number>> = {
  idle: 0, offhook: 1, onhook: 2, ringout: 3, ringin: 4, connected: 5, busy: 6, congestion: 7, hold: 8,
  callwaiting: 9, transfer: 10, park: 11, proceed: 12, remotemultiline: 13, invalidnumber: 14, holdrevert: 15,
  whisper: 16, remotehold: 17,
};
/** §4 "Tones": 0x21 InsideDialTone, 0x23 LineBusyTone, 0x24 AlertingTone, 0x25 ReorderTone, 0x2D CallWaiting, 0x35 Hold. */
export const TONE: Readonly<Record<CmToneName, number>> = { dial: 0x21, busy: 0x23, ringback: 0x24, reorder: 0x25, callwaiting: 0x2d, hold: 0x35 };
/** §4 "Lamp modes": 1 Off, 2 On, 3 Wink, 4 Flash, 5 Blink. */
export const LAMP: Readonly<Record<LampModeName, number>> = { off: 1, on: 2, wink: 3, flash: 4, blink: 5 };
/** §4 "Stimulus": 9 Line, 15 VoiceMail. */
export const STIMULUS_LINE = 9;
export const STIMULUS_VOICEMAIL = 15;
/** §4 "Ringer modes": 1 RingOff, 2 InsideRing. */
const RING_OFF = 1;
const RING_INSIDE = 2;
/** §3 SetRinger.ringDuration: 1 normal (Asterisk always sends 1). */
const RING_NORMAL = 1;
/** §3 CallInfo.callType: 1 inbound, 2 outbound. */
const CALLTYPE_INBOUND = 1;
const CALLTYPE_OUTBOUND = 2;
/** §3 CallInfo.callType 3: forward (the callee sees the original called party). */
const CALLTYPE_FORWARD = 3;
/** §5: Asterisk sends precedence 127 in StartMediaTransmission. */
const PRECEDENCE = 127;

export type Outgoing = { [N in MessageName]: { name: N; fields: FieldsOf<N> } }[MessageName];

/** The SCCP message for one command; `version` selects the address layout (§1: ipv4or6 from v17). */
export function commandToMessage(cmd: CmCommand, sets: DeviceSets, version: number): Outgoing {
  switch (cmd.t) {
    case 'lamp':
      return { name: 'SetLamp', fields: { stimulus: cmd.target === 'line' ? STIMULUS_LINE : STIMULUS_VOICEMAIL,
        stimulusInstance: cmd.instance, lampMode: LAMP[cmd.mode] } };
    case 'callState':
      return { name: 'CallState', fields: { callState: CALL_STATE[cmd.state], lineInstance: cmd.line, callReference: cmd.ref } };
    case 'activateCallPlane':
      return { name: 'ActivateCallPlane', fields: { lineInstance: cmd.line } };
    case 'tone':
      // toneOutputDirection 0 = to the user (§3 StartTone).
      return { name: 'StartTone', fields: { tone: TONE[cmd.tone], toneOutputDirection: 0, lineInstance: cmd.line, callReference: cmd.ref } };
    case 'stopTone':
      return { name: 'StopTone', fields: { lineInstance: cmd.line, callReference: cmd.ref } };
    case 'softkeys': {
      const idx = SET_INDEX[cmd.set];
      return { name: 'SelectSoftKeys', fields: { lineInstance: cmd.line, callReference: cmd.ref, softKeySetIndex: idx,
        validKeyMask: sets.masks[idx] ?? 0 } };
    }
    case 'prompt':
      return { name: 'DisplayPromptStatus', fields: { timeOutValue: cmd.timeoutS, promptStatus: sccpText(cmd.text),
        lineInstance: cmd.line, callReference: cmd.ref } };
    case 'clearPrompt':
      return { name: 'ClearPromptStatus', fields: { lineInstance: cmd.line, callReference: cmd.ref } };
    case 'ringer':
      return { name: 'SetRinger', fields: { ringMode: cmd.mode === 'off' ? RING_OFF : RING_INSIDE, ringDuration: RING_NORMAL,
        lineInstance: 1, callReference: 0 } };
    case 'callInfo':
      return { name: 'CallInfo', fields: { callingPartyName: cmd.callingName, callingParty: cmd.calling,
        calledPartyName: cmd.calledName, calledParty: cmd.called, lineInstance: cmd.line, callReference: cmd.ref,
        callType: cmd.originalCalled !== undefined && cmd.direction === 'inbound' ? CALLTYPE_FORWARD
          : cmd.direction === 'inbound' ? CALLTYPE_INBOUND : CALLTYPE_OUTBOUND,
        originalCalledPartyName: cmd.originalCalledName ?? cmd.calledName, originalCalledParty: cmd.originalCalled ?? cmd.called,
        ...(cmd.originalCalled !== undefined ? { lastRedirectingPartyName: cmd.originalCalledName ?? '', lastRedirectingParty: cmd.originalCalled } : {}) } };
    case 'dialedNumber':
      return { name: 'DialedNumber', fields: { dialedNumber: cmd.number, lineInstance: cmd.line, callReference: cmd.ref } };
    case 'backspace':
      return { name: 'BackSpaceReq', fields: { lineInstance: cmd.line, callReference: cmd.ref } };
    case 'openReceive':
      return { name: 'OpenReceiveChannel', fields: { conferenceId: cmd.passThru, passThruPartyId: cmd.passThru,
        millisecondPacketSize: cmd.ms, compressionType: compressionTypeOf(cmd.codec), ecValue: 0, callReference: cmd.ref } };
    case 'closeReceive':
      return { name: 'CloseReceiveChannel', fields: { conferenceId: cmd.passThru, passThruPartyId: cmd.passThru, callReference: cmd.ref } };
    case 'startMedia':
      return { name: 'StartMediaTransmission', fields: { conferenceId: cmd.passThru, passThruPartyId: cmd.passThru,
        remoteIpAddr: (version >= 17 ? { family: cmd.ip.includes(':') ? 6 : 4, address: cmd.ip } : cmd.ip) as never,
        remotePortNumber: cmd.port, millisecondPacketSize: cmd.ms, compressionType: compressionTypeOf(cmd.codec),
        precedenceValue: PRECEDENCE, ssValue: 0, maxFramesPerPacket: 1, callReference: cmd.ref } };
    case 'stopMedia':
      return { name: 'StopMediaTransmission', fields: { conferenceId: cmd.passThru, passThruPartyId: cmd.passThru, callReference: cmd.ref } };
    case 'notify':
      return { name: 'DisplayNotify', fields: { timeOutValue: cmd.timeoutS, notify: cmd.text } };
    case 'priNotify':
      return { name: 'DisplayPriNotify', fields: { timeOutValue: cmd.timeoutS, priority: cmd.priority, notify: sccpText(cmd.text) } };
    case 'clearPriNotify':
      return { name: 'ClearPriNotify', fields: { priority: cmd.priority } };
    case 'speaker':
      // §3 SetSpeakerMode: speakerMode 1 = on, 2 = off.
      return { name: 'SetSpeakerMode', fields: { speakerMode: cmd.on ? 1 : 2 } };
    case 'forwardStat':
      return { name: 'ForwardStat', fields: forwardStatFields(cmd.line, cmd.number) };
  }
}

/**
 * §3 ForwardStat: activeForward = 1 when any forward is set; only forward-all is implemented
 * (busy / no-answer stay 0). Sent on changes and in answer to ForwardStatReq.
 */
export function forwardStatFields(line: number, number: string): FieldsOf<'ForwardStat'> {
  const on = number ? 1 : 0;
  return { activeForward: on, lineNumber: line, forwardAllActive: on, forwardAllDirnum: number,
    forwardBusyActive: 0, forwardBusyDirnum: '', forwardNoAnswerActive: 0, forwardNoAnswerDirnum: '' } as FieldsOf<'ForwardStat'>;
}
