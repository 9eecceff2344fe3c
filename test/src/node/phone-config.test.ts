/**
 * The phone config file (docs/phone-config.md): the shipped example loads; mistakes are reported
 * like board configs (file:line:col, key path, did-you-mean, plain words); command-line options
 * override the file's values; the phone book names callers the call manager leaves unnamed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../lib/config/yaml-config.js';
import { loadPhoneConfig, loadPhoneConfigText, mergePhoneSettings, OverrideError, parseServer } from '../../../src/node/phone-config.js';
import { withPhoneBook } from '../../../firmware/phone/phone-book.js';
import type { SignallingEvent, StationSignalling } from '../../../firmware/station/signalling.js';

const EXAMPLE = fileURLToPath(new URL('../../../../config/phone.example.yaml', import.meta.url));

function problems(text: string): string[] {
  try { loadPhoneConfigText('phone.yaml', text); } catch (e) { if (e instanceof ConfigError) return e.message.split('\n'); throw e; }
  assert.fail('the config was accepted');
}

test('the shipped example loads: one call manager, sccp, all codecs in order, the phone book, defaults', () => {
  const c = loadPhoneConfig(EXAMPLE);
  assert.deepEqual(c.callManagers, ['192.0.2.10:2000']);
  assert.equal(c.protocol, 'sccp');
  assert.equal(c.device, undefined);
  assert.deepEqual(c.codecs, ['G722', 'PCMU', 'PCMA']);
  assert.deepEqual(c.phoneBook.map((e) => e.number), ['100', '555']);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.stateDir, '/var/lib/deskphone');
});

test('mistakes: file:line:col, the key path, did-you-mean, plain words; every problem in one run', () => {
  const p = problems([
    'callManagers: [10.0.0.1:2000, "10.0.0.1:2000", "bad host:1", 10.0.0.3, 10.0.0.4]',
    'protocl: sscp',
    'device: SEP12',
    'codecs: [G722, G729]',
    'phoneBook:',
    '  - { name: A, number: "100" }',
    '  - { name: B, number: "100" }',
    '  - { nmae: C, number: "1" }',
    'logLevel: loud',
  ].join('\n'));
  const text = p.join('\n');
  assert.match(text, /^phone\.yaml:1:\d+: callManagers: takes at most 3 entries$/m);
  assert.match(text, /^phone\.yaml:2:1: protocl: unknown key \(did you mean "protocol"\?\)$/m);
  assert.match(text, /^phone\.yaml:3:1: device: a device name is SEP and 12 hex digits/m);
  assert.match(text, /^phone\.yaml:4:\d+: codecs\[1\]: must be one of G722, PCMU, PCMA, not "G729" \(did you mean "G722"\?\)$/m);
  assert.match(text, /^phone\.yaml:8:\d+: phoneBook\[2\]\.nmae: unknown key \(did you mean "name"\?\)$/m);
  assert.match(text, /^phone\.yaml:9:1: logLevel: must be one of debug, info, warn, error, not "loud"$/m);
  // Whole-file checks on what is valid: a repeated call manager, an address that is not one, a number twice.
  const q = problems('callManagers: [10.0.0.1:2000, "10.0.0.1", "bad host:1"]\nphoneBook:\n  - { name: A, number: "100" }\n  - { name: B, number: "100" }\n').join('\n');
  assert.match(q, /callManagers\[1\]: 10\.0\.0\.1:2000 is already callManagers\[0\]/);
  assert.match(q, /callManagers\[2\]: "bad host:1" is not an address: expected HOST:PORT/);
  assert.match(q, /^phone\.yaml:4:\d+: phoneBook\[1\]\.number: 100 is already phoneBook\[0\] \(A\)$/m);
  assert.deepEqual(problems('protocol: sccp\n'), ['phone.yaml:1:1: callManagers: missing: a list of text']);
});

test('addresses: HOST:PORT, [IPv6]:PORT, a bare host takes the protocol\'s port', () => {
  assert.deepEqual(parseServer('192.0.2.10:2001', 'sccp'), { host: '192.0.2.10', port: 2001 });
  assert.deepEqual(parseServer('pbx.lan', 'sccp'), { host: 'pbx.lan', port: 2000 });
  assert.deepEqual(parseServer('pbx.lan', 'sscp'), { host: 'pbx.lan', port: 5070 });
  assert.deepEqual(parseServer('[2001:db8::1]:2000', 'sccp'), { host: '2001:db8::1', port: 2000 });
  assert.deepEqual(parseServer('[2001:db8::1]', 'sscp'), { host: '2001:db8::1', port: 5070 });
  for (const bad of ['2001:db8::1', 'host:0', 'host:70000', 'a b', '']) assert.equal(parseServer(bad, 'sccp'), undefined, bad);
});

test('the command line wins over the file; the file over the defaults', () => {
  const file = loadPhoneConfigText('p.yaml', 'callManagers: [pbx1, pbx2]\nprotocol: sccp\ndevice: SEP000000000200\ncodecs: [PCMA]\nlogLevel: warn\ncontrol: /tmp/x.sock\n');
  const fromFile = mergePhoneSettings(file, {});
  assert.deepEqual(fromFile.servers, [{ host: 'pbx1', port: 2000 }, { host: 'pbx2', port: 2000 }]);
  assert.deepEqual([fromFile.protocol, fromFile.device, fromFile.codecs, fromFile.logLevel, fromFile.control, fromFile.stateDir],
    ['sccp', 'SEP000000000200', ['PCMA'], 'warn', '/tmp/x.sock', '/var/lib/deskphone']);
  // --protocol sscp changes the default port of the file's bare hosts too.
  const over = mergePhoneSettings(file, { protocol: 'sscp', device: 'SEP000000000201', codecs: 'g722,pcmu', logLevel: 'debug', stateDir: '/tmp/s' });
  assert.deepEqual(over.servers, [{ host: 'pbx1', port: 5070 }, { host: 'pbx2', port: 5070 }]);
  assert.deepEqual([over.protocol, over.device, over.codecs, over.logLevel, over.stateDir], ['sscp', 'SEP000000000201', ['G722', 'PCMU'], 'debug', '/tmp/s']);
  assert.deepEqual(mergePhoneSettings(file, { server: ['10.0.0.9:2002'] }).servers, [{ host: '10.0.0.9', port: 2002 }]);
  const none = mergePhoneSettings(undefined, { server: ['h:1'] });
  assert.deepEqual([none.protocol, none.logLevel, none.codecs, none.phoneBook], ['sccp', 'info', undefined, []]);
  assert.throws(() => mergePhoneSettings(undefined, {}), OverrideError);
  assert.throws(() => mergePhoneSettings(file, { codecs: 'G729' }), /--codecs G729: expected a comma-separated list of G722, PCMU, PCMA/);
  assert.throws(() => mergePhoneSettings(file, { server: ['a:1', 'b:1', 'c:1', 'd:1'] }), /at most 3/);
  assert.throws(() => mergePhoneSettings(file, { server: ['a b:1'] }), /--server a b:1: expected HOST:PORT/);
  assert.throws(() => mergePhoneSettings(file, { server: ['nowhere'] }), /--server nowhere: expected HOST:PORT or \[IPv6\]:PORT/, 'the command line writes the port');
});

test('phone book: a callInfo without a name (or with the number as name) gets the book\'s; others pass unchanged', () => {
  let deliver: (e: SignallingEvent) => void = () => {};
  const calls: string[] = [];
  const station = {
    protocol: 'sccp', state: 'registered', onEvent: (cb: (e: SignallingEvent) => void) => { deliver = cb; return () => {}; },
    start: async () => {}, stop: async () => {}, dial: (n: string) => { calls.push(`dial ${n}`); },
  } as unknown as StationSignalling;
  const book = withPhoneBook(station, [{ name: 'Reception', number: '100' }, { name: 'Helpdesk', number: '555' }]);
  const seen: SignallingEvent[] = [];
  book.onEvent((e) => seen.push(e));
  const info = (callingName: string, calling: string, calledName: string, called: string): SignallingEvent =>
    ({ type: 'callInfo', line: 1, callRef: 1, callingName, calling, calledName, called, direction: 'inbound' });
  deliver(info('', '100', '555', '555'));
  deliver(info('Alice', '100', 'Me', '555'));
  deliver(info('', '777', '', '555'));
  deliver({ type: 'displayText', text: '100' });
  assert.deepEqual(seen.map((e) => (e.type === 'callInfo' ? `${e.callingName}|${e.calledName}` : e.type)),
    ['Reception|Helpdesk', 'Alice|Me', '|Helpdesk', 'displayText']);
  book.dial('555');
  assert.deepEqual(calls, ['dial 555']);
  assert.equal(book.protocol, 'sccp');
  assert.equal(withPhoneBook(station, []), station, 'an empty book is no layer');
});

test('directoryUrl: an http(s) URL, {cm} allowed; sccp only; carried into the settings', () => {
  const file = loadPhoneConfigText('p.yaml', 'callManagers: [pbx1]\ndirectoryUrl: "http://{cm}:8080/directory"\n');
  assert.equal(mergePhoneSettings(file, {}).directoryUrl, 'http://{cm}:8080/directory');
  assert.equal(mergePhoneSettings(file, { protocol: 'sscp' }).directoryUrl, undefined, 'an sscp phone searches over SSCP');
  assert.equal(mergePhoneSettings(loadPhoneConfigText('p.yaml', 'callManagers: [pbx1]\n'), {}).directoryUrl, undefined);
  assert.throws(() => loadPhoneConfigText('p.yaml', 'callManagers: [pbx1]\ndirectoryUrl: "ftp://pbx1/dir"\n'), /directoryUrl: an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => loadPhoneConfigText('p.yaml', 'callManagers: [pbx1]\nprotocol: sscp\ndirectoryUrl: "http://pbx1/d"\n'), /directoryUrl: for sccp phones only/);
  assert.equal(mergePhoneSettings(file, { directoryUrl: 'https://dir.example/d' }).directoryUrl, 'https://dir.example/d', '--directory-url wins');
  assert.throws(() => mergePhoneSettings(file, { directoryUrl: 'dir.example' }), /--directory-url dir\.example: expected an http:\/\/ or https:\/\/ URL/);
});
