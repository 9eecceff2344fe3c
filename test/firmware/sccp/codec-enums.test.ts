/**
 * Enum fields of the SCCP table (firmware/sccp/messages-*.ts `{ enum: ... }`): known values decode
 * silently, values outside the enum still decode as numbers and are listed in `unknownValues`
 * (and in the trace fields); compressionType maps onto the codec registry (firmware/sccp/codecs.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, traceFields } from '../../../firmware/sccp/codec.js';
import { codecNameOf, codecOfCompressionType, compressionTypeOf } from '../../../firmware/sccp/codecs.js';
import { LampMode, PayloadCapability, Stimulus, nameOf } from '../../../firmware/sccp/enums.js';
import { messages, type FieldSpec, type MessageSpec } from '../../../firmware/sccp/messages.js';
import { allCodecs, codecByName } from '../../../firmware/media/codecs.js';

/** docs/sccp.md §3 SetLamp len 16: u32 stimulus, u32 stimulusInstance, u32 lampMode (hand-built, not from our encoder). */
function setLamp(stimulus: number, instance: number, mode: number): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(16, 0); b.writeUInt32LE(0, 4); b.writeUInt32LE(0x0086, 8);
  b.writeUInt32LE(stimulus, 12); b.writeUInt32LE(instance, 16); b.writeUInt32LE(mode, 20);
  return b;
}

test('a value in its enum decodes without a report', () => {
  const m = decodeMessage(setLamp(Stimulus.Line, 1, LampMode.Blink));
  assert.equal(m.name, 'SetLamp');
  assert.deepEqual(m.fields, { stimulus: 9, stimulusInstance: 1, lampMode: 5 });
  assert.equal(m.unknownValues, undefined);
  assert.deepEqual(traceFields(m), m.fields);
});

test('values outside their enum still decode as numbers and are reported by path', () => {
  const m = decodeMessage(setLamp(200, 1, 9));
  assert.deepEqual(m.fields, { stimulus: 200, stimulusInstance: 1, lampMode: 9 });
  assert.deepEqual(m.unknownValues, ['stimulus=200', 'lampMode=9']);
  assert.equal(traceFields(m)['unknownValues'], 'stimulus=200,lampMode=9');
});

test('enum fields inside arrays of structs are reported with their index', () => {
  // ButtonTemplate (§3): 42 slots of {u8 instanceNumber, u8 buttonDefinition}; 0x42 is no ButtonDefinition.
  const pdu = encodeMessage('ButtonTemplate', { buttonOffset: 0, buttonCount: 2, totalButtonCount: 2,
    buttons: [{ instanceNumber: 1, buttonDefinition: 0x09 }, { instanceNumber: 2, buttonDefinition: 0x42 }] });
  const m = decodeMessage(pdu);
  // The 40 unused slots carry 0 = ButtonDefinition.Unused: known, so not reported.
  assert.deepEqual(m.unknownValues, ['buttons[1].buttonDefinition=66']);
});

test('every enum of the table fits the width of its field', () => {
  const max = { u8: 0xff, u16: 0xffff, u32: 0xffffffff } as Record<string, number>;
  let seen = 0;
  const walk = (fs: readonly FieldSpec[], where: string): void => {
    for (const f of fs) {
      if (f.kind === 'array') walk(Array.isArray(f.of) ? f.of as readonly FieldSpec[] : [f.of as FieldSpec], `${where}.${f.name}`);
      else if ((f.kind === 'u8' || f.kind === 'u16' || f.kind === 'u32') && f.enum) {
        seen++;
        for (const v of Object.values(f.enum)) assert.ok(v >= 0 && v <= max[f.kind]!, `${where}.${f.name}: ${v} does not fit ${f.kind}`);
      }
    }
  };
  for (const m of messages as readonly MessageSpec[]) walk(m.fields, m.name);
  assert.ok(seen >= 25, `only ${seen} enum fields found`);
});

test('compressionType <-> registry codec: one table, every entry a registry codec', () => {
  assert.equal(compressionTypeOf('pcmu'), PayloadCapability.G711Ulaw64k);
  assert.equal(compressionTypeOf('PCMA'), PayloadCapability.G711Alaw64k);
  assert.equal(compressionTypeOf('G722'), PayloadCapability.G722_64k);
  assert.equal(compressionTypeOf('G729'), undefined);
  assert.equal(codecNameOf(PayloadCapability.G729), undefined);
  for (const c of allCodecs()) {
    const t = compressionTypeOf(c.name);
    assert.ok(t !== undefined, `${c.name} has no SCCP compressionType`);
    assert.equal(nameOf(PayloadCapability, t) !== undefined, true);
    assert.equal(codecNameOf(t), c.name);
    assert.equal(codecOfCompressionType(t), codecByName(c.name));
  }
});
