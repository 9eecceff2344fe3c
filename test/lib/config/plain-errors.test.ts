/**
 * What a user sees for a broken config: YAML syntax errors with line and column; a missing file,
 * a directory, a binary file and an empty file as one plain sentence; "did you mean" only from the
 * keys valid at that path; schema problems and cross-checks in one run; plain words, not zod's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatProblem } from '../../../lib/config/yaml-config.js';
import { suggest } from '../../../lib/config/schema-words.js';
import { loadBoardConfig, loadBoardConfigText } from '../../../hal/board/load.js';
import { loadCallManagerConfig, parseCallManagerConfig } from '../../../callmanager/config.js';
import { loadScenario } from '../../../src/scenario/schema.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BOARD = readFileSync(join(ROOT, 'board-configs/laptop-emulated.yaml'), 'utf8');

function problems(f: () => unknown): string[] {
  try { f(); } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  assert.fail('expected a ConfigError');
}

test('YAML syntax errors give the line and column of the error', () => {
  // Line 3 col 10: a flow sequence that never closes, inside a block mapping.
  const p = problems(() => loadBoardConfigText('b.yaml', 'board:\n  model: pi4\n  name: [x\nhook: {pin: gpio17}\n'));
  assert.ok(p.length >= 1);
  assert.doesNotMatch(p.join('\n'), /:0:0:/);
  assert.match(p[0]!, /^b\.yaml:[1-9]\d*:[1-9]\d*: YAML syntax error: /);
  // A tab-indented key: the position of the tab.
  const tab = problems(() => loadBoardConfigText('t.yaml', 'board:\n\tmodel: pi4\n'));
  assert.match(tab[0]!, /^t\.yaml:2:1: YAML syntax error: /);
  // A duplicated key: where the second one is.
  const dup = problems(() => loadBoardConfigText('d.yaml', 'board: {model: pi4, name: x}\nboard: {model: pi5, name: y}\n'));
  assert.match(dup[0]!, /^d\.yaml:2:1: YAML syntax error: Map keys must be unique/);
});

test('a missing file, a directory, a binary file and an empty file: one plain sentence each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plain-'));
  mkdirSync(join(dir, 'folder.yaml'));
  writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]));
  writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('name: caf\xe9\n', 'latin1'));
  writeFileSync(join(dir, 'empty.yaml'), '');
  writeFileSync(join(dir, 'comments.yaml'), '# nothing here yet\n\n');
  const cases: [string, string][] = [
    ['missing.yaml', 'no such file'], ['folder.yaml', 'is a directory, not a YAML file'], ['binary.yaml', 'is a binary file, not YAML text'],
    ['latin1.yaml', 'is a binary file, not YAML text'], ['empty.yaml', 'the file is empty (no YAML keys in it)'], ['comments.yaml', 'the file is empty (no YAML keys in it)'],
  ];
  for (const [name, sentence] of cases) {
    const file = join(dir, name);
    for (const load of [loadBoardConfig, loadCallManagerConfig, loadScenario]) {
      assert.deepEqual(problems(() => load(file)), [`${file}: ${sentence}`], `${load.name} ${name}`);
    }
  }
});

test('did you mean: only keys valid at that path, never the word typed, nothing when nothing is close', () => {
  const p = problems(() => loadBoardConfigText('b.yaml', BOARD.replace(/^i2c:/m, 'expander: []\ni2c:').replace('  scanMs: 10', '  scanMS: 10\n  lines: 3')));
  assert.ok(p.some((l) => /^b\.yaml:\d+:1: expander: unknown key \(did you mean "expanders"\?\)$/.test(l)), p.join('\n'));
  assert.ok(p.some((l) => /keypad\.scanMS: unknown key \(did you mean "scanMs"\?\)$/.test(l)), p.join('\n'));
  assert.ok(p.some((l) => /keypad\.lines: unknown key$/.test(l)), `no suggestion for "lines" under keypad (was "pins"): ${p.join('\n')}`);
  // Inside a lamp only pin, hid, led and activeLow are valid.
  const lamp = problems(() => loadBoardConfigText('b.yaml', BOARD.replace('line1: {pin: gpio22}', 'line1: {pni: gpio22, pin: gpio22}')));
  assert.ok(lamp.some((l) => /lamps\.line1\.pni: unknown key \(did you mean "pin"\?\)$/.test(l)), lamp.join('\n'));
  // The call manager config: the keys of a device.
  const cm = readFileSync(join(ROOT, 'callmanager/examples/two-phones.yaml'), 'utf8').replace('  - name: SEP000000000100', '  - name: SEP000000000100\n    speeddial: []');
  const c = problems(() => parseCallManagerConfig(cm, 'cm.yaml'));
  assert.ok(c.some((l) => /devices\[0\]\.speeddial: unknown key \(did you mean "speeddials"\?\)$/.test(l)), c.join('\n'));
  assert.equal(suggest('expander', ['expander', 'expanders']), 'expanders');
  assert.equal(suggest('lines', ['pins', 'rows', 'cols']), undefined);
  assert.equal(suggest('lfit', ['lift', 'replace']), 'lift');
});

function scenarioFile(steps: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scen-'));
  const file = join(dir, 's.yaml');
  writeFileSync(file, `name: s\ncallmanager: {embedded: cm.yaml}\nphones:\n  alice: {device: SEP000000000100, tone: 1000}\nsteps:\n${steps}`);
  return file;
}

test('a misspelt scenario step kind gets a suggestion; a misspelt key inside a step too', () => {
  const p = problems(() => loadScenario(scenarioFile('  - lfit: alice\n  - expect: {phone: alice, lcdd: x}\n')));
  assert.deepEqual(p.map((l) => l.replace(/^.*s\.yaml/, 's.yaml')), [
    's.yaml:6:5: steps[0].lfit: unknown key (did you mean "lift"?); expected one of: lift, replace, restart, press, key, softkey, wait, expect',
    's.yaml:7:28: steps[1].expect.lcdd: unknown key (did you mean "lcd"?)',
  ]);
});

test('all problems at once: key and type errors together with the cross-checks (pin used twice, I2C clash)', () => {
  const text = BOARD
    .replace('  scanMs: 10', '  scanMS: 10') // unknown key
    .replace('message: {pin: gpio23}', 'message: {pin: gpio17}') // pin used twice (hook.pin)
    .replace(/^i2c:\n {2}- bus: 1\n/m, 'i2c:\n  - bus: 1\nexpanders:\n  - {id: kp, type: pcf8574, bus: 1, address: 0x27}\n') // I2C clash with the display
    .replace('  rows: 4', '  rows: 3'); // type error: rows is 1, 2 or 4
  const p = problems(() => loadBoardConfigText('b.yaml', text));
  const has = (re: RegExp): void => assert.ok(p.some((l) => re.test(l)), `${re} in:\n${p.join('\n')}`);
  has(/keypad\.scanMS: unknown key/);
  has(/display\.rows: /);
  has(/lamps\.message\.pin: gpio17 is already used by hook\.pin$/);
  has(/display\.address: I2C address 0x27 on i2c-1 is already used by expanders\[0\] \(kp\)$/);
});

test('a rejected list entry: the entries after it keep their positions in the cross-checks', () => {
  const cm = readFileSync(join(ROOT, 'callmanager/examples/two-phones.yaml'), 'utf8')
    .replace('  - name: SEP000000000100', '  - name: NOT-A-DEVICE\n    lines: ["100"]\n  - name: SEP000000000100')
    .replace('  - name: SEP000000000102', '  - name: SEP000000000101');
  const p = problems(() => parseCallManagerConfig(cm, 'cm.yaml'));
  const dup = p.find((l) => /duplicate device "SEP000000000101"/.test(l));
  assert.ok(dup, p.join('\n'));
  assert.match(dup, /devices\[3\]\.name: /, 'the path of the file, not of the list without the rejected entry');
  const line = Number(/^cm\.yaml:(\d+):/.exec(dup)![1]);
  assert.equal(cm.split('\n')[line - 1]!.trim(), '- name: SEP000000000101');
  assert.ok(p.some((l) => /devices\[0\]\.name: /.test(l)));
});

test('plain words: empty file, a missing list, a wrong type, a value out of range, a wrong choice', () => {
  assert.deepEqual(problems(() => parseCallManagerConfig('', 'cm.yaml')), ['cm.yaml: the file is empty (no YAML keys in it)']);
  const p = problems(() => parseCallManagerConfig('server: {port: "2000", keepalive: 0}\ndevices: []\n', 'cm.yaml'));
  assert.deepEqual(p, [
    'cm.yaml:1:1: lines: missing: a list of { number, name, label?, maxCalls?, busyTrigger?, transfer?, noAnswerSeconds? }',
    'cm.yaml:1:10: server.port: expected a number, not text "2000"',
    'cm.yaml:1:24: server.keepalive: must be at least 1, not 0',
    'cm.yaml:2:1: devices: needs at least 1 entry',
  ]);
  const b = problems(() => loadBoardConfigText('b.yaml', BOARD.replace('model: laptop', 'model: pi6').replace('type: hd44780', 'type: hd4478')));
  const modelLine = BOARD.split('\n').findIndex((l) => /^\s+model: laptop/.test(l)) + 1; // the board file's comments may grow
  assert.ok(b.includes(`b.yaml:${modelLine}:3: board.model: must be one of pi4, pi3b+, pi5, pi-zero-2w, laptop, not "pi6" (did you mean "pi4"?)`), b.join('\n'));
  assert.ok(b.some((l) => /display\.type: must be one of hd44780, ssd1306, not "hd4478" \(did you mean "hd44780"\?\)$/.test(l)), b.join('\n'));
  for (const l of [...p, ...b]) assert.doesNotMatch(l, /Invalid input|received undefined|expected object|Invalid option/);
});
