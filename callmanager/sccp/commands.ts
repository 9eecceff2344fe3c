/**
 * CmCommand (protocol-neutral, callmanager/station.ts) → one SCCP message. Numbers are the
 * enumerations of docs/sccp.md §4 (firmware/sccp/enums.ts); layouts are those of §3 at header version 0.
 */
import type { CallStateName } from '../../firmware/station/signalling.js';
import type { OutgoingMessage } from '../../firmware/sccp/codec.js';
import { CallState, CallType, LampMode, RingDuration, RingMode, SpeakerMode, Stimulus, Tone, ToneDirection } from '../../firmware/sccp/enums.js';
import type { FieldsOf } from '../../firmware/sccp/messages.js';
import type { CmCommand, CmToneName, LampModeName } from '../station.js';
import { SET_INDEX, type DeviceSets } from './templates.js';
import { sccpText } from './display.js';
import { compressionTypeOf } from './inputs.js';

export const CALL_STATE: Readonly<Record<CallStateName, number>> = {
  idle: CallState.Idle, offhook: CallState.OffHook, onhook: CallState.OnHook, ringout: CallState.RingOut,
  ringin: CallState.RingIn, connected: CallState.Connected, busy: CallState.Busy, congestion: CallState.Congestion,
  hold: CallState.Hold, callwaiting: CallState.CallWaiting, transfer: CallState.CallTransfer, park: CallState.CallPark,
  proceed: CallState.Proceed, remotemultiline: CallState.CallRemoteMultiline, invalidnumber: CallState.InvalidNumber,
  holdrevert: CallState.HoldRevert, whisper: CallState.Whisper, remotehold: CallState.RemoteHold,
};
export const TONE: Readonly<Record<CmToneName, number>> = {
  dial: Tone.InsideDialTone, busy: Tone.LineBusyTone, ringback: Tone.AlertingTone, reorder: Tone.ReorderTone,
  callwaiting: Tone.CallWaitingTone, hold: Tone.Hold,
};
export const LAMP: Readonly<Record<LampModeName, number>> = {
  off: LampMode.Off, on: LampMode.On, wink: LampMode.Wink, flash: LampMode.Flash, blink: LampMode.Blink,
};
/**
 * §4 Stimulus of a lamp target. A BLF speed dial's lamp is SetLamp(SpeedDial 2, the speed dial's
 * index): the button template keeps such keys plain speed dials (0x02), docs/sccp.md §5 "Busy-lamp-field speed dials".
 */
const LAMP_STIMULUS: Readonly<Record<Extract<CmCommand, { t: 'lamp' }>['target'], number>> = {
  line: Stimulus.Line, voicemail: Stimulus.VoiceMail, speeddial: Stimulus.SpeedDial,
};
/** §5: Asterisk sends precedence 127 in StartMediaTransmission. */
const PRECEDENCE = 127;

export type Outgoing = OutgoingMessage;

/** The SCCP message for one command; `version` selects the address layout (§1: ipv4or6 from v17). */
export function commandToMessage(cmd: CmCommand, sets: DeviceSets, version: number): Outgoing {
  switch (cmd.t) {
    case 'lamp':
      return { name: 'SetLamp', fields: { stimulus: LAMP_STIMULUS[cmd.target], stimulusInstance: cmd.instance, lampMode: LAMP[cmd.mode] } };
    case 'callState':
      return { name: 'CallState', fields: { callState: CALL_STATE[cmd.state], lineInstance: cmd.line, callReference: cmd.ref } };
    case 'activateCallPlane':
      return { name: 'ActivateCallPlane', fields: { lineInstance: cmd.line } };
    case 'tone':
      return { name: 'StartTone', fields: { tone: TONE[cmd.tone], toneOutputDirection: ToneDirection.User, lineInstance: cmd.line, callReference: cmd.ref } };
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
      return { name: 'SetRinger', fields: { ringMode: cmd.mode === 'off' ? RingMode.RingOff : RingMode.InsideRing,
        ringDuration: RingDuration.Normal, // Asterisk always sends 1 (§3 SetRinger)
        lineInstance: 1, callReference: 0 } };
    case 'callInfo':
      return { name: 'CallInfo', fields: { callingPartyName: cmd.callingName, callingParty: cmd.calling,
        calledPartyName: cmd.calledName, calledParty: cmd.called, lineInstance: cmd.line, callReference: cmd.ref,
        // Forward: the callee sees the original called party (§3 CallInfo.callType).
        callType: cmd.originalCalled !== undefined && cmd.direction === 'inbound' ? CallType.Forward
          : cmd.direction === 'inbound' ? CallType.Inbound : CallType.Outbound,
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
        remoteIpAddr: version >= 17 ? { family: cmd.ip.includes(':') ? 6 : 4, address: cmd.ip } : cmd.ip,
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
      return { name: 'SetSpeakerMode', fields: { speakerMode: cmd.on ? SpeakerMode.On : SpeakerMode.Off } };
    case 'forwardStat':
      return { name: 'ForwardStat', fields: forwardStatFields(cmd.line, cmd.number, cmd.busy, cmd.noAnswer) };
  }
}

/**
 * §3 ForwardStat: activeForward = 1 when any forward is set; forward all, busy and no answer each
 * with its target ('' = off; docs/features.md §2). Sent on changes and in answer to ForwardStatReq.
 */
export function forwardStatFields(line: number, number: string, busy = '', noAnswer = ''): FieldsOf<'ForwardStat'> {
  const on = (s: string) => (s ? 1 : 0);
  return { activeForward: on(number + busy + noAnswer), lineNumber: line, forwardAllActive: on(number), forwardAllDirnum: number,
    forwardBusyActive: on(busy), forwardBusyDirnum: busy, forwardNoAnswerActive: on(noAnswer), forwardNoAnswerDirnum: noAnswer };
}
