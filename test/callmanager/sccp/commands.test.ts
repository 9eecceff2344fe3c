/**
 * CmCommand → SCCP message (callmanager/sccp/commands.ts): the busy-lamp-field speed-dial lamp is
 * SetLamp(stimulus SpeedDial 2, the speed dial's index, mode) with the layout of docs/sccp.md §1/§3,
 * and our own station turns it into the `speeddial<n>` lamp event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandToMessage } from '../../../callmanager/sccp/commands.js';
import { deviceSets } from '../../../callmanager/sccp/templates.js';
import { decodeMessage, encodeOutgoing } from '../../../firmware/sccp/codec.js';
import { translateCmMessage } from '../../../firmware/sccp/station-events.js';
import type { CmCommand } from '../../../callmanager/station.js';

const sets = deviceSets({});
const wire = (cmd: CmCommand) => encodeOutgoing(commandToMessage(cmd, sets, 11));

test('lamp target speeddial: SetLamp 0x86, stimulus 2 SpeedDial, instance = speed-dial index, §4 lamp mode', () => {
  const m = commandToMessage({ t: 'lamp', target: 'speeddial', instance: 3, mode: 'blink' }, sets, 11);
  assert.deepEqual(m, { name: 'SetLamp', fields: { stimulus: 2, stimulusInstance: 3, lampMode: 5 } });
  // §1 header: length = body + 4 (12 + 4 = 16), header version 0, messageId 0x86; §3 body: stimulus, instance, lampMode (u32 LE).
  const hex = wire({ t: 'lamp', target: 'speeddial', instance: 3, mode: 'blink' }).toString('hex');
  assert.equal(hex, ['10000000', '00000000', '86000000', '02000000', '03000000', '05000000'].join(''));
  assert.equal(wire({ t: 'lamp', target: 'speeddial', instance: 1, mode: 'wink' }).readUInt32LE(20), 3, 'Wink is 3 (§4)');
});

test('lamp targets line and voicemail keep stimulus 9 Line and 15 VoiceMail', () => {
  assert.equal(wire({ t: 'lamp', target: 'line', instance: 1, mode: 'on' }).readUInt32LE(12), 9);
  assert.equal(wire({ t: 'lamp', target: 'voicemail', instance: 0, mode: 'off' }).readUInt32LE(12), 15);
});

test('our SCCP station maps SetLamp SpeedDial (2) and BLFSpeedDial (21) to the speeddial lamp', () => {
  const ev = translateCmMessage(decodeMessage(wire({ t: 'lamp', target: 'speeddial', instance: 2, mode: 'on' })), (s) => s);
  assert.deepEqual(ev, { type: 'lamp', target: 'speeddial', instance: 2, mode: 'on', stimulus: 2 });
  const blf = translateCmMessage({ name: 'SetLamp', fields: { stimulus: 21, stimulusInstance: 1, lampMode: 5 } }, (s) => s);
  assert.deepEqual(blf, { type: 'lamp', target: 'speeddial', instance: 1, mode: 'blink', stimulus: 21 });
});
