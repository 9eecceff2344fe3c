import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHalError } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { loadBoardConfig, loadBoardConfigText } from '../../../hal/board/load.js';
import { composeEmulatedBoard, type EmulatedBoard } from '../../../hal/board/compose.js';
import { readFileSync } from 'node:fs';

const LAPTOP = 'board-configs/laptop-emulated.yaml';

async function initDisplay(board: EmulatedBoard, clock: VirtualClock): Promise<void> {
  const init = board.hardware.display.init(); await clock.advance(200); await init;
}

test('laptop board: text written through the real HD44780 driver shows on the emulated 20x4 LCD', async () => {
  const clock = new VirtualClock();
  const board = await composeEmulatedBoard(loadBoardConfig(LAPTOP), { clock, log: () => {} });
  const { display } = board.hardware;
  const lcd = board.emulators.lcd;
  assert.ok(lcd);
  assert.deepEqual([display.cols, display.rows], [20, 4]);
  await initDisplay(board, clock);
  const shown = display.show(['Line 1000', 'Ready', '', 'Redial NewCall']); await clock.advance(200); await shown;
  assert.deepEqual(lcd.screen(), ['Line 1000           ', 'Ready               ', '                    ', 'Redial NewCall      ']);
  assert.deepEqual(board.emulators.screen(), lcd.screen());
  assert.deepEqual(lcd.violations, []);
  assert.deepEqual(await board.emulators.i2c.scan(), [0x27]);
  await board.close();
});

test('a non-default backpack pin map from the config reaches both the driver and the emulator', async () => {
  // Swap RS and E and move the backlight: if only one side used the config the text would be garbage.
  const text = readFileSync(LAPTOP, 'utf8').replace('  rows: 4\n', '  rows: 4\n  pins: {rs: P2, e: P0, backlight: P1, rw: P3}\n');
  const cfg = loadBoardConfigText('swapped.yaml', text);
  const clock = new VirtualClock();
  const board = await composeEmulatedBoard(cfg, { clock, log: () => {} });
  await initDisplay(board, clock);
  const shown = board.hardware.display.show(['swapped pins']); await clock.advance(200); await shown;
  assert.equal(board.emulators.screen()[0], 'swapped pins        ');
  // Backlight on = bit P1 set in the last byte the backpack latched.
  assert.equal((board.emulators.i2c.transfers(0x27).at(-1)!.data.at(-1)! >> 1) & 1, 1);
  await board.close();
});

test('display on an address nobody answers: the emulated bus NACKs and the driver goes offline, not crash', async () => {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const board = await composeEmulatedBoard(loadBoardConfig(LAPTOP), { clock, log: (m) => logs.push(m) });
  board.emulators.i2c.setPresent(0x27, false);
  await initDisplay(board, clock);
  assert.equal(board.emulators.screen().join('').trim(), '');
  assert.ok(logs.some((l) => /0x27/.test(l)), `expected an offline message naming 0x27, got ${JSON.stringify(logs)}`);
  await board.close();
});

async function laptopBoard() {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const board = await composeEmulatedBoard(loadBoardConfig(LAPTOP), { clock, log: (m) => logs.push(m) });
  return { clock, board, logs };
}

test('whole laptop board: LCD text through hardware.display', async () => {
  const { clock, board } = await laptopBoard();
  const hw = board.hardware;
  assert.equal(hw.softkeyCount, 4);
  const init = hw.display.init(); await clock.advance(200); await init;
  const shown = hw.display.show(['12:00  Line 1000', '', '', 'Redial NewCall']); await clock.advance(100); await shown;
  assert.equal(board.emulators.lcd!.screen()[0], '12:00  Line 1000    ');
  assert.equal(board.emulators.lcd!.screen()[3], 'Redial NewCall      ');
  await board.close();
});

test('whole laptop board: emulated key presses arrive at hardware.keypad, debounced, by name', async () => {
  const { clock, board } = await laptopBoard();
  const events: string[] = [];
  board.hardware.keypad.onKey((k, down) => events.push(`${k}${down ? '+' : '-'}`));
  board.emulators.keypad.press('5');
  await clock.advance(5);
  assert.deepEqual(events, [], 'a 5 ms press is still inside the 20 ms debounce');
  await clock.advance(60);
  board.emulators.keypad.release('5');
  await clock.advance(60);
  const tap = board.emulators.keypad.tap('softkey3'); await clock.advance(400); await tap;
  const tap2 = board.emulators.keypad.tap('#'); await clock.advance(400); await tap2;
  assert.deepEqual(events, ['5+', '5-', 'softkey3+', 'softkey3-', '#+', '#-']);
  assert.throws(() => board.emulators.keypad.press('E'), /no key "E" on this board/);
  await board.close();
});

test('whole laptop board: hook lift and replace arrive at hardware.hook after debounce', async () => {
  const { clock, board } = await laptopBoard();
  const hook = board.hardware.hook;
  const seen: boolean[] = [];
  hook.onChange((off) => seen.push(off));
  assert.equal(hook.isOffHook(), false);
  board.emulators.hook.lift();
  await clock.advance(10);
  assert.equal(hook.isOffHook(), false, 'not before the 30 ms debounce');
  await clock.advance(50);
  assert.equal(hook.isOffHook(), true);
  board.emulators.hook.replace();
  await clock.advance(60);
  assert.deepEqual(seen, [true, false]);
  // Physical wiring from the config: gpio17 pulled up, contact to GND when off hook.
  assert.equal(board.emulators.gpio.lineOptions(17)?.bias, 'pull-up');
  await board.close();
});

test('whole laptop board: lamp and ringer modes set on the drivers are read back from the emulated wires', async () => {
  const { clock, board } = await laptopBoard();
  const { lamps, ringer } = board.hardware;
  const em = board.emulators;
  assert.deepEqual(Object.keys(em.lamps).sort(), ['line1', 'line2', 'message', 'speeddial1', 'speeddial2']);
  lamps['line1']!.set('on');
  lamps['message']!.set('blink');
  lamps['line2']!.set('flash');
  await clock.advance(3000);
  assert.equal(em.lamps['line1']!(), 'on');
  assert.equal(em.lamps['message']!(), 'blink');
  assert.equal(em.lamps['line2']!(), 'flash');
  assert.equal(em.gpio.outputLevel(22), 1, 'line1 lamp is gpio22 in the config, driven high');
  lamps['message']!.set('off');
  await clock.advance(3000);
  assert.equal(em.lamps['message']!(), 'off');
  assert.equal(em.ringer(), 'off');
  ringer.ring('outside');
  await clock.advance(3000);
  assert.equal(em.ringer(), 'outside');
  ringer.ring('off');
  await clock.advance(10_000);
  assert.equal(em.ringer(), 'off');
  await board.close();
});

test('a board whose pins the emulator cannot provide fails with the key path, and leaves nothing running', async () => {
  const clock = new VirtualClock();
  const text = readFileSync(LAPTOP, 'utf8')
    .replace('i2c:\n  - bus: 1\n', 'i2c:\n  - bus: 1\nexpanders:\n  - {id: px, type: pcf8574, bus: 1, address: 0x21}\n')
    .replace('  pin: gpio17\n', '  pin: px:P7\n');
  const cfg = loadBoardConfigText('x.yaml', text);
  await assert.rejects(composeEmulatedBoard(cfg, { clock, log: () => {} }), (e: unknown) =>
    isHalError(e, 'UNAVAILABLE') && /^hook\.pin: compose emulated board: pcf8574 pin px:P7 cannot be emulated yet/.test((e as Error).message));
  assert.equal(clock.pending(), 0);
});

test('pi4 board: direct softkey buttons merge into hardware.keypad', async () => {
  const clock = new VirtualClock();
  const board = await composeEmulatedBoard(loadBoardConfig('board-configs/pi4-hd44780-matrix.yaml'), { clock, log: () => {} });
  const events: string[] = [];
  board.hardware.keypad.onKey((k, down) => events.push(`${k}${down ? '+' : '-'}`));
  const t1 = board.emulators.keypad.tap('softkey2'); await clock.advance(500); await t1;
  const t2 = board.emulators.keypad.tap('7'); await clock.advance(500); await t2;
  assert.deepEqual(events, ['softkey2+', 'softkey2-', '7+', '7-']);
  await board.close();
});
