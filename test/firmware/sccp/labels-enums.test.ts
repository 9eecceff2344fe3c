/** Display labels (docs/sccp.md §1 examples) and enum reverse lookups (§4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLabels, label, labelText } from '../../../firmware/sccp/labels.js';
import { CallState, KeypadButton, keypadChar, nameOf, Tone } from '../../../firmware/sccp/enums.js';

test('§1 label examples render as tshark shows them', () => {
  assert.equal(decodeLabels('\x80\x20'), 'Enter Number');
  assert.equal(decodeLabels('\x80\x17100'), 'From 100');
  assert.equal(decodeLabels('\x80\x16'), 'Ring Out');
  assert.equal(decodeLabels('\x80\x18'), 'Connected');
  assert.equal(decodeLabels('\x80\x01'), 'Redial');
  assert.equal(decodeLabels('\x80\x09'), 'Endcall');
  assert.equal(decodeLabels('Call \x80\x18'), 'Call Connected');
  assert.equal(decodeLabels('\x1e\x04'), 'Login');
  assert.equal(decodeLabels('plain'), 'plain');
  assert.equal(decodeLabels('\x80\xff'), '[label 0x80 0xff]');
});

test('label() encodes by text and inverts decodeLabels', () => {
  assert.equal(label('Connected'), '\x80\x18');
  assert.equal(label('enter number'), '\x80\x20');
  assert.equal(decodeLabels(label('Call Waiting')), 'Call Waiting');
  assert.equal(labelText(0x80, 0x17), 'From');
  assert.throws(() => label('No Such Label'), /No Such Label/);
});

test('enum reverse lookups', () => {
  assert.equal(nameOf(CallState, 5), 'Connected');
  assert.equal(nameOf(CallState, 99), undefined);
  assert.equal(nameOf(Tone, 0x21), 'InsideDialTone');
  assert.equal(KeypadButton['#'], 15);
  assert.equal(keypadChar(14), '*');
  assert.equal(keypadChar(10), 'A');
});
