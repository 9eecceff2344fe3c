/**
 * The agent's taps for real boards (src/rig/bus-tap.ts), checked with the emulated devices as the
 * "real" hardware underneath: the screen decoded from the display driver's bus writes equals what
 * the display module shows, lamp/ringer modes come from the driver's line writes, and injected
 * contacts reach the real drivers through their debounce. Virtual time: exact and instant.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { composeDrivers } from '../../../hal/board/compose-drivers.js';
import { createEmulatedDevices } from '../../../hal/board/emulated-board.js';
import { loadBoardConfig } from '../../../hal/board/load.js';
import { ssd1306Text } from '../../../hal/board/screen-text.js';
import { tapPlatform } from '../../../src/rig/bus-tap.js';

async function tapped(file: string) {
  const clock = new VirtualClock();
  const config = loadBoardConfig(file);
  const dev = await createEmulatedDevices(config, clock);
  const taps = await tapPlatform(dev.platform, config, clock);
  const drivers = await composeDrivers(config, taps.platform, { clock, log: () => {} });
  const init = drivers.hardware.display.init();
  await clock.advance(200); // HD44780 power-on sequence (datasheet Figure 24: > 40 ms + waits)
  await init;
  return { clock, config, dev, taps, hw: drivers.hardware, close: async () => { taps.close(); await drivers.close(); } };
}

test('HD44780 behind a PCF8574: the screen decoded from the bus equals the module\'s', async () => {
  const b = await tapped('board-configs/pi4-hd44780-matrix.yaml');
  const show = b.hw.display.show(['12:00 Alice', 'Ring out 101', '', 'Redl End']);
  await b.clock.advance(100);
  await show;
  const grid = { cols: 20, rows: 4 };
  assert.deepEqual(b.taps.screen(grid), b.dev.lcd!.screen());
  assert.match(b.taps.screen(grid)[1]!, /^Ring out 101 +$/);
  await b.close();
});

test('SSD1306: the text decoded from the bus equals the panel\'s', async () => {
  const b = await tapped('board-configs/pi-zero2w-ssd1306-mcp23017.yaml');
  const show = b.hw.display.show(['Alice', 'Connected']);
  await b.clock.advance(100);
  await show;
  const grid = { cols: b.hw.display.cols, rows: b.hw.display.rows };
  assert.deepEqual(b.taps.screen(grid), ssd1306Text(b.dev.oled!, grid.cols, grid.rows));
  assert.match(b.taps.screen(grid)[1]!, /^Connected/);
  // Keys of a matrix on an MCP23017 are not injectable by the agent: the wired rig does them.
  assert.throws(() => b.taps.inject('5', true), /cannot be injected.*wired rig/);
  await b.close();
});

test('lamps and ringer are read from the driver\'s line writes', async () => {
  const b = await tapped('board-configs/pi4-hd44780-matrix.yaml');
  b.hw.lamps.line1!.set('blink');
  b.hw.ringer.ring('inside');
  await b.clock.advance(2500);
  assert.equal(b.taps.outputs.get('line1')!.lampMode(), 'blink');
  assert.equal(b.taps.outputs.get('ringer')!.ringMode(), 'inside');
  b.hw.lamps.line1!.set('on');
  b.hw.ringer.ring('off');
  await b.clock.advance(7000);
  assert.equal(b.taps.outputs.get('line1')!.lampMode(), 'on');
  assert.equal(b.taps.outputs.get('ringer')!.ringMode(), 'off');
  await b.close();
});

test('injected hook and keys reach the drivers through their debounce', async () => {
  const b = await tapped('board-configs/pi4-hd44780-matrix.yaml');
  const keys: string[] = [];
  b.hw.keypad.onKey((k, down) => keys.push(`${k}${down ? '+' : '-'}`));
  b.taps.inject('hook', true);
  await b.clock.advance(5); // inside the 30 ms debounce: not yet
  assert.equal(b.hw.hook.isOffHook(), false);
  await b.clock.advance(100);
  assert.equal(b.hw.hook.isOffHook(), true);
  b.taps.inject('5', true);
  await b.clock.advance(100);
  b.taps.inject('5', false);
  // Both debounces are 20 ms: released together, the two reports would tie; keep them apart.
  await b.clock.advance(50);
  b.taps.inject('softkey2', true);
  await b.clock.advance(100);
  b.taps.inject('softkey2', false);
  await b.clock.advance(100);
  assert.deepEqual(keys, ['5+', '5-', 'softkey2+', 'softkey2-']);
  b.taps.inject('hook', false);
  await b.clock.advance(100);
  assert.equal(b.hw.hook.isOffHook(), false);
  assert.throws(() => b.taps.inject('nope', true), /injectable: hook softkey1/);
  await b.close();
});

test('a key injected while the idle keypad is parked pulls its column: the edge wakes the scanner', async () => {
  const b = await tapped('board-configs/pi4-hd44780-matrix.yaml');
  const keys: string[] = [];
  b.hw.keypad.onKey((k, down) => keys.push(`${k}${down ? '+' : '-'}`));
  const config = b.config.keypad;
  assert.equal(config.type, 'matrix');
  const rows = config.type === 'matrix' ? config.rows.map((p) => (p as { gpio: number }).gpio) : [];
  let rowWrites = 0;
  for (const r of rows) b.dev.gpio.onOutput(r, () => { rowWrites++; });
  await b.clock.advance(600_000);
  assert.equal(rowWrites, 0, 'parked: no row driven for ten idle minutes');
  for (const r of rows) assert.equal(b.dev.gpio.outputLevel(r), 0, 'all rows low while parked');
  b.taps.inject('#', true);
  await b.clock.advance(100);
  assert.ok(rowWrites > 0, 'scanning while the injected key is held');
  b.taps.inject('#', false);
  await b.clock.advance(100);
  assert.deepEqual(keys, ['#+', '#-']);
  rowWrites = 0;
  await b.clock.advance(600_000);
  assert.equal(rowWrites, 0, 'parked again after the release');
  await b.close();
});
