import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/config/yaml-config.js';
import { loadCallManagerConfig, parseCallManagerConfig } from '../../callmanager/config.js';
import { EXAMPLE } from '../support/callmanager.js';

const BASE = `lines:
  - { number: "100", name: Alice }
  - { number: "101", name: Bob }
devices:
  - name: SEP000000000100
    lines: ["100"]
`;

test('the shipped example loads with defaults filled in', () => {
  const c = loadCallManagerConfig(EXAMPLE);
  assert.deepEqual(c.devices.map((d) => [d.name, d.lines, d.type]), [
    ['SEP000000000100', ['100'], 7], ['SEP000000000101', ['101'], 7], ['SEP000000000102', ['102'], 8]]);
  assert.deepEqual(c.lines.map((l) => `${l.number} ${l.name}`), ['100 Alice', '101 Bob', '102 Carol']);
  assert.equal(c.server.port, 2000);
  assert.equal(c.server.keepalive, 30);
  assert.equal(c.dialplan.interdigitTimeout, 8);
});

test('defaults: server and dialplan sections may be omitted; device type by model name', () => {
  const c = parseCallManagerConfig(BASE.replace('lines: ["100"]', 'lines: ["100"]\n    type: "7940"'), 'x.yaml');
  assert.equal(c.server.dateTemplate, 'M/D/Y');
  assert.equal(c.devices[0]!.type, 8);
  assert.equal(c.devices[0]!.name, 'SEP000000000100');
});

test('a device referencing an unknown line names file, line, key path and a suggestion', () => {
  const text = BASE.replace('lines: ["100"]', 'lines: ["100", "110"]');
  assert.throws(() => parseCallManagerConfig(text, 'cm.yaml'),
    (e: unknown) => e instanceof ConfigError && /^cm\.yaml:6:\d+: devices\[0\]\.lines\[1\]: unknown line "110".*did you mean "100"/m.test(e.message));
});

test('duplicate line numbers and duplicate devices are reported with their positions', () => {
  const text = `${BASE}  - name: sep000000000100\n    lines: ["101"]\n`.replace('number: "101"', 'number: "100"');
  assert.throws(() => parseCallManagerConfig(text, 'd.yaml'), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /d\.yaml:3:\d+: lines\[1\]\.number: duplicate line number "100"/);
    assert.match(e.message, /d\.yaml:7:\d+: devices\[1\]\.name: duplicate device "SEP000000000100"/);
    return true;
  });
});

test('typos and bad values: did-you-mean for keys, device-name format, port range', () => {
  assert.throws(() => parseCallManagerConfig(`server: { keepalve: 20 }\n${BASE}`, 'k.yaml'),
    /k\.yaml:1:11: server\.keepalve: unknown key \(did you mean "keepalive"\?\)/);
  assert.throws(() => parseCallManagerConfig(BASE.replace('SEP000000000100', 'PHONE1'), 'n.yaml'),
    /n\.yaml:5:\d+: devices\[0\]\.name: .*SEP/);
  assert.throws(() => parseCallManagerConfig(`server: { port: 70000 }\n${BASE}`, 'p.yaml'), /p\.yaml:1:\d+: server\.port: /);
  assert.throws(() => parseCallManagerConfig(BASE.replace('lines: ["100"]', 'lines: ["100"]\n    softkeys: { OnHook: [Redail] }'), 's.yaml'),
    /s\.yaml:7:\d+: devices\[0\]\.softkeys\.OnHook\[0\]: unknown soft key "Redail"/);
});

test('a missing file is a ConfigError naming the file', () => {
  assert.throws(() => loadCallManagerConfig('/nonexistent/cm.yaml'), /\/nonexistent\/cm\.yaml: no such file$/);
});

test('park groups: slot ranges expand; bad ranges, clashes, unknown lines and a line in two groups name file:line:col', async () => {
  const { slotNumbers } = await import('../../callmanager/config.js');
  assert.deepEqual(slotNumbers('701-703'), ['701', '702', '703']);
  assert.deepEqual(slotNumbers('098-101'), ['098', '099', '100', '101']);
  const c = parseCallManagerConfig(`${BASE}park:\n  groups:\n    - { slots: "701-709", lines: ["100"] }\n`, 'p.yaml');
  assert.equal(c.park.timeout, 60);
  assert.equal(c.campOn.timeout, 1800);
  const bad = (park: string, re: RegExp) => assert.throws(() => parseCallManagerConfig(`${BASE}park:\n  groups:\n${park}`, 'p.yaml'),
    (e: unknown) => e instanceof ConfigError && re.test(e.message), park);
  bad('    - { slots: "709-701", lines: ["100"] }\n', /^p\.yaml:9:\d+: park\.groups\[0\]\.slots: range "709-701" ends before it starts/m);
  bad('    - { slots: "70-701", lines: ["100"] }\n', /park\.groups\[0\]\.slots: range ends "70" and "701" must have the same number of digits/);
  bad('    - { slots: "100-1000", lines: ["100"] }\n', /same number of digits/);
  bad('    - { slots: "100-299", lines: ["100"] }\n', /200 slots, at most 100/);
  bad('    - { slots: "099-101", lines: ["100"] }\n', /^p\.yaml:9:\d+: park\.groups\[0\]\.slots: park slot "100" is already used by lines\[0\]/m);
  bad('    - { slots: "701", lines: ["100"] }\n    - { slots: "700-702", lines: ["101"] }\n', /park\.groups\[1\]\.slots: park slot "701" is already used by park\.groups\[0\]/);
  bad('    - { slots: "701", lines: ["100", "110"] }\n', /^p\.yaml:9:\d+: park\.groups\[0\]\.lines\[1\]: unknown line "110"/m);
  bad('    - { slots: "701", lines: ["100"] }\n    - { slots: "702", lines: ["100"] }\n', /park\.groups\[1\]\.lines\[0\]: line "100" is already in park\.groups\[0\]/);  // a pickup group number is dialled (GPickUp) like a slot: the two must differ
  assert.throws(() => parseCallManagerConfig(`${BASE}pickupGroups:\n  - { number: "702", lines: ["100"] }\npark:\n  groups:\n    - { slots: "701-703", lines: ["100"] }\n`, 'p.yaml'),
    /park\.groups\[0\]\.slots: park slot "702" is already used by pickupGroups\[0\]/);
});

test('the park example loads (callmanager/examples/park.yaml)', () => {
  const c = loadCallManagerConfig(EXAMPLE.replace(/[^/]+$/, 'park.yaml'));
  assert.deepEqual(c.park.groups.map((g) => [g.slots, g.timeout]), [['701-703', undefined], ['711', 3]]);
});

test('the BLF example loads: speed dials with blf: true are busy-lamp-field keys, others plain (callmanager/examples/blf.yaml)', () => {
  const c = loadCallManagerConfig(EXAMPLE.replace(/[^/]+$/, 'blf.yaml'));
  const olga = c.devices.find((d) => d.name === 'SEP000000000600')!;
  assert.deepEqual(olga.speeddials.map((s) => [s.number, s.blf ?? false]), [['601', true], ['603', true], ['0800123456', false]]);
  assert.equal(c.devices.find((d) => d.name === 'SEP000000000603')?.protocol, 'sscp');
  assert.throws(() => parseCallManagerConfig(BASE.replace('lines: ["100"]', 'lines: ["100"]\n    speeddials: [{ number: "101", label: Bob, blf: yes }]'), 'x.yaml'),
    (e: unknown) => e instanceof ConfigError && /blf/.test(e.message));
});
