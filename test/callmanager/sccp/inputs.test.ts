/** SCCP → neutral input translation (callmanager/sccp/inputs.ts) and neutral → SCCP display/codec (display.ts, commands.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecsOf, compressionTypeOf, keypadKeyOf, sccpInput, softKeyEventOf, softKeyOf, type SccpInputCore } from '../../../callmanager/sccp/inputs.js';
import { sccpText } from '../../../callmanager/sccp/display.js';
import { commandToMessage } from '../../../callmanager/sccp/commands.js';
import { deviceSets } from '../../../callmanager/sccp/templates.js';

function fakeCore(): { core: SccpInputCore; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const rec = (name: string) => (...args: unknown[]) => { calls.push([name, ...args]); };
  return { calls, core: { keypad: rec('keypad'), softkey: rec('softkey'), lineButton: rec('lineButton'), speedDial: rec('speedDial'),
    holdButton: rec('holdButton'), notAvailable: rec('notAvailable') } as unknown as SccpInputCore };
}

test('KeypadButton codes (docs/sccp.md §4 "Keypad") become keypad characters; + and unknown codes are dropped', () => {
  assert.deepEqual([0, 5, 9, 10, 13, 14, 15].map(keypadKeyOf), ['0', '5', '9', 'A', 'D', '*', '#']);
  assert.equal(keypadKeyOf(16), undefined);
  assert.equal(keypadKeyOf(99), undefined);
  const { core, calls } = fakeCore();
  sccpInput.keypad(core, 'SEP1', 15);
  sccpInput.keypad(core, 'SEP1', 42);
  assert.deepEqual(calls, [['keypad', 'SEP1', '#']]);
});

test('SoftKeyEvent codes of our template map to neutral soft keys and back; unknown codes answer Not available', () => {
  const expect: Record<number, string> = { 1: 'redial', 2: 'newCall', 3: 'hold', 4: 'transfer', 5: 'cfwdAll', 8: 'backspace',
    9: 'endCall', 10: 'resume', 11: 'answer', 14: 'park', 19: 'dnd', 21: 'dial', 22: 'callBack' };
  for (const [code, key] of Object.entries(expect)) {
    assert.equal(softKeyOf(Number(code)), key, `event ${code}`);
    assert.equal(softKeyEventOf(key as never), Number(code));
  }
  assert.equal(softKeyOf(0), undefined);
  assert.equal(softKeyOf(23), undefined);
  const { core, calls } = fakeCore();
  sccpInput.softKey(core, 'SEP1', 3, 1);
  sccpInput.softKey(core, 'SEP1', 77, 1);
  assert.deepEqual(calls, [['softkey', 'SEP1', 'hold', 1, 0], ['notAvailable', 'SEP1', 'soft key event 77']]);
});

test('Stimulus (docs/sccp.md §4): Line, SpeedDial, LastNumberRedial, Hold; other stimuli are ignored', () => {
  const { core, calls } = fakeCore();
  sccpInput.stimulus(core, 'SEP1', 9, 2);
  sccpInput.stimulus(core, 'SEP1', 2, 3);
  sccpInput.stimulus(core, 'SEP1', 1, 0);
  sccpInput.stimulus(core, 'SEP1', 3, 0);
  sccpInput.stimulus(core, 'SEP1', 15, 1);
  assert.deepEqual(calls, [['lineButton', 'SEP1', 2], ['speedDial', 'SEP1', 3], ['softkey', 'SEP1', 'redial', 0], ['holdButton', 'SEP1']]);
});

test('capability payload codes become codec registry names and back (docs/sccp.md §4 "Media payload codes")', () => {
  assert.deepEqual(codecsOf([4, 2, 6, 4, 99]), ['PCMU', 'PCMA', 'G722']);
  assert.deepEqual((['PCMU', 'PCMA', 'G722'] as const).map(compressionTypeOf), [4, 2, 6]);
  const m = commandToMessage({ t: 'openReceive', ref: 7, passThru: 7, ms: 20, codec: 'G722' }, { sets: [], masks: [] }, 11);
  assert.equal(m.name, 'OpenReceiveChannel');
  assert.equal((m.fields as { compressionType: number }).compressionType, 6);
});

test('neutral prompts become 0x80 label codes the way chan_skinny writes them (docs/sccp.md §1)', () => {
  assert.equal(sccpText({ phrase: 'enterNumber' }), '\x80\x20');
  assert.equal(sccpText({ phrase: 'ringOut', arg: '101' }), '\x80\x16 101');
  assert.equal(sccpText({ phrase: 'from', arg: '100' }), '\x80\x17100');
  assert.equal(sccpText('On hold'), 'On hold');
  const m = commandToMessage({ t: 'prompt', line: 1, ref: 3, text: { phrase: 'connected' }, timeoutS: 0 }, deviceSets({}), 11);
  assert.deepEqual(m, { name: 'DisplayPromptStatus', fields: { timeOutValue: 0, promptStatus: '\x80\x18', lineInstance: 1, callReference: 3 } });
});
