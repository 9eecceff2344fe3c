import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { EmulatedKeyMatrix } from '../../../hal/emul/keypad-matrix.js';
import { openMatrixKeypad } from '../../../hal/drivers/matrix-keypad.js';

const KEYMAP = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['*', '0', '#']];
const ROWS = [5, 6, 13, 19];
const COLS = [12, 16, 20];

async function rig(idleWake: boolean) {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  const matrix = new EmulatedKeyMatrix({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  const keypad = await openMatrixKeypad({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2, idleWake });
  const events: string[] = [];
  keypad.onKey((k, down) => events.push(`${k}${down ? 'v' : '^'}`));
  let writes = 0;
  for (const r of ROWS) gpio.onOutput(r, () => { writes++; });
  await keypad.start();
  return { clock, gpio, matrix, keypad, events, writes: () => { const w = writes; writes = 0; return w; } };
}

test('idleWake: no scanning while no key is down; a press wakes the scan loop, the release parks it again', async () => {
  const { clock, gpio, matrix, keypad, events, writes } = await rig(true);
  await clock.advance(50);
  writes();
  await clock.advance(1000);
  assert.equal(writes(), 0, 'rows untouched while idle');
  for (const r of ROWS) assert.equal(gpio.outputLevel(r), 0, 'all rows low while parked');
  matrix.press('5');
  await clock.advance(100);
  assert.deepEqual(events, ['5v']);
  assert.ok(writes() > 0, 'scanning while the key is down');
  matrix.press('9');
  await clock.advance(100);
  matrix.release('5');
  matrix.release('9');
  await clock.advance(100);
  assert.deepEqual(events, ['5v', '9v', '5^', '9^']);
  writes();
  await clock.advance(1000);
  assert.equal(writes(), 0, 'parked again after the release');
  await keypad.stop();
  for (const r of ROWS) assert.equal(gpio.outputLevel(r), 1, 'rows idle high after stop');
  matrix.press('1');
  await clock.advance(100);
  assert.deepEqual(events, ['5v', '9v', '5^', '9^'], 'nothing after stop');
});

test('idleWake: the same key reports as with a scan loop that never stops', async () => {
  for (const idle of [false, true]) {
    const { clock, matrix, events } = await rig(idle);
    await clock.advance(35);
    matrix.press('0');
    await clock.advance(60);
    matrix.release('0');
    await clock.advance(60);
    assert.deepEqual(events, ['0v', '0^'], `idleWake ${idle}`);
  }
});

test('without idleWake the scan loop runs all the time', async () => {
  const { clock, writes } = await rig(false);
  await clock.advance(50);
  writes();
  await clock.advance(100);
  assert.ok(writes() >= 8 * ROWS.length, 'two writes per row per scan');
});
