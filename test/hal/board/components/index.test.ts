/** hal/board/components/index.ts: the registry is what the schema, the checks and the composition use. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../../lib/config/yaml-config.js';
import { collectClaims } from '../../../../hal/board/checks.js';
import { DISPLAYS, KEYPADS, RINGERS, displayOf, keypadOf, ringerOf } from '../../../../hal/board/components/index.js';
import { loadBoardConfig, loadBoardConfigText } from '../../../../hal/board/load.js';
import { pinLabel } from '../../../../hal/board/pins.js';

const BOARD = (display: string): string => `board: {model: pi4, name: t}
i2c: [{bus: 1}]
display: ${display}
keypad: {type: matrix, rows: [gpio5], cols: [gpio12, gpio16], keys: [[softkey1, softkey2]]}
softkeys: {count: 2}
hook: {pin: gpio17}
ringer: {type: gpio-buzzer, pin: gpio18}
`;

test('a display type outside the registry is refused, naming every registered type', () => {
  assert.throws(() => loadBoardConfigText('b.yaml', BOARD('{type: st7920, bus: 1}')), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const text = e.problems.map((p) => p.message).join('\n');
    for (const d of DISPLAYS) assert.match(text, new RegExp(d.type), `${d.type} is offered`);
    return true;
  });
});

test('every registered display type is accepted and found again by displayOf', () => {
  const entries: Record<string, string> = { hd44780: '{type: hd44780, bus: 1}', ssd1306: '{type: ssd1306, bus: 1}' };
  assert.deepEqual(DISPLAYS.map((d) => d.type).sort(), Object.keys(entries).sort(), 'this test knows every display type');
  for (const d of DISPLAYS) {
    const cfg = loadBoardConfigText('b.yaml', BOARD(entries[d.type]!));
    assert.equal(displayOf(cfg.display), d);
  }
});

test('shipped boards: each entry finds its component, and the checks see every pin its component claims', () => {
  const dir = 'board-configs';
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    const cfg = loadBoardConfig(join(dir, f));
    assert.equal(displayOf(cfg.display).type, cfg.display.type, f);
    assert.ok(KEYPADS.includes(keypadOf(cfg.keypad) as never), f);
    assert.ok(RINGERS.includes(ringerOf(cfg.ringer) as never), f);
    const claimed = new Set(collectClaims(cfg).pins.map((c) => pinLabel(c.pin)));
    const keypadPins = keypadOf(cfg.keypad).claims(cfg.keypad).pins ?? [];
    for (const p of keypadPins) assert.ok(claimed.has(pinLabel(p.pin)), `${f}: ${pinLabel(p.pin)} claimed`);
    const wire = ringerOf(cfg.ringer).wire(cfg.ringer);
    if (wire) assert.ok(claimed.has(pinLabel(wire.pin)), `${f}: ringer line claimed`);
    assert.ok(collectClaims(cfg).i2c.some((c) => c.address === cfg.display.address && c.bus === cfg.display.bus), `${f}: display address claimed`);
  }
});

test('a pin claimed by two components is reported at the second, naming the first', () => {
  assert.throws(() => loadBoardConfigText('b.yaml', BOARD('{type: hd44780, bus: 1}').replace('pin: gpio18', 'pin: gpio12')),
    /ringer\.pin: gpio12 is already used by keypad\.cols\[0\]/);
});
