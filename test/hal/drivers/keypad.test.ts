import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { EmulatedKeyMatrix } from '../../../hal/emul/keypad-matrix.js';
import { openMatrixKeypad } from '../../../hal/drivers/matrix-keypad.js';

const KEYMAP = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['*', '0', '#']];
const ROWS = [5, 6, 13, 19];
const COLS = [12, 16, 20];

async function rig(bounce?: { toggles: number; intervalMs: number }) {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  const matrix = new EmulatedKeyMatrix({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, ...(bounce ? { bounce } : {}) });
  const keypad = await openMatrixKeypad({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2 });
  const events: string[] = [];
  keypad.onKey((k, down) => events.push(`${k}${down ? 'v' : '^'}@${clock.now()}`));
  await keypad.start();
  return { clock, gpio, matrix, keypad, events };
}

test('single key press and release, reported after two equal scans', async () => {
  const { clock, matrix, events, gpio } = await rig();
  assert.equal(gpio.outputLevel(ROWS[0]!), 1); // rows idle high
  await clock.advance(5);
  matrix.press('5');
  await clock.advance(100);
  matrix.release('5');
  await clock.advance(100);
  assert.deepEqual(events, ['5v@20', '5^@120']);
});

test('bouncy contact yields exactly one down and one up', async () => {
  const { clock, matrix, events } = await rig({ toggles: 5, intervalMs: 3 });
  await clock.advance(5);
  matrix.press('#');
  await clock.advance(200);
  matrix.release('#');
  await clock.advance(200);
  assert.deepEqual(events.map((e) => e.split('@')[0]), ['#v', '#^']);
});

test('a glitch shorter than the debounce window is ignored', async () => {
  const { clock, matrix, events } = await rig();
  await clock.advance(5);
  matrix.press('1');
  await clock.advance(10); // seen by exactly one scan
  matrix.release('1');
  await clock.advance(100);
  assert.deepEqual(events, []);
});

test('two keys in different rows and columns are both reported', async () => {
  const { clock, matrix, keypad, events } = await rig();
  matrix.press('1');
  matrix.press('9');
  await clock.advance(50);
  assert.deepEqual(keypad.pressed().sort(), ['1', '9']);
  assert.equal(events.length, 2);
});

test('ghost rectangle: third corner and ghost are not reported', async () => {
  const { clock, matrix, keypad, events } = await rig();
  matrix.press('1');
  await clock.advance(50);
  matrix.press('2');
  await clock.advance(50);
  matrix.press('4'); // with 1 and 2: '5' now reads pressed through the matrix (ghost)
  await clock.advance(100);
  assert.deepEqual(keypad.pressed().sort(), ['1', '2']);
  assert.ok(!events.some((e) => e.startsWith('5') || e.startsWith('4')), events.join(' '));
  matrix.release('2'); // ambiguity gone: 4 becomes reportable
  await clock.advance(50);
  assert.deepEqual(keypad.pressed().sort(), ['1', '4']);
});
