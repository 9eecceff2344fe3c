import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/config/yaml-config.js';
import { checkBoardFiles, loadBoardConfig, loadBoardConfigText } from '../../../hal/board/load.js';

const CONFIG_DIR = 'board-configs';

/** A small valid board; tests replace one line to break it in a known place. */
const BASE = `board:
  model: pi4
  name: test
i2c:
  - bus: 1
display:
  type: hd44780
  bus: 1
keypad:
  type: matrix
  rows: [gpio5, gpio6]
  cols: [gpio12, gpio16]
  keys:
    - ["1", "2"]
    - [softkey1, softkey2]
softkeys:
  count: 2
hook:
  pin: gpio17
lamps:
  line1: {pin: gpio22}
ringer:
  type: gpio-buzzer
  pin: gpio18
`;

function problemsOf(text: string, file = 'b.yaml'): string {
  try {
    loadBoardConfigText(file, text);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('config was accepted');
}

test('every shipped board config loads', () => {
  const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4, `expected the four shipped configs, found ${files.join(', ')}`);
  for (const f of files) loadBoardConfig(join(CONFIG_DIR, f));
});

test('the base config loads and defaults are filled in from the datasheets', () => {
  const cfg = loadBoardConfigText('b.yaml', BASE);
  assert.equal(cfg.display.type, 'hd44780');
  if (cfg.display.type !== 'hd44780') return;
  assert.equal(cfg.display.address, 0x27);
  assert.deepEqual([cfg.display.cols, cfg.display.rows], [20, 4]);
  assert.equal(cfg.display.pins.e, 'P2');
  assert.equal(cfg.display.pins.backlight, 'P3');
  assert.deepEqual(cfg.hook.pin, { kind: 'gpio', gpio: 17 });
  assert.equal(cfg.hook.activeLow, true);
  assert.equal(cfg.i2c[0]!.speedHz, 100_000);
});

test('laptop board: 20x4 LCD at 0x27, 6x4 matrix with softkeys and feature keys, five lamps', () => {
  const cfg = loadBoardConfig(join(CONFIG_DIR, 'laptop-emulated.yaml'));
  assert.equal(cfg.board.model, 'laptop');
  assert.equal(cfg.display.address, 0x27);
  assert.equal(cfg.keypad.type, 'matrix');
  if (cfg.keypad.type !== 'matrix') return;
  assert.deepEqual(cfg.keypad.keys.flat().sort(), [...'0123456789*#ABCD', 'softkey1', 'softkey2', 'softkey3', 'softkey4',
    'line1', 'directories', 'speaker', 'redial'].sort());
  assert.deepEqual(Object.keys(cfg.lamps).sort(), ['line1', 'line2', 'message', 'speeddial1', 'speeddial2']);
});

test('expander pins in both spellings are normalised', () => {
  const cfg = loadBoardConfig(join(CONFIG_DIR, 'pi-zero2w-ssd1306-mcp23017.yaml'));
  assert.deepEqual(cfg.hook.pin, { kind: 'expander', expander: 'kp', pin: 'GPB7' });
  assert.deepEqual(cfg.softkeys.buttons?.[2], { kind: 'expander', expander: 'kp', pin: 'GPB2' });
});

test('unknown key gives file:line:col, path and did-you-mean', () => {
  const msg = problemsOf(BASE.replace('  bus: 1\nkeypad', '  bus: 1\n  adress: 0x27\nkeypad'));
  assert.match(msg, /^b\.yaml:9:3: display\.adress: unknown key \(did you mean "address"\?\)$/m);
});

test('unknown key inside a pin object suggests the pin key', () => {
  const msg = problemsOf(BASE.replace('line1: {pin: gpio22}', 'line1: {pin: {gpoi: 22}}'));
  assert.match(msg, /^b\.yaml:21:\d+: lamps\.line1\.pin: unknown pin key "gpoi" \(did you mean "gpio"\?\)/m);
});

test('a pin used twice names both key paths', () => {
  const msg = problemsOf(BASE.replace('pin: gpio18', 'pin: gpio17'));
  assert.match(msg, /^b\.yaml:24:3: ringer\.pin: gpio17 is already used by hook\.pin$/m);
});

test('the same pin in two spellings is still a duplicate', () => {
  const msg = problemsOf(BASE.replace('line1: {pin: gpio22}', 'line1: {pin: {gpio: 16}}'));
  assert.match(msg, /^b\.yaml:21:\d+: lamps\.line1\.pin: gpio16 is already used by keypad\.cols\[1\]$/m);
});

test('I2C address collision on one bus', () => {
  const text = BASE.replace('display:', 'expanders:\n  - {id: kp, type: pcf8574, bus: 1, address: 0x27}\ndisplay:');
  const msg = problemsOf(text);
  assert.match(msg, /^b\.yaml:8:1: display\.address: I2C address 0x27 on i2c-1 is already used by expanders\[0\] \(kp\)$/m);
});

test('same address on different buses is fine', () => {
  const text = BASE.replace('  - bus: 1\n', '  - bus: 1\n  - bus: 3\n')
    .replace('display:', 'expanders:\n  - {id: kp, type: pcf8574, bus: 3, address: 0x27}\ndisplay:');
  assert.equal(loadBoardConfigText('b.yaml', text).expanders[0]!.bus, 3);
});

test('a GPIO not on the 40-pin header', () => {
  const msg = problemsOf(BASE.replace('pin: gpio17', 'pin: gpio28'));
  assert.match(msg, /^b\.yaml:19:3: hook\.pin: gpio28 is not on the Raspberry Pi 4 header: the 40-pin header exposes BCM GPIO2\.\.GPIO27$/m);
});

test('ID EEPROM pins and the I2C pins are refused with the reason', () => {
  assert.match(problemsOf(BASE.replace('pin: gpio17', 'pin: gpio0')), /hook\.pin: gpio0 \(header pin 27\) is reserved for the HAT ID EEPROM/);
  assert.match(problemsOf(BASE.replace('pin: gpio17', 'pin: gpio3')),
    /^b\.yaml:19:3: hook\.pin: gpio3 is SCL of i2c-1 \(header pin 5, declared at i2c\[0\]\.bus\)$/m);
});

test('expander pin not on that expander, and unknown expander id', () => {
  const text = BASE.replace('display:', 'expanders:\n  - {id: kp, type: pcf8574, bus: 1, address: 0x20}\ndisplay:');
  assert.match(problemsOf(text.replace('pin: gpio17', 'pin: kp:GPB3')),
    /^b\.yaml:21:3: hook\.pin: pcf8574 "kp" has no pin GPB3 \(pins: P0\.\.P7\)$/m);
  assert.match(problemsOf(text.replace('pin: gpio17', 'pin: {expander: pk, pin: P3}')),
    /hook\.pin: unknown expander "pk" \(did you mean "kp"\?\); declared: kp$/m);
});

test('expander strap address outside its range', () => {
  const text = BASE.replace('display:', 'expanders:\n  - {id: kp, type: mcp23017, bus: 1, address: 0x38}\ndisplay:');
  assert.match(problemsOf(text), /^b\.yaml:7:38: expanders\[0\]\.address: mcp23017 cannot be strapped to 0x38 \(valid: 0x20, .*0x27\)$/m);
});

test('keypad grid that does not match rows × cols', () => {
  const msg = problemsOf(BASE.replace('    - ["1", "2"]\n', '    - ["1", "2", "3"]\n'));
  assert.match(msg, /^b\.yaml:14:7: keypad\.keys\[0\]: keys\[0\] has 3 keys but the keypad has 2 column pins$/m);
  const rowsMsg = problemsOf(BASE.replace('    - [softkey1, softkey2]\n', ''));
  assert.match(rowsMsg, /^b\.yaml:13:3: keypad\.keys: keys has 1 rows but the keypad has 2 row pins \(rows × cols = 2 × 2\)$/m);
});

test('unknown key name in the grid suggests the right one; softkeys must exist', () => {
  assert.match(problemsOf(BASE.replace('softkey2]', 'sofkey2]')),
    /keypad\.keys\[1\]\[1\]: unknown key "sofkey2" \(did you mean "softkey2"\?\)/);
  assert.match(problemsOf(BASE.replace('count: 2', 'count: 3')),
    /^b\.yaml:17:3: softkeys\.count: softkey3 is neither a keypad key nor in softkeys\.buttons$/m);
});

test('bus not declared, unknown lamp, bad model', () => {
  assert.match(problemsOf(BASE.replace('  type: hd44780\n  bus: 1', '  type: hd44780\n  bus: 2')),
    /^b\.yaml:8:3: display\.bus: i2c-2 is not declared under i2c: \(declared: i2c-1\)/m);
  assert.match(problemsOf(BASE.replace('line1: {pin', 'mesage: {pin')), /lamps\.mesage: unknown lamp "mesage" \(did you mean "message"\?\)/);
  assert.match(problemsOf(BASE.replace('model: pi4', 'model: pi6')), /^b\.yaml:2:3: board\.model: must be one of pi4, pi3b\+, pi5, pi-zero-2w, laptop, not "pi6"/m);
});

test('ambiguous bare number pin and a wrong display type', () => {
  assert.match(problemsOf(BASE.replace('pin: gpio17', 'pin: 17')), /hook\.pin: 17 is ambiguous: write gpio17 for BCM GPIO17/);
  assert.match(problemsOf(BASE.replace('type: hd44780', 'type: hd4478')), /^b\.yaml:7:3: display\.type: must be one of hd44780, ssd1306, not "hd4478" \(did you mean "hd44780"\?\)$/m);
});

test('bad YAML reports the line', () => {
  const msg = problemsOf(BASE.replace('rows: [gpio5, gpio6]', 'rows: [gpio5, gpio6'));
  assert.match(msg, /^b\.yaml:\d+:\d+: YAML syntax error/m);
});

test('checkBoardFiles reports each file, good and bad, without throwing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'board-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, BASE.replace('pin: gpio18', 'pin: gpio17'));
  const res = checkBoardFiles([join(CONFIG_DIR, 'laptop-emulated.yaml'), bad, join(dir, 'missing.yaml')]);
  assert.deepEqual(res.map((r) => r.ok), [true, false, false]);
  assert.deepEqual(res[1]!.problems, [`${bad}:24:3: ringer.pin: gpio17 is already used by hook.pin`]);
  assert.match(res[2]!.problems[0]!, /missing\.yaml: no such file$/);
});
