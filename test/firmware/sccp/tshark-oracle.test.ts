/**
 * Oracle: PDUs from our encoder, wrapped in TCP/IPv4 with text2pcap (docs/sccp.md §6,
 * "No-capture alternative"), must be decoded by tshark 4.0's skinny dissector with no malformed /
 * unreassembled / warning-or-worse expert info, every segment covered exactly by whole PDUs, and
 * key field values as we encoded them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeMessage } from '../../../firmware/sccp/codec.js';
import type { FieldsOf, MessageName } from '../../../firmware/sccp/messages.js';

interface Case<N extends MessageName = MessageName> { name: N; fields: FieldsOf<N>; expect: Record<string, string | number> }
const c = <N extends MessageName>(name: N, fields: FieldsOf<N>, expect: Record<string, string | number> = {}): Case =>
  ({ name, fields, expect }) as unknown as Case;

/** A registration + outgoing call + hold + hang-up as in §5, plus the status/config messages. */
const cases: Case[] = [
  c('Register', { deviceName: 'SEP001122334455', instance: 1, stationIpAddr: '127.0.0.1', deviceType: 7, maxStreams: 5, protocolVer: 11 },
    { 'skinny.DeviceName': 'SEP001122334455', 'skinny.protocolVer': 11, 'skinny.deviceType': 7, 'skinny.stationIpAddr': '127.0.0.1' }),
  c('SetLamp', { stimulus: 15, stimulusInstance: 1, lampMode: 1 }, { 'skinny.stimulus': 15, 'skinny.lampMode': 1 }),
  // A busy-lamp-field speed dial's lamp as the CM sends it (callmanager/sccp/commands.ts): SpeedDial 2, index 3, Blink 5.
  c('SetLamp', { stimulus: 2, stimulusInstance: 3, lampMode: 5 }, { 'skinny.stimulus': 2, 'skinny.stimulusInstance': 3, 'skinny.lampMode': 5 }),
  c('RegisterAck', { keepAliveInterval: 30, dateTemplate: 'D-M-Y', secondaryKeepAliveInterval: 30 }, { 'skinny.keepAliveInterval': 30, 'skinny.dateTemplate': 'D-M-Y' }),
  c('CapabilitiesReq', {}),
  c('IpPort', { rtpMediaPort: 20000 }, { 'skinny.rtpMediaPort': 20000 }),
  c('CapabilitiesRes', { caps: [{ payloadCapability: 4, maxFramesPerPacket: 40 }, { payloadCapability: 2, maxFramesPerPacket: 40 }] },
    { 'skinny.capCount': 2, 'skinny.payloadCapability': '4,2' }),
  c('ButtonTemplateReq', {}),
  c('ButtonTemplate', { buttonCount: 2, totalButtonCount: 2, buttons: [{ instanceNumber: 1, buttonDefinition: 9 }, { instanceNumber: 1, buttonDefinition: 2 }] },
    { 'skinny.totalButtonCount': 2 }),
  c('SoftKeyTemplateReq', {}),
  c('SoftKeyTemplateRes', { softKeyCount: 2, totalSoftKeyCount: 2, softKeys: [{ softKeyLabel: '\x80\x01', softKeyEvent: 1 }, { softKeyLabel: '\x80\x09', softKeyEvent: 9 }] },
    { 'skinny.totalSoftKeyCount': 2 }),
  c('SoftKeySetReq', {}),
  c('SoftKeySetRes', { softKeySetCount: 1, totalSoftKeySetCount: 1, softKeySets: [{ softKeyTemplateIndex: [1, 2], softKeyInfoIndex: [301, 302] }] },
    { 'skinny.totalSoftKeySetCount': 1 }),
  c('SelectSoftKeys', { lineInstance: 1, callReference: 4, softKeySetIndex: 4, validKeyMask: 0x7f }, { 'skinny.softKeySetIndex': 4, 'skinny.callReference': 4 }),
  c('LineStatReq', { lineNumber: 1 }, { 'skinny.lineNumber': 1 }),
  c('LineStat', { lineNumber: 1, lineDirNumber: '100', lineFullyQualifiedDisplayName: 'Alice' }, { 'skinny.lineDirNumber': '100' }),
  c('SpeedDialStatReq', { speedDialNumber: 1 }, { 'skinny.speedDialNumber': 1 }),
  c('SpeedDialStat', { speedDialNumber: 1, speedDialDirNumber: '101', speedDialDisplayName: 'Bob' }, { 'skinny.speedDialDirNumber': '101' }),
  c('RegisterAvailableLines', { maxNumOfAvailLines: 1 }, { 'skinny.maxNumOfAvailLines': 1 }),
  c('TimeDateReq', {}),
  c('DefineTimeDate', { year: 2026, month: 3, dayOfWeek: 2, day: 10, hour: 12, minute: 30, second: 5, systemTime: 1773145805 }, { 'skinny.wYear': 2026 }),
  c('VersionReq', {}),
  c('Version', { version: 'P00308000500' }, { 'skinny.versionStr': 'P00308000500' }),
  c('OffHook', { lineInstance: 1, callReference: 0 }, { 'skinny.lineInstance': 1 }),
  c('SetRinger', { ringMode: 1, ringDuration: 1, lineInstance: 1 }, { 'skinny.ringMode': 1 }),
  c('CallState', { callState: 1, lineInstance: 1, callReference: 4 }, { 'skinny.callState': 1, 'skinny.lineInstance': 1, 'skinny.callReference': 4 }),
  c('ActivateCallPlane', { lineInstance: 1 }, { 'skinny.lineInstance': 1 }),
  c('ClearDisplay', {}),
  c('StartTone', { tone: 0x21, lineInstance: 1, callReference: 4 }, { 'skinny.tone': 0x21 }),
  c('DisplayPromptStatus', { promptStatus: 'Dialing', lineInstance: 1, callReference: 4 }, { 'skinny.promptStatus': 'Dialing' }),
  c('KeypadButton', { kpButton: 1, lineInstance: 1 }, { 'skinny.kpButton': 1 }),
  c('StopTone', { lineInstance: 1, callReference: 4 }, { 'skinny.callReference': 4 }),
  c('OpenReceiveChannel', { conferenceId: 4, passThruPartyId: 4, millisecondPacketSize: 20, compressionType: 4 },
    { 'skinny.conferenceId': 4, 'skinny.passThroughPartyId': 4, 'skinny.milliSecondPacketSize': 20, 'skinny.compressionType': 4 }),
  c('CallInfo', { callingPartyName: 'Alice', callingParty: '100', calledParty: '101', lineInstance: 1, callReference: 4, callType: 2 },
    { 'skinny.callingPartyName': 'Alice', 'skinny.calledParty': '101', 'skinny.callingParty': '100' }),
  c('DialedNumber', { dialedNumber: '101', lineInstance: 1, callReference: 4 }, { 'skinny.dialedNumber': '101' }),
  c('OpenReceiveChannelAck', { status: 0, ipAddr: '10.0.0.2', portNumber: 20000, passThruPartyId: 4, callReference: 4 },
    { 'skinny.passThroughPartyId': 4, 'skinny.portNumber': 20000, 'skinny.ipAddr.ipv4': '10.0.0.2', 'skinny.mediaReceptionStatus': 0 }),
  c('StartMediaTransmission', { conferenceId: 4, passThruPartyId: 4, remoteIpAddr: '10.0.0.1', remotePortNumber: 16384, millisecondPacketSize: 20, compressionType: 4, precedenceValue: 127 },
    { 'skinny.remotePortNumber': 16384, 'skinny.remoteIpAddr.ipv4': '10.0.0.1', 'skinny.precedenceValue': 127 }),
  c('SoftKeyEvent', { softKeyEvent: 3, lineInstance: 1, callReference: 4 }, { 'skinny.softKeyEvent': 3 }),
  c('CloseReceiveChannel', { passThruPartyId: 4 }, { 'skinny.passThroughPartyId': 4 }),
  c('StopMediaTransmission', { passThruPartyId: 4 }, { 'skinny.passThroughPartyId': 4 }),
  c('Stimulus', { stimulus: 9, lineInstance: 1 }, { 'skinny.stimulus': 9 }),
  c('OnHook', { lineInstance: 1, callReference: 4 }, { 'skinny.callReference': 4 }),
  c('SetSpeakerMode', { speakerMode: 2 }, { 'skinny.speakerMode': 2 }),
  c('SetMicroMode', { micMode: 2 }, { 'skinny.micMode': 2 }),
  c('ClearPromptStatus', { lineInstance: 1, callReference: 4 }, { 'skinny.callReference': 4 }),
  c('DisplayNotify', { timeOutValue: 10, notify: 'hello' }, { 'skinny.notify': 'hello', 'skinny.timeOutValue': 10 }),
  c('ClearNotify', {}),
  c('DisplayPriNotify', { timeOutValue: 10, priority: 5, notify: 'pri' }, { 'skinny.priority': 5 }),
  c('ClearPriNotify', { priority: 5 }, { 'skinny.priority': 5 }),
  c('BackSpaceReq', { lineInstance: 1, callReference: 4 }, { 'skinny.callReference': 4 }),
  c('DeactivateCallPlane', {}),
  c('HookFlash', { lineInstance: 1, callReference: 4 }, { 'skinny.callReference': 4 }),
  c('HeadsetStatus', { headsetStatus: 1 }, { 'skinny.headsetStatus': 1 }),
  c('Alarm', { severity: 2, text: 'boot' }, { 'skinny.text': 'boot' }),
  c('ForwardStatReq', { lineNumber: 1 }, { 'skinny.lineNumber': 1 }),
  c('ForwardStat', { activeForward: 1, lineNumber: 1, forwardAllActive: 1, forwardAllDirnum: '200' }, { 'skinny.activeForward': 1 }),
  c('ConfigStatReq', {}),
  c('ConfigStat', { deviceName: 'SEP001122334455', userName: 'alice', serverName: 'cm' }, { 'skinny.userName': 'alice' }),
  c('ServiceURLStatReq', { index: 1 }, { 'skinny.serviceURLIndex': 1 }),
  c('ServiceURLStat', { index: 1, url: 'http://x/', displayName: 'Svc' }, { 'skinny.serviceURL': 'http://x/' }),
  c('ServerReq', {}),
  c('ServerRes', { serverName: ['cm1'], serverTcpListenPort: [2000], serverIpAddr: ['10.0.0.1'] }),
  c('Reset', { resetType: 2 }, { 'skinny.resetType': 2 }),
  c('Unregister', {}),
  c('UnregisterAck', { status: 0 }, { 'skinny.status': 0 }),
  c('RegisterReject', { text: 'No Authority: SEP1' }, { 'skinny.text': 'No Authority: SEP1' }),
  c('KeepAlive', {}),
  c('KeepAliveAck', {}),
];

const FIELDS = [...new Set(cases.flatMap((k) => Object.keys(k.expect)))];
const MALFORMED = '_ws.malformed || _ws.unreassembled || _ws.expert.severity >= 6291456 || (tcp.len > 0 && !skinny)';

/** tshark prints value-string fields in hex (0x00000004) and joins repeats with ','. */
const norm = (s: string) => s.split(',').map((x) => (/^(0x[0-9a-f]+|\d+)$/i.test(x) ? String(Number(x)) : x)).join(',');

function haveTools(): boolean {
  const missing = ['tshark', 'text2pcap'].filter((t) => spawnSync(t, ['-v']).error);
  if (missing.length === 0) return true;
  if (process.env['DESKPHONE_ALLOW_MISSING_ORACLES'] === '1') return false;
  throw new Error(`oracle tool(s) missing: ${missing.join(', ')} (apt-get install tshark; see docs/sccp.md §6)`);
}

/** Wrap PDUs with text2pcap (one packet each), return tshark's malformed-filter output and field rows. */
function runTshark(pdus: Buffer[], fields: string[]): { bad: string; rows: string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'sccp-oracle-'));
  try {
    // text2pcap input: each packet starts at offset 000000 (§6).
    const dump = pdus.map((p) => {
      const lines: string[] = [];
      for (let o = 0; o < p.length; o += 16) {
        lines.push(`${o.toString(16).padStart(6, '0')} ${[...p.subarray(o, o + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
      }
      return lines.join('\n');
    }).join('\n') + '\n';
    writeFileSync(join(dir, 'dump.txt'), dump);
    const pcap = join(dir, 'out.pcap');
    execFileSync('text2pcap', ['-q', '-T', '50000,2000', '-4', '10.0.0.2,10.0.0.1', join(dir, 'dump.txt'), pcap], { stdio: 'pipe' });
    const bad = execFileSync('tshark', ['-r', pcap, '-Y', MALFORMED], { encoding: 'utf8' }).trim();
    const rows = execFileSync('tshark', ['-r', pcap, '-Y', 'tcp.len > 0', '-T', 'fields', '-E', 'separator=\t',
      '-e', 'tcp.len', '-e', 'skinny.data_length', '-e', 'skinny.messageId', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8' }).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    return { bad, rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function check(list: Case[], pdus: Buffer[]): void {
  const fields = [...new Set(list.flatMap((k) => Object.keys(k.expect)))];
  const { bad, rows } = runTshark(pdus, fields);
  assert.equal(bad, '', `tshark flags problems:\n${bad}`);
  assert.equal(rows.length, list.length, 'one frame per PDU');
  rows.forEach((row, i) => {
    const k = list[i]!;
    const where = `${k.name} (frame ${i + 1})`;
    assert.equal(Number(row[0]), Number(row[1]) + 8, `${where}: segment not covered exactly by the PDU`);
    assert.equal(Number(row[2]), pdus[i]!.readUInt32LE(8), `${where}: messageId`);
    for (const [field, want] of Object.entries(k.expect)) {
      const got = row[3 + fields.indexOf(field)] ?? '';
      if (typeof want === 'number') assert.equal(Number(got), want, `${where}: ${field} = ${got}`);
      else assert.equal(norm(got), norm(want), `${where}: ${field}`);
    }
  });
}

test('tshark 4.0 decodes every encoded message cleanly with the values we encoded', (t) => {
  if (!haveTools()) { t.skip('tshark/text2pcap missing and DESKPHONE_ALLOW_MISSING_ORACLES=1'); return; }
  const pdus = cases.map((k) => encodeMessage(k.name, k.fields as never));
  assert.ok(new Set(pdus.map((p) => p.readUInt32LE(8))).size >= 25);
  check(cases, pdus);
});

test('tshark decodes the v17 (ipv4or6) and v18 (char[25] dirnum) layouts selected by header version', (t) => {
  if (!haveTools()) { t.skip('tshark/text2pcap missing and DESKPHONE_ALLOW_MISSING_ORACLES=1'); return; }
  const v: [Case, number][] = [
    [c('OpenReceiveChannelAck', { ipAddr: '10.0.0.2', portNumber: 20002, passThruPartyId: 7, callReference: 7 },
      { 'skinny.portNumber': 20002, 'skinny.passThroughPartyId': 7, 'skinny.ipAddr.ipv4': '10.0.0.2' }), 17],
    [c('OpenReceiveChannelAck', { ipAddr: { family: 6, address: 'fd00::2' }, portNumber: 20004, passThruPartyId: 8 },
      { 'skinny.portNumber': 20004, 'skinny.ipAddr.ipv6': 'fd00::2' }), 17],
    [c('StartMediaTransmission', { passThruPartyId: 7, remoteIpAddr: '10.0.0.1', remotePortNumber: 16386, millisecondPacketSize: 20, compressionType: 4 },
      { 'skinny.remotePortNumber': 16386, 'skinny.remoteIpAddr.ipv4': '10.0.0.1', 'skinny.milliSecondPacketSize': 20 }), 17],
    [c('DialedNumber', { dialedNumber: '1234567890123456789012345', lineInstance: 2, callReference: 9 },
      { 'skinny.dialedNumber': '1234567890123456789012345', 'skinny.lineInstance': 2, 'skinny.callReference': 9 }), 18],
  ];
  const pdus = v.map(([k, ver]) => encodeMessage(k.name, k.fields as never, { version: ver, headerVersion: ver }));
  check(v.map(([k]) => k), pdus);
});
