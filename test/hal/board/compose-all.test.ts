import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { loadBoardConfig, loadBoardConfigText } from '../../../hal/board/load.js';
import { composeBoard, composeEmulatedBoard, type EmulatedBoard } from '../../../hal/board/compose.js';
import { readFileSync } from 'node:fs';

const ZERO = 'board-configs/pi-zero2w-ssd1306-mcp23017.yaml';
const PI5 = 'board-configs/pi5-usb-handset.yaml';

async function boot(file: string): Promise<{ clock: VirtualClock; board: EmulatedBoard; logs: string[] }> {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const board = await composeBoard(loadBoardConfig(file), { mode: 'emulated', clock, log: (m) => logs.push(m) });
  const init = board.hardware.display.init(); await clock.advance(200); await init;
  return { clock, board, logs };
}

async function keyEvents(board: EmulatedBoard, clock: VirtualClock, keys: string[]): Promise<string[]> {
  const events: string[] = [];
  const off = board.hardware.keypad.onKey((k, down) => events.push(`${k}${down ? '+' : '-'}`));
  for (const k of keys) { const t = board.emulators.keypad.tap(k); await clock.advance(600); await t; }
  off();
  return events;
}

test('zero 2 W board: text through the real SSD1306 driver is read back off the emulated OLED pixels', async () => {
  const { clock, board } = await boot(ZERO);
  const { display } = board.hardware;
  assert.deepEqual([display.cols, display.rows], [21, 8]);
  const shown = display.show(['12:00   Line 1000', 'Ready', '', '', '', '', '', 'Redial NewCall {|}→°']); await clock.advance(100); await shown;
  const screen = board.emulators.screen();
  assert.equal(screen.length, 8);
  assert.equal(screen[0], '12:00   Line 1000    ');
  assert.equal(screen[1], 'Ready                ');
  assert.equal(screen[7], 'Redial NewCall {|}→° ', 'A00 codes 0x7E and 0xDF, as on the HD44780');
  assert.equal(board.emulators.lcd, undefined);
  assert.deepEqual(board.emulators.oled!.violations, []);
  assert.deepEqual(await board.emulators.i2c.scan(), [0x20, 0x3c], 'MCP23017 at 0x20 and the OLED at 0x3C on i2c-1');
  await board.close();
});

test('zero 2 W board: matrix keys and softkey buttons on the MCP23017 arrive at hardware.keypad', async () => {
  const { clock, board } = await boot(ZERO);
  assert.deepEqual(await keyEvents(board, clock, ['5', 'D', 'softkey1', '*']), ['5+', '5-', 'D+', 'D-', 'softkey1+', 'softkey1-', '*+', '*-']);
  const mcp = board.emulators.expanders.get('kp')!;
  assert.deepEqual(mcp.violations, []);
  // Columns GPA4..7 pulled up (GPPUA, DS20001952C §3.5.7); softkeys GPB0..3, headset GPB6, hook GPB7 too.
  assert.equal(mcp.regs[0x0c]! & 0xf0, 0xf0);
  assert.equal(mcp.regs[0x0d], 0b1100_1111);
  await board.close();
});

test('zero 2 W board: hook and headset contacts on the MCP23017, lamps and buzzer on header GPIOs', async () => {
  const { clock, board } = await boot(ZERO);
  const hw = board.hardware;
  board.emulators.hook.lift();
  board.emulators.headset!.lift();
  await clock.advance(100);
  assert.equal(hw.hook.isOffHook(), true);
  assert.equal(hw.headsetDetect!.isOffHook(), true);
  board.emulators.hook.replace();
  await clock.advance(100);
  assert.equal(hw.hook.isOffHook(), false);
  hw.lamps['mute']!.set('blink');
  hw.ringer.ring('inside');
  await clock.advance(3000);
  assert.equal(board.emulators.lamps['mute']!(), 'blink');
  assert.equal(board.emulators.ringer(), 'inside');
  assert.equal(board.emulators.gpio.lineOptions(24)?.consumer, 'lamp mute');
  await board.close();
  assert.equal(clock.pending(), 0, 'close stops every poll, scan and cadence');
});

test('pi 5 board: the USB handset gives keys, hook, lamps and ringer through the real HidHandset', async () => {
  const { clock, board } = await boot(PI5);
  const hw = board.hardware;
  const handset = board.emulators.hid.get('handset')!;
  assert.equal(handset.openHandles, 1);
  assert.deepEqual(await keyEvents(board, clock, ['7', '#', 'softkey4']), ['7+', '7-', '#+', '#-', 'softkey4+', 'softkey4-']);
  board.emulators.hook.lift();
  await clock.advance(10);
  assert.equal(hw.hook.isOffHook(), true);
  assert.equal(handset.led('off-hook'), true, 'the host answers a hook change with the Off-Hook LED');
  board.emulators.hook.replace();
  await clock.advance(10);
  assert.equal(hw.hook.isOffHook(), false);
  hw.lamps['mute']!.set('on');
  hw.ringer.ring('outside');
  await clock.advance(3000);
  assert.equal(board.emulators.lamps['mute']!(), 'on');
  assert.equal(handset.led('mute'), true);
  assert.equal(board.emulators.ringer(), 'outside', 'ring cadence read back off the Ring LED reports');
  hw.ringer.ring('off');
  await clock.advance(10_000);
  assert.equal(board.emulators.ringer(), 'off');
  assert.match(board.emulators.screen()[0]!, /^ {21}$/);
  await board.close();
  assert.equal(handset.openHandles, 0);
});

test('expander contacts wired active-high use an external pull-down (the MCP23017 has none)', async () => {
  const text = readFileSync(ZERO, 'utf8').replace('  pin: kp:GPB7\n', '  pin: kp:GPB7\n  activeLow: false\n');
  const clock = new VirtualClock();
  const board = await composeEmulatedBoard(loadBoardConfigText('hi.yaml', text), { clock, log: () => {} });
  assert.equal(board.hardware.hook.isOffHook(), false);
  board.emulators.hook.lift();
  await clock.advance(100);
  assert.equal(board.hardware.hook.isOffHook(), true);
  assert.equal((board.emulators.expanders.get('kp')!.regs[0x0d]! >> 7) & 1, 0, 'no internal pull-up on GPB7');
  await board.close();
});
