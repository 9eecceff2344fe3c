/**
 * Compile-time checks of the typed SCCP table: tsc (the build) fails if an `@ts-expect-error`
 * line below compiles, i.e. if a misspelt field or message name were accepted. The runtime part
 * checks what the types promise: narrowing on `name` gives the table's fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, encodeOutgoing, type OutgoingMessage } from '../../../firmware/sccp/codec.js';
import type { FieldsOf } from '../../../firmware/sccp/messages.js';

/** Never called: exists for tsc. */
function compileOnly(): void {
  // @ts-expect-error 'lampMod' is not a SetLamp field
  encodeMessage('SetLamp', { lampMod: 2 });
  // @ts-expect-error 'SetLmap' is not a message of the table
  encodeMessage('SetLmap', {});
  // @ts-expect-error lampMode is a number, not a name
  encodeMessage('SetLamp', { lampMode: 'On' });
  // @ts-expect-error a queued message's fields belong to its name
  const bad: OutgoingMessage = { name: 'SetLamp', fields: { callState: 5 } };
  // @ts-expect-error FieldsOf names the message's fields only
  const f: FieldsOf<'CallState'> = { callStat: 5 };
  const m = decodeMessage(Buffer.alloc(12));
  if (m.name === 'CallState') {
    // @ts-expect-error CallState has no lampMode
    void m.fields.lampMode;
  }
  void bad; void f;
}
void compileOnly;

test('decoded messages narrow on name to the table fields', () => {
  const pdu = encodeOutgoing({ name: 'CallState', fields: { callState: 5, lineInstance: 1, callReference: 7 } });
  const m = decodeMessage(pdu);
  assert.equal(m.name, 'CallState');
  if (m.name !== 'CallState') return;
  const state: number = m.fields.callState; // typed: no cast
  assert.equal(state, 5);
  assert.equal(m.fields.callReference, 7);
  assert.ok(encodeMessage('CallState', m.fields).equals(pdu), 'decoded fields are valid encoder input');
});
