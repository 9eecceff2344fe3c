/** SSCP → neutral input translation and neutral → SSCP output (callmanager/sscp-server/commands.ts, session.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TONES } from '../../../firmware/sscp/messages.js';
import { decodeSscp, encodeSscp, typedSscp } from '../../../firmware/sscp/codec.js';
import { translateSscp } from '../../../firmware/sscp/station-events.js';
import { codecsOf, commandToSscp, softKeyOf, softKeysFor } from '../../../callmanager/sscp-server/commands.js';
import { SscpSession, type SscpSessionHost } from '../../../callmanager/sscp-server/session.js';
import type { CallCore } from '../../../callmanager/calls.js';
import type { CallManagerConfig, DeviceConfig } from '../../../callmanager/config.js';

test('SSCP soft key event ids (docs/sscp.md §2 #12) map straight to neutral soft keys; 19..21 are voicemail keys; 22..24 our DND/iDivert/CallBack', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 22, 23, 24].map(softKeyOf),
    ['redial', 'newCall', 'hold', 'transfer', 'cfwdAll', 'cfwdBusy', 'cfwdNoAnswer', 'backspace', 'endCall', 'resume', 'answer',
      'confrn', 'park', 'join', 'meetMe', 'pickUp', 'gPickUp', 'dnd', 'iDivert', 'callBack']);
  assert.deepEqual([0, 19, 20, 21, 25].map(softKeyOf), [undefined, undefined, undefined, undefined, undefined]);
});

test('soft key sets leave out keys without an SSCP event (Dial), carry DND / iDivert / CallBack as events 22 / 23 / 24 and the phrase labels', () => {
  assert.deepEqual(softKeysFor({}, 'OnHook'),
    [{ label: 'Redial', event: 1 }, { label: 'Newcall', event: 2 }, { label: 'Cfwdall', event: 5 }, { label: 'DND', event: 22 }]);
  assert.deepEqual(softKeysFor({}, 'RingOut'), [{ label: 'Endcall', event: 9 }, { label: 'Transfer', event: 4 }, { label: 'Callback', event: 24 }]);
  assert.deepEqual(softKeysFor({}, 'DigitsFollowing'), [{ label: 'Backspace', event: 8 }, { label: 'Endcall', event: 9 }]);
  assert.deepEqual(softKeysFor({ softkeys: { Connected: ['Transfer', 'Dial', 'iDivert', 'Hold'] } }, 'Connected'),
    [{ label: 'Transfer', event: 4 }, { label: 'iDivert', event: 23 }, { label: 'Hold', event: 3 }]);
});

test('codecs: Register capabilities and Media messages use the registry names (docs/sscp.md §2)', () => {
  assert.deepEqual(codecsOf('pcmu G722 iLBC PCMA'), ['PCMU', 'G722', 'PCMA']);
  assert.deepEqual(commandToSscp({ t: 'openReceive', ref: 4, passThru: 4, ms: 20, codec: 'PCMA' }),
    [{ name: 'MediaOpen', fields: { mediaId: 4, codec: 'PCMA', ptime: 20, callId: '4' } }]);
});

test('call waiting over SSCP: the call-waiting tone is a seed tone name (docs/sscp.md §2 107 Tone)', () => {
  assert.deepEqual(commandToSscp({ t: 'tone', tone: 'callwaiting', line: 1, ref: 9 }),
    [{ name: 'Tone', fields: { tone: 'callwaiting', line: 1, callId: '9' } }]);
  assert.ok((TONES as readonly string[]).includes('callwaiting'));
});

test('prompts: neutral phrases become plain text', () => {
  assert.deepEqual(commandToSscp({ t: 'prompt', line: 1, ref: 2, text: { phrase: 'ringOut', arg: '101' }, timeoutS: 0 }),
    [{ name: 'Prompt', fields: { line: 1, callId: '2', text: 'Ring Out 101', timeoutS: 0 } }]);
  assert.equal(commandToSscp({ t: 'prompt', line: 1, ref: 2, text: { phrase: 'enterNumber' }, timeoutS: 0 })[0]!.fields.text, 'Enter Number');
});

test('session dispatch: Digit, SoftKeyEvent, LineButton, SpeedDial go to the neutral core inputs', () => {
  const calls: unknown[][] = [];
  const rec = (name: string) => (...args: unknown[]) => { calls.push([name, ...args]); };
  const core = { keypad: rec('keypad'), softkey: rec('softkey'), lineButton: rec('lineButton'), speedDial: rec('speedDial'),
    voicemailKey: () => false } as unknown as CallCore;
  const sent: string[] = [];
  const host: SscpSessionHost = { config: { lines: [] } as unknown as CallManagerConfig, core, log: { info() {}, warn() {} },
    send: (_p, _d, m) => { sent.push(`${m.name} ${String(m.fields.text ?? '')}`); }, localAddress: undefined, unregister() {} };
  const dev = { name: 'SEP1', lines: ['100'], speeddials: [] } as unknown as DeviceConfig;
  const s = new SscpSession(dev, { address: '127.0.0.1', port: 1 }, 0, host, 0);
  const msg = (name: string, fields: Record<string, string | number>) => s.dispatch({ name, fields } as never);
  msg('Digit', { key: '5' });
  msg('Digit', { key: '#' });
  msg('Digit', { key: 'x' });
  msg('SoftKeyEvent', { event: 3, eventName: 'Hold', line: 1 });
  msg('SoftKeyEvent', { event: 4, eventName: 'Trnsfer', line: 1 });
  msg('SoftKeyEvent', { event: 10, eventName: 'Resume', line: 1, callId: '7' });
  msg('LineButton', { line: 2 });
  msg('SpeedDial', { index: 1 });
  msg('SoftKeyEvent', { event: 20, eventName: 'Store' });
  assert.deepEqual(calls, [['keypad', 'SEP1', '5'], ['keypad', 'SEP1', '#'], ['softkey', 'SEP1', 'hold', 1, 0],
    ['softkey', 'SEP1', 'transfer', 1, 0], ['softkey', 'SEP1', 'resume', 1, 7], ['lineButton', 'SEP1', 2], ['speedDial', 'SEP1', 1]]);
  assert.deepEqual(sent, ['Notify Not available'], 'a voicemail key outside a voicemail call');
});

test('several calls: Hold, Trnsfer, Resume, Confrm, Join, MeetMeConfrm reach the core with the line and the selected call', () => {
  const calls: unknown[][] = [];
  const core = { softkey: (...a: unknown[]) => { calls.push(a); }, voicemailKey: () => false } as unknown as CallCore;
  const sent: string[] = [];
  const host: SscpSessionHost = { config: { lines: [] } as unknown as CallManagerConfig, core, log: { info() {}, warn() {} },
    send: (_p, _d, m) => { sent.push(m.name); }, localAddress: undefined, unregister() {} };
  const dev = { name: 'SEP2', lines: ['200', '201'], speeddials: [] } as unknown as DeviceConfig;
  const s = new SscpSession(dev, { address: '127.0.0.1', port: 1 }, 0, host, 0);
  const seed: Array<[number, string, string]> = [[3, 'Hold', 'hold'], [4, 'Trnsfer', 'transfer'], [10, 'Resume', 'resume'],
    [13, 'Confrm', 'confrn'], [15, 'Join', 'join'], [16, 'MeetMeConfrm', 'meetMe']];
  seed.forEach(([event, eventName], i) => s.dispatch({ name: 'SoftKeyEvent', fields: { event, eventName, line: 2, callId: String(40 + i) } } as never));
  assert.deepEqual(calls, seed.map(([, , key], i) => ['SEP2', key, 2, 40 + i]));
  // A CallIdentifier that is not a number names no call (0: the core takes the line's current call).
  s.dispatch({ name: 'SoftKeyEvent', fields: { event: 3, eventName: 'Hold', line: 1 } } as never);
  assert.deepEqual(calls.at(-1), ['SEP2', 'hold', 1, 0]);
  assert.deepEqual(sent, [], 'every one of them is a core input, none answered locally');
});

test('the core\'s per-call soft key sets carry their line and CallIdentifier to the phone (SoftKeySet per call)', () => {
  const sent: Array<{ name: string; fields: Record<string, unknown> }> = [];
  const host: SscpSessionHost = { config: { lines: [] } as unknown as CallManagerConfig, core: {} as CallCore, log: { info() {}, warn() {} },
    send: (_p, _d, m) => { sent.push(m as never); }, localAddress: undefined, unregister() {} };
  const s = new SscpSession({ name: 'SEP3', lines: ['300'], speeddials: [] } as unknown as DeviceConfig, { address: '127.0.0.1', port: 1 }, 0, host, 0);
  s.send({ t: 'softkeys', line: 1, ref: 7, set: 'OnHold' });
  s.send({ t: 'softkeys', line: 1, ref: 8, set: 'RingIn' });
  assert.deepEqual(sent.map((m) => [m.name, m.fields.line, m.fields.callId, (m.fields.keys as Array<{ event: number }>).map((k) => k.event)]), [
    ['SoftKeySet', 1, '7', softKeysFor({}, 'OnHold').map((k) => k.event)],
    ['SoftKeySet', 1, '8', softKeysFor({}, 'RingIn').map((k) => k.event)],
  ]);
  assert.ok(softKeysFor({}, 'OnHold').some((k) => k.event === 10), 'Resume (10) is in the held call\'s set');
});

test('105 Lamp: target speeddial for a busy-lamp-field speed dial (docs/sscp.md §2), voicemail → message, line → line', () => {
  assert.deepEqual(commandToSscp({ t: 'lamp', target: 'speeddial', instance: 2, mode: 'blink' }),
    [{ name: 'Lamp', fields: { target: 'speeddial', instance: 2, mode: 'blink' } }]);
  assert.deepEqual(commandToSscp({ t: 'lamp', target: 'voicemail', instance: 1, mode: 'on' }),
    [{ name: 'Lamp', fields: { target: 'message', instance: 1, mode: 'on' } }]);
  assert.deepEqual(commandToSscp({ t: 'lamp', target: 'line', instance: 1, mode: 'wink' }),
    [{ name: 'Lamp', fields: { target: 'line', instance: 1, mode: 'wink' } }]);
  const xml = encodeSscp({ name: 'Lamp', fields: { target: 'speeddial', instance: 2, mode: 'blink' } }).toString('utf8');
  assert.match(xml, /<SSCP name="Lamp" id="105"[^>]*>.*target="speeddial".*<\/SSCP>/s);
  const ev = translateSscp(typedSscp(decodeSscp(xml)));
  assert.deepEqual(ev, [{ type: 'lamp', target: 'speeddial', instance: 2, mode: 'blink' }]);
});

