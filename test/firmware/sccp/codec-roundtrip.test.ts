/**
 * Property tests: for every table entry and several protocol versions, random field values
 * (seeded PRNG) survive encode -> decode unchanged, and the header length matches the buffer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage } from '../../../firmware/sccp/codec.js';
import { messages } from '../../../firmware/sccp/messages.js';
import type { FieldSpec, MessageName, MessageSpec } from '../../../firmware/sccp/messages.js';
import { formatIpv6 } from '../../../firmware/sccp/messages-ip.js';
import { prng } from '../../support/prng.js';


const active = (f: FieldSpec, v: number) => (f.minVersion ?? 0) <= v && v <= (f.maxVersion ?? Infinity);

function randValue(f: FieldSpec, r: () => number, v: number, vals: Record<string, unknown>): unknown {
  const int = (max: number) => Math.floor(r() * (max + 1));
  switch (f.kind) {
    case 'u8': return int(0xff);
    case 'u16': return int(0xffff);
    case 'u32': return int(0xffffffff);
    case 'char': {
      let s = '';
      const n = int(f.size);
      for (let i = 0; i < n; i++) s += String.fromCharCode(1 + int(0xfe)); // latin1 without NUL
      return s;
    }
    case 'ipv4': return `${int(255)}.${int(255)}.${int(255)}.${int(255)}`;
    case 'ipv4or6': {
      if (r() < 0.5) return { family: 4, address: `${int(255)}.${int(255)}.${int(255)}.${int(255)}` };
      const b = new Uint8Array(16).map(() => (r() < 0.3 ? 0 : int(255)));
      return { family: 6, address: formatIpv6(b, 0) };
    }
    case 'bytes': return new Uint8Array(f.size === 'rest' ? int(40) : f.size).map(() => int(255));
    case 'pad': return undefined;
    case 'array': {
      let n: number;
      if (typeof f.count === 'number') n = f.count;
      else { n = int(f.count.max); vals[f.count.field] = n; }
      return Array.from({ length: n }, () =>
        Array.isArray(f.of) ? randStruct(f.of as readonly FieldSpec[], r, v) : randValue(f.of as FieldSpec, r, v, {}));
    }
  }
}

function randStruct(specs: readonly FieldSpec[], r: () => number, v: number): Record<string, unknown> {
  const vals: Record<string, unknown> = {};
  for (const f of specs) {
    if (!active(f, v) || f.kind === 'pad') continue;
    vals[f.name] = randValue(f, r, v, vals);
  }
  return vals;
}

const VERSIONS = [10, 11, 16, 17, 18, 22];

test('every table entry round-trips random values at versions 10..22', () => {
  const r = prng(0x5cc9);
  let checked = 0;
  for (const spec of messages as readonly MessageSpec[]) {
    for (const version of VERSIONS) {
      for (let iter = 0; iter < 8; iter++) {
        const fields = randStruct(spec.fields, r, version);
        const pdu = encodeMessage(spec.name as MessageName, fields as never, { version, headerVersion: version });
        assert.equal(pdu.readUInt32LE(0), pdu.length - 8, `${spec.name} length field`);
        assert.equal(pdu.readUInt32LE(8), spec.id, `${spec.name} id`);
        const m = decodeMessage(pdu, { version });
        assert.equal(m.name, spec.name);
        assert.deepStrictEqual(m.fields, fields, `${spec.name} v${version} iteration ${iter}`);
        // Re-encoding the decoded fields gives the same bytes.
        assert.ok(encodeMessage(spec.name as MessageName, m.fields as never, { version, headerVersion: version }).equals(pdu));
        checked++;
      }
    }
  }
  assert.equal(checked, messages.length * VERSIONS.length * 8);
});

test('table covers every id of docs/sccp.md §2 once, with unique names', () => {
  const ids = (messages as readonly MessageSpec[]).map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length);
  // §2 ids (ranges expanded as listed there).
  const expected = [
    ...range(0x00, 0x12).filter((i) => i !== 0x13), ...range(0x20, 0x39), 0x40, ...range(0x41, 0x4a), 0x4c,
    0x81, 0x82, 0x83, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, ...range(0x8f, 0x9f),
    0x100, ...range(0x101, 0x109), ...range(0x110, 0x121), 0x12f, 0x143, 0x144, 0x145, 0x14a, 0x154,
  ];
  for (const id of expected) assert.ok(ids.includes(id), `id 0x${id.toString(16)} missing`);
  assert.equal(ids.length, expected.length);
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
