/**
 * The SSCP table's derived types (firmware/sscp/messages.ts SscpTyped, SscpFieldsOf): tsc fails the
 * build if an `@ts-expect-error` line below compiles. The runtime part decodes a hand-written
 * datagram (docs/sscp.md §2, message 121 MediaStart) and reads it through the typed view; the codec
 * name table (firmware/sscp/codecs.ts) maps onto the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSscp, encodeSscp, typedSscp } from '../../../firmware/sscp/codec.js';
import { registryCodecOf, sscpCodecOf, SSCP_CODEC_NAMES } from '../../../firmware/sscp/codecs.js';
import type { SscpFieldsOf, SscpTyped } from '../../../firmware/sscp/messages.js';
import { codecByName } from '../../../firmware/media/codecs.js';

/** Never called: exists for tsc. */
function compileOnly(): void {
  // @ts-expect-error 'mediaID' is misspelt (the field is mediaId)
  const a: SscpTyped = { name: 'MediaStop', fields: { mediaID: 1 } };
  // @ts-expect-error 'Lmap' is not a message of the table
  const b: SscpTyped = { name: 'Lmap', fields: {} };
  // @ts-expect-error mode is one of the table's lamp modes
  const c: SscpFieldsOf<'Lamp'> = { target: 'line', instance: 1, mode: 'blinking' };
  // @ts-expect-error <Media codec> is one of firmware/sscp/codecs.ts
  const d: SscpFieldsOf<'MediaOpen'> = { mediaId: 1, codec: 'G729', ptime: 20 };
  // @ts-expect-error instance is required on <Lamp>
  const e: SscpFieldsOf<'Lamp'> = { target: 'line', mode: 'on' };
  void a; void b; void c; void d; void e;
}
void compileOnly;

test('a decoded MediaStart reads through the typed view without casts', () => {
  const xml = '<?xml version="1.0" encoding="utf-8"?>\n<SSCP name="MediaStart" id="121" seq="3">\n' +
    '  <Media id="7" codec="G722" ptime="20"/>\n  <Address ip="192.0.2.5" port="40000"/>\n</SSCP>\n';
  const m = typedSscp(decodeSscp(xml));
  assert.equal(m.name, 'MediaStart');
  if (m.name !== 'MediaStart') return;
  const port: number = m.fields.remotePort;
  assert.equal(port, 40000);
  assert.equal(m.fields.codec, 'G722');
  assert.equal(m.fields.callId, undefined, 'optional <CallIdentifier> absent');
  const again = typedSscp(decodeSscp(encodeSscp({ name: m.name, fields: m.fields })));
  assert.deepEqual(again.fields, m.fields);
});

test('SSCP codec names map onto registry codecs both ways', () => {
  assert.deepEqual([...SSCP_CODEC_NAMES], ['PCMU', 'PCMA', 'G722']);
  for (const n of SSCP_CODEC_NAMES) {
    const reg = registryCodecOf(n);
    assert.ok(reg && codecByName(reg), `${n} is a registry codec`);
    assert.equal(sscpCodecOf(reg!.toLowerCase()), n);
  }
  assert.equal(registryCodecOf('G729'), undefined);
  assert.equal(registryCodecOf('toString'), undefined, 'no prototype keys');
  assert.equal(sscpCodecOf('opus'), undefined);
});
