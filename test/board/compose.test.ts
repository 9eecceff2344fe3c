import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHalError } from '../../hal/api/index.js';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { loadBoardConfig, loadBoardConfigText } from '../../hal/board/load.js';
import { composeEmulatedDisplay, createEmulatedI2cBuses } from '../../hal/board/compose-display.js';
import { composeBoard } from '../../hal/board/compose.js';
import { readFileSync } from 'node:fs';

const LAPTOP = 'board-configs/laptop-emulated.yaml';

test('laptop board: text written through the real HD44780 driver shows on the emulated 20x4 LCD', async () => {
  const clock = new VirtualClock();
  const cfg = loadBoardConfig(LAPTOP);
  const buses = createEmulatedI2cBuses(cfg, clock);
  const { display, lcd } = composeEmulatedDisplay(cfg.display, buses, { clock, log: () => {} });
  assert.ok(lcd);
  assert.deepEqual([display.cols, display.rows], [20, 4]);
  const init = display.init(); await clock.advance(200); await init;
  const shown = display.show(['Line 1000', 'Ready', '', 'Redial NewCall']); await clock.advance(200); await shown;
  assert.deepEqual(lcd.screen(), ['Line 1000           ', 'Ready               ', '                    ', 'Redial NewCall      ']);
  assert.deepEqual(lcd.violations, []);
  assert.deepEqual(await buses.get(1)!.scan(), [0x27]);
  await display.close();
});

test('a non-default backpack pin map from the config reaches both the driver and the emulator', async () => {
  // Swap RS and E and move the backlight: if only one side used the config the text would be garbage.
  const text = readFileSync(LAPTOP, 'utf8').replace('  rows: 4\n', '  rows: 4\n  pins: {rs: P2, e: P0, backlight: P1, rw: P3}\n');
  const cfg = loadBoardConfigText('swapped.yaml', text);
  const clock = new VirtualClock();
  const buses = createEmulatedI2cBuses(cfg, clock);
  const { display, lcd } = composeEmulatedDisplay(cfg.display, buses, { clock, log: () => {} });
  const init = display.init(); await clock.advance(200); await init;
  const shown = display.show(['swapped pins']); await clock.advance(200); await shown;
  assert.equal(lcd!.screen()[0], 'swapped pins        ');
  // Backlight on = bit P1 set in the last byte the backpack latched.
  assert.equal((buses.get(1)!.transfers(0x27).at(-1)!.data.at(-1)! >> 1) & 1, 1);
  await display.close();
});

test('display on an address nobody answers: the emulated bus NACKs and the driver goes offline, not crash', async () => {
  const cfg = loadBoardConfig(LAPTOP);
  const clock = new VirtualClock();
  const buses = createEmulatedI2cBuses(cfg, clock);
  const logs: string[] = [];
  const { display, lcd } = composeEmulatedDisplay(cfg.display, buses, { clock, log: (m) => logs.push(m) });
  buses.get(1)!.setPresent(0x27, false);
  const init = display.init(); await clock.advance(200); await init;
  assert.equal(lcd!.screen().join('').trim(), '');
  assert.ok(logs.some((l) => /0x27/.test(l)), `expected an offline message naming 0x27, got ${JSON.stringify(logs)}`);
  await display.close();
});

test('hardware mode is refused with a clear HalError', async () => {
  const cfg = loadBoardConfig('board-configs/pi4-hd44780-matrix.yaml');
  await assert.rejects(composeBoard(cfg, { mode: 'hardware', clock: new VirtualClock() }), (e: unknown) => {
    assert.ok(isHalError(e, 'UNAVAILABLE'));
    assert.match((e as Error).message, /hardware bindings not available yet/);
    return true;
  });
});

test('SSD1306 boards are refused in emulation with the reason', () => {
  const cfg = loadBoardConfig('board-configs/pi-zero2w-ssd1306-mcp23017.yaml');
  const clock = new VirtualClock();
  assert.throws(() => composeEmulatedDisplay(cfg.display, createEmulatedI2cBuses(cfg, clock), { clock }),
    (e: unknown) => isHalError(e, 'UNAVAILABLE') && /SSD1306/.test((e as Error).message));
});

test('composing the whole laptop board names exactly the missing GPIO parts until they exist', async () => {
  const { composeEmulatedBoard } = await import('../../hal/board/compose.js');
  const cfg = loadBoardConfig(LAPTOP);
  const clock = new VirtualClock();
  await assert.rejects(composeEmulatedBoard(cfg, { clock, log: () => {} }), (e: unknown) =>
    isHalError(e, 'UNAVAILABLE') && /EmulatedGpioController.*MatrixKeypad, GpioHookSwitch, GpioLamp, GpioRinger/.test((e as Error).message));
  assert.equal(clock.pending(), 0, 'nothing left running after the failed compose');
});
