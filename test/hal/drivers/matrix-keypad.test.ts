import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { EmulatedKeyMatrix } from '../../../hal/emul/keypad-matrix.js';
import { openMatrixKeypad } from '../../../hal/drivers/matrix-keypad.js';
import type { GpioController } from '../../../hal/api/index.js';

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

/** The emulated chip behind a wrapper that counts line reads and writes (every scan does both). */
function counted(gpio: EmulatedGpioController) {
  const n = { reads: 0, writes: 0 };
  const ctl: GpioController = {
    label: gpio.label, lineCount: gpio.lineCount, edgeEvents: gpio.edgeEvents,
    async openLine(offset, opts) {
      const l = await gpio.openLine(offset, opts);
      return { ...l, name: l.name, read: () => { n.reads++; return l.read(); }, write: (v) => { n.writes++; return l.write(v); }, watch: (cb) => l.watch(cb), close: () => l.close() };
    },
  };
  return { ctl, n, take: () => { const t = n.reads + n.writes; n.reads = 0; n.writes = 0; return t; } };
}

test('idleWake: an idle keypad touches no line for an hour and leaves no timer; a press wakes it', async () => {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  const matrix = new EmulatedKeyMatrix({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  const c = counted(gpio);
  const keypad = await openMatrixKeypad({ gpio: c.ctl, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2, idleWake: true });
  const events: string[] = [];
  keypad.onKey((k, down) => events.push(`${k}${down ? 'v' : '^'}`));
  await keypad.start();
  await clock.advance(20); // first scan: nothing down, parks
  c.take();
  await clock.advance(3_600_000);
  assert.equal(c.take(), 0, 'no line read or written in an hour of idle');
  assert.equal(clock.pending(), 0, 'no scan timer while parked');
  matrix.press('8');
  await clock.advance(30);
  assert.deepEqual(events, ['8v'], 'the press is reported after the debounce');
  assert.ok(c.n.reads > 0, 'scanning while the key is down');
  matrix.release('8');
  await clock.advance(50);
  assert.deepEqual(events, ['8v', '8^']);
  c.take();
  await clock.advance(3_600_000);
  assert.equal(c.take(), 0, 'parked again');
  await keypad.stop();
});

test('idleWake: a line fault while parking is logged once, the scan loop carries on and parks once the line recovers', async () => {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  const matrix = new EmulatedKeyMatrix({ gpio, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  let broken = false;
  const ctl: GpioController = {
    label: gpio.label, lineCount: gpio.lineCount, edgeEvents: true,
    async openLine(offset, opts) {
      const l = await gpio.openLine(offset, opts);
      return { ...l, name: l.name, read: () => l.read(), watch: (cb) => l.watch(cb), close: () => l.close(),
        write: async (v) => { if (broken) throw new Error(`GPIO${offset}: EIO`); await l.write(v); } };
    },
  };
  const logs: string[] = [];
  const keypad = await openMatrixKeypad({ gpio: ctl, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2, idleWake: true, logger: (m) => logs.push(m) });
  const events: string[] = [];
  keypad.onKey((k, down) => events.push(`${k}${down ? 'v' : '^'}`));
  await keypad.start();
  broken = true;
  await clock.advance(200);
  assert.equal(logs.length, 1, logs.join('\n'));
  assert.match(logs[0]!, /keypad: scan failed: GPIO5: EIO/);
  assert.ok(clock.pending() > 0, 'still scanning');
  broken = false;
  await clock.advance(50);
  assert.equal(clock.pending(), 0, 'parked after the line recovered');
  for (const r of ROWS) assert.equal(gpio.outputLevel(r), 0, 'rows low while parked');
  matrix.press('3');
  await clock.advance(30);
  assert.deepEqual(events, ['3v']);
  await keypad.stop();
});
