import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLValidator } from 'fast-xml-parser';
import { decodeSscp, encodeSscp, SscpDecodeError, SscpEncodeError, type SscpMessage } from '../../../firmware/sscp/codec.js';
import { SSCP_MESSAGES, SOFTKEY_EVENTS } from '../../../firmware/sscp/messages.js';

// Fixtures resolved from the compiled file under dist/test/.
const fixture = (f: string): Buffer =>
  readFileSync(fileURLToPath(new URL(`../../../../test/fixtures/sscp/${f}`, import.meta.url)));

test('seed 001 examples decode verbatim to typed messages', () => {
  const cases: Array<[string, string, number, Record<string, unknown>]> = [
    ['09-SpeedDial.xml', 'SpeedDial', 9, { index: 3 }],
    ['10-Forward.xml', 'Forward', 10, { number: '1012' }],
    ['11-HeadsetStatus.xml', 'HeadsetStatus', 11, { mode: 'On/Off' }],
    ['12-SoftKeyEvent.xml', 'SoftKeyEvent', 12, { event: 1, eventName: 'Redial', callId: '01002007', group: 23 }],
    ['14-PhoneBook.xml', 'PhoneBook', 14, { userId: 'test1012', lastName: 'kim', firstName: 'sangmi' }],
  ];
  for (const [file, name, num, fields] of cases) {
    const raw = fixture(file);
    assert.ok(raw.includes('</xml>'), `${file} is the verbatim seed text`);
    const m = decodeSscp(raw);
    assert.equal(m.name, name, file);
    assert.equal(m.num, num, file);
    assert.deepEqual(m.fields, fields, file);
    assert.equal(m.seq, undefined);
    assert.ok(m.repairs.some((r) => r.startsWith('R3')), `${file}: stray </xml> repair recorded`);
  }
  const sd = decodeSscp(fixture('09-SpeedDial.xml'));
  assert.deepEqual(sd.repairs.map((r) => r.slice(0, 2)).sort(), ['R1', 'R1', 'R2', 'R3']);
});

test('seed soft key table has the 21 events with the seed spellings, plus our 22 DND, 23 iDivert and 24 CallBack', () => {
  assert.equal(Object.keys(SOFTKEY_EVENTS).length, 24);
  assert.deepEqual([SOFTKEY_EVENTS[22], SOFTKEY_EVENTS[23], SOFTKEY_EVENTS[24]], ['DND', 'iDivert', 'CallBack']);
  assert.equal(SOFTKEY_EVENTS[4], 'Trnsfer');
  assert.equal(SOFTKEY_EVENTS[13], 'Confrm');
  assert.equal(SOFTKEY_EVENTS[21], 'Delete');
});

test('encoder output is well-formed and round-trips for every message', () => {
  const samples: SscpMessage[] = [
    { name: 'Register', device: 'SEP001122334455', seq: 1, sid: 'abc123', fields: {
      model: 'deskphone-16x2', firmware: '0.1.0', lines: 2, cols: 16, rows: 2, softkeySlots: 4,
      codecs: 'PCMU PCMA G722', ipv6: true } },
    { name: 'RegisterAck', seq: 1, fields: { server: 'cm & "friends" <1>', keepAliveS: 30, epochS: 1700000000 } },
    { name: 'SoftKeySet', fields: { line: 1, callId: '7', keys: [
      { label: 'Redial', event: 1, enabled: true }, { label: 'NewCall', event: 2, enabled: false }] } },
    { name: 'CallInfo', fields: { line: 1, callId: '01002007', callingName: 'Kim Sangmi', calling: '1012',
      calledName: 'Front desk', called: '4000', direction: 'inbound' } },
    { name: 'MediaStart', fields: { mediaId: 5, codec: 'PCMU', ptime: 20, remoteFamily: '6', remoteIp: '2001:db8::1',
      remotePort: 16384, callId: '9' } },
    { name: 'MediaOpenAck', fields: { mediaId: 5, localIp: '192.0.2.7', localPort: 20000 } },
    { name: 'Ack', ack: 42, sid: 'ff', fields: {} },
    { name: 'PhoneBookResult', fields: { users: [] } },
    { name: 'Layout', fields: { view: 'Conversation', page: 2, pages: 3, line: 1 } },
  ];
  for (const s of samples) {
    const buf = encodeSscp(s);
    const text = buf.toString('utf8');
    assert.equal(XMLValidator.validate(text), true, `${s.name} validates: ${text}`);
    const back = decodeSscp(buf);
    assert.equal(back.name, s.name);
    assert.deepEqual(back.fields, s.fields, s.name);
    assert.equal(back.seq, s.seq);
    assert.equal(back.ack, s.ack);
    assert.equal(back.device, s.device);
    assert.deepEqual(back.repairs, [], `${s.name} needs no repair`);
  }
  // every table entry with only optional content encodes and decodes
  for (const spec of SSCP_MESSAGES) {
    if (spec.elements.every((e) => e.optional || e.list)) {
      assert.equal(decodeSscp(encodeSscp({ name: spec.name, fields: {} })).num, spec.num);
    }
  }
});

test('PhoneBookResult presence (our extension, docs/sscp.md §2): decoded from the documented layout, absent allowed, round trip, bad word refused', () => {
  const m = decodeSscp(fixture('125-PhoneBookResult.xml'));
  assert.deepEqual([m.name, m.num, m.seq, m.device, m.repairs], ['PhoneBookResult', 125, 7, 'SEP000000000400', []]);
  assert.deepEqual(m.fields, { users: [
    { userId: '401', lastName: 'Bob', number: '401', presence: 'talking' },
    { userId: '402', lastName: 'Bonnie', firstName: 'Ann', number: '402' },
  ] });
  const back = decodeSscp(encodeSscp({ name: m.name, fields: m.fields }));
  assert.deepEqual(back.fields, m.fields);
  for (const p of ['idle', 'ringing', 'talking', 'dnd', 'unregistered', 'unknown']) {
    const one = { users: [{ userId: '1', number: '1', presence: p }] };
    assert.deepEqual(decodeSscp(encodeSscp({ name: 'PhoneBookResult', fields: one })).fields, one, p);
  }
  decodeErr('<SSCP name="PhoneBookResult" id="125"><User id="1" number="1" presence="away"/></SSCP>', /presence/);
});

test('encoder refuses bad fields with the path', () => {
  assert.throws(() => encodeSscp({ name: 'Lamp', fields: { target: 'line', instance: 1, mode: 'disco' } }),
    (e: unknown) => e instanceof SscpEncodeError && /SSCP\/Lamp@mode/.test(e.message) && /wink/.test(e.message));
  assert.throws(() => encodeSscp({ name: 'SpeedDial', fields: {} }), /missing field index/);
  assert.throws(() => encodeSscp({ name: 'SpeedDial', fields: { index: 1, bogus: 2 } }), /unknown field/);
  assert.throws(() => encodeSscp({ name: 'Nope', fields: {} }), /unknown message name/);
  const many = Array.from({ length: 16 }, (_, i) => ({ userId: `u${i}`.padEnd(64, 'x'), lastName: 'y'.repeat(64) }));
  assert.throws(() => encodeSscp({ name: 'PhoneBookResult', fields: { users: many } }), /exceeds 1400/);
});

function decodeErr(xml: string | Buffer, re: RegExp): SscpDecodeError {
  let err: unknown;
  try { decodeSscp(xml); } catch (e) { err = e; }
  assert.ok(err instanceof SscpDecodeError, `expected SscpDecodeError for ${String(xml).slice(0, 60)}, got ${String(err)}`);
  assert.match(err.message, re);
  return err;
}

test('hostile and non-SSCP input gives clear errors', () => {
  decodeErr('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><SSCP name="KeepAlive"/>', /DOCTYPE.*not allowed/);
  decodeErr('<SSCP name="Prompt"><Prompt text="&a;"/></SSCP>', /undefined entity reference.*Prompt/);
  decodeErr('<SSCP name="KeepAlive"><![CDATA[x]]></SSCP>', /CDATA/);
  decodeErr(Buffer.alloc(1401, 0x20), /1401 bytes exceeds 1400/);
  decodeErr(`<SSCP name="KeepAlive">${'<a>'.repeat(10)}${'</a>'.repeat(10)}</SSCP>`, /deeper than 4/);
  decodeErr(`<SSCP name="KeepAlive"><X ${Array.from({ length: 17 }, (_, i) => `a${i}="1"`).join(' ')}/></SSCP>`, /more than 16 attributes/);
  decodeErr('<html><body/></html>', /root element <html> is not <SSCP>/);
  decodeErr('{"name":"KeepAlive"}', /unexpected text/);
  decodeErr('', /no <SSCP>/);
  decodeErr('<SSCP name="Bogus"/>', /unknown message name "Bogus"/);
  decodeErr('<SSCP/>', /missing attribute name/);
  decodeErr('<SSCP name="SpeedDial"></SSCP>', /missing element <SpeedDial>.*number/);
  decodeErr('<SSCP name="SpeedDial"><SpeedDial number="x"/></SSCP>', /integer 0..255, got "x" \[SSCP\/SpeedDial@number at byte 23\]/);
  decodeErr('<SSCP name="SpeedDial"><Speed number="1"/></SSCP>', /unexpected element <Speed>.*expected <SpeedDial>/);
  decodeErr('<SSCP name="SoftKeyEvent"><Event id=4 name="Hold"/></SSCP>', /does not match id 4.*Trnsfer/);
  decodeErr('<SSCP name="SoftKeyEvent"><Event id=25/></SSCP>', /0\.\.24/); // 22 DND, 23 iDivert, 24 CallBack: deskphone extensions
  decodeErr('<SSCP name="SpeedDial"><SpeedDial number=3></Other></SSCP>', /<\/Other> does not match <SpeedDial>/);
  decodeErr('<SSCP name="SpeedDial"><SpeedDial number=3/></SSCPX>', /does not match <SSCP>/);   // R2 never on root
  decodeErr('<SSCP name="SpeedDial"><SpeedDial number=3/>', /unterminated <SSCP>/);
  decodeErr('<SSCP name="KeepAlive"/><SSCP name="KeepAlive"/>', /one SSCP message per datagram/);
  decodeErr('<SSCP name=Keep<Alive/>', /unquoted value of name in <SSCP> runs into "<".*\[SSCP at byte 15\]/);
  decodeErr('<SSCP name=/x/>', /neither quoted nor/);
  decodeErr('<SSCP name="MediaOpenAck"><Media id="1"/><Address family="4" ip="::1" port="5"/></SSCP>', /family 4 does not match/);
  decodeErr('<?xml version="1.0" encoding="ISO-8859-1"?><SSCP name="KeepAlive"/>', /encoding/);
  decodeErr(Buffer.from([0x3c, 0x53, 0xff, 0xfe]), /UTF-8/);
  const e = decodeErr('<SSCP name="Forward">\n  <Address number="12a"/>\n</SSCP>', /dial string/);
  assert.equal(e.offset, 24, 'byte offset of <Address>');
  assert.equal(e.path, 'SSCP/Address@number');
  assert.equal(e.messageName, 'Forward');
});

test('entities in attribute values are the predefined five and char refs only', () => {
  const m = decodeSscp('<SSCP name="Notify"><Notify text="a&amp;b &lt;&#233;&#x41;"/></SSCP>');
  assert.equal(m.fields.text, 'a&b <éA');
  decodeErr('<SSCP name="Notify"><Notify text="&#0;"/></SSCP>', /invalid character reference/);
});
