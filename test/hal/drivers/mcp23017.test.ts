import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHalError } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedI2cBus } from '../../../hal/emul/i2c-bus.js';
import { EmulatedMcp23017 } from '../../../hal/emul/mcp23017.js';
import { Mcp23017, MCP23017_REG } from '../../../hal/drivers/mcp23017.js';
import { Mcp23017Keypad } from '../../../hal/drivers/mcp23017-keypad.js';
import { openMatrixKeypad } from '../../../hal/drivers/matrix-keypad.js';
import { openGpioHookSwitch } from '../../../hal/drivers/hook-switch.js';

const KEYMAP = [['1', '2', '3', 'A'], ['4', '5', '6', 'B'], ['7', '8', '9', 'C'], ['*', '0', '#', 'D']];
const ROWS = [0, 1, 2, 3];   // GPA0-3 (board-configs/pi-zero2w-ssd1306-mcp23017.yaml)
const COLS = [4, 5, 6, 7];   // GPA4-7

function rig() {
  const clock = new VirtualClock();
  const bus = new EmulatedI2cBus({ clock });
  const emu = new EmulatedMcp23017();
  bus.attach(0x20, emu);
  const chip = new Mcp23017({ bus, address: 0x20, clock, logger: () => {} });
  const matrix = emu.attachKeyMatrix({ rows: ROWS, cols: COLS, keymap: KEYMAP });
  return { clock, bus, emu, chip, matrix };
}

test('GpioController: output latches before driving, input gets the pull-up; registers as in Table 3-5', async () => {
  const { emu, chip, bus } = rig();
  const lamp = await chip.openLine(8, { direction: 'out', initial: 1 });   // GPB0
  const hook = await chip.openLine(15, { direction: 'in', bias: 'pull-up' }); // GPB7
  assert.equal(emu.regs[MCP23017_REG.IOCON], 0);
  assert.equal(emu.regs[MCP23017_REG.OLATB]! & 1, 1);
  assert.equal(emu.regs[MCP23017_REG.IODIRB]! & 1, 0);
  assert.equal(emu.regs[MCP23017_REG.GPPUB]! & 0x80, 0x80);
  assert.equal(await hook.read(), 1);
  emu.drive(15, 0);
  assert.equal(await hook.read(), 0);
  await lamp.write(0);
  assert.equal(emu.pins() & 0x100, 0);
  const olatWrite = bus.transfers(0x20).findIndex((t) => t.data[0] === MCP23017_REG.OLATA);
  const iodirWrite = bus.transfers(0x20).findIndex((t, i) => i > olatWrite && t.data[0] === MCP23017_REG.IODIRA && t.data[2] !== 0xff);
  assert.ok(olatWrite >= 0 && iodirWrite > olatWrite, 'OLAT written before IODIR makes the pin an output');
  await assert.rejects(chip.openLine(8, { direction: 'in' }), (e: unknown) => isHalError(e, 'EBUSY'));
  await assert.rejects(chip.openLine(9, { direction: 'in', bias: 'pull-down' }), (e: unknown) => isHalError(e, 'INVALID') && /pull-ups/.test(e.hint ?? ''));
  assert.deepEqual(emu.violations, []);
});

test('the existing MatrixKeypad works unchanged over the MCP23017 lines', async () => {
  const { clock, chip, matrix, emu } = rig();
  const keypad = await openMatrixKeypad({ gpio: chip, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2 });
  const events: string[] = [];
  keypad.onKey((k, d) => events.push(`${k}${d ? 'v' : '^'}`));
  await keypad.start();
  await clock.advance(5);
  matrix.press('5');
  await clock.advance(60);
  matrix.release('5');
  matrix.press('D');
  await clock.advance(60);
  matrix.release('D');
  await clock.advance(60);
  assert.deepEqual(events, ['5v', '5^', 'Dv', 'D^']);
  assert.deepEqual(emu.violations, []);
});

test('Mcp23017Keypad: one IODIR write per row per scan, presses reported with debounce', async () => {
  const { clock, chip, matrix, bus, emu } = rig();
  const keypad = new Mcp23017Keypad({ chip, clock, rows: ROWS, cols: COLS, keymap: KEYMAP, scanIntervalMs: 10, debounceScans: 2 });
  const events: string[] = [];
  keypad.onKey((k, d) => events.push(`${k}${d ? 'v' : '^'}@${clock.now()}`));
  await keypad.start();
  await clock.advance(5);
  matrix.press('8');
  await clock.advance(100);
  assert.deepEqual(keypad.pressed(), ['8']);
  matrix.release('8');
  await clock.advance(100);
  assert.deepEqual(events, ['8v@20', '8^@120']);
  bus.clearLog();
  await clock.advance(10); // exactly one scan
  const writes = bus.transfers(0x20).filter((t) => t.op === 'write' && t.data[0] === MCP23017_REG.IODIRA && t.data.length === 3);
  assert.equal(writes.length, ROWS.length + 1, 'one write per row plus the idle restore');
  assert.deepEqual(emu.violations, []);
});

test('Mcp23017Keypad: two keys in one column do not short rows (unselected rows are inputs)', async () => {
  const { clock, chip, matrix, emu } = rig();
  const keypad = new Mcp23017Keypad({ chip, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  const down: string[] = [];
  keypad.onKey((k, d) => { if (d) down.push(k); });
  await keypad.start();
  matrix.press('2');
  matrix.press('5');
  await clock.advance(50);
  assert.deepEqual(down.sort(), ['2', '5']);
  assert.deepEqual(emu.violations, []);
});

test('Mcp23017Keypad: ghost rectangle suppressed', async () => {
  const { clock, chip, matrix } = rig();
  const keypad = new Mcp23017Keypad({ chip, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  const down: string[] = [];
  keypad.onKey((k, d) => { if (d) down.push(k); });
  await keypad.start();
  matrix.press('1'); await clock.advance(50);
  matrix.press('2'); await clock.advance(50);
  matrix.press('4'); await clock.advance(50); // '5' now reads pressed too (ghost)
  assert.ok(!down.includes('5'), `ghost reported: ${down.join(',')}`);
});

test('hook on GPB7 via GpioHookSwitch (polled watch) and recovery after the expander is replugged', async () => {
  const { clock, chip, emu, bus, matrix } = rig();
  const hook = await openGpioHookSwitch({ gpio: chip, clock, offset: 15, activeLow: true, debounceMs: 30 });
  const keypad = new Mcp23017Keypad({ chip, clock, rows: ROWS, cols: COLS, keymap: KEYMAP });
  const seen: boolean[] = [];
  const keys: string[] = [];
  hook.onChange((off) => seen.push(off));
  keypad.onKey((k, d) => { if (d) keys.push(k); });
  await hook.start();
  await keypad.start();
  emu.drive(15, 0); // contact closes to GND: off-hook with activeLow
  await clock.advance(100);
  assert.deepEqual(seen, [true]);
  bus.setPresent(0x20, false);
  await clock.advance(100);
  bus.setPresent(0x20, true); // back at power-on reset: all inputs, no pull-ups
  await clock.advance(100);
  assert.equal(emu.regs[MCP23017_REG.GPPUB]! & 0x80, 0x80, 'pull-up restored');
  matrix.press('#');
  await clock.advance(100);
  assert.deepEqual(keys, ['#']);
  emu.drive(15, undefined);
  await clock.advance(100);
  assert.equal(hook.isOffHook(), false);
});

test('constructor rejects non-MCP23017 addresses', () => {
  const clock = new VirtualClock();
  assert.throws(() => new Mcp23017({ bus: new EmulatedI2cBus({ clock }), address: 0x3c, clock }), (e: unknown) => isHalError(e, 'INVALID'));
});
