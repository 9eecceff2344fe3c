/**
 * hal/board/components/keypad-matrix.ts: the header-line matrix parks its scan loop while idle
 * only when the header chip's watch() is edge-event driven (GpioController.edgeEvents); over a
 * chip whose watch() polls (node-libgpiod 1.x) it keeps scanning. Virtual time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GpioController } from '../../../../hal/api/index.js';
import { VirtualClock } from '../../../../hal/emul/virtual-clock.js';
import { attachControls, createEmulatedDevices } from '../../../../hal/board/emulated-board.js';
import { composeDrivers } from '../../../../hal/board/compose-drivers.js';
import { loadBoardConfig } from '../../../../hal/board/load.js';

/** The pi4 board with its header chip behind a wrapper that counts reads of the keypad columns. */
async function pi4(edgeEvents: boolean) {
  const clock = new VirtualClock();
  const config = loadBoardConfig('board-configs/pi4-hd44780-matrix.yaml');
  const dev = await createEmulatedDevices(config, clock);
  const controls = await attachControls(config, dev, clock, () => 'off', () => ({ cols: 20, rows: 4 }));
  const cols = new Set(config.keypad.type === 'matrix' ? config.keypad.cols.map((p) => (p as { gpio: number }).gpio) : []);
  let reads = 0;
  const header: GpioController = {
    label: dev.gpio.label, lineCount: dev.gpio.lineCount, ...(edgeEvents ? { edgeEvents: true } : {}),
    async openLine(offset, opts) {
      const l = await dev.gpio.openLine(offset, opts);
      return cols.has(offset) ? { ...l, name: l.name, read: () => { reads++; return l.read(); }, write: (v) => l.write(v), watch: (cb) => l.watch(cb), close: () => l.close() } : l;
    },
  };
  const drivers = await composeDrivers(config, { ...dev.platform, headerGpio: async () => header }, { clock, log: () => {} });
  const keys: string[] = [];
  drivers.hardware.keypad.onKey((k, down) => keys.push(`${k}${down ? '+' : '-'}`));
  await clock.advance(300);
  return { clock, controls, keys, reads: () => { const r = reads; reads = 0; return r; }, close: () => drivers.close() };
}

test('edge-event header chip: the idle keypad reads no column for an hour, a key press still arrives', async () => {
  const b = await pi4(true);
  b.reads();
  await b.clock.advance(3_600_000);
  assert.equal(b.reads(), 0, 'parked: no column read while idle');
  const tap = b.controls.keypad.tap('5');
  await b.clock.advance(500);
  await tap;
  assert.deepEqual(b.keys, ['5+', '5-']);
  b.reads();
  await b.clock.advance(60_000);
  assert.equal(b.reads(), 0, 'parked again after the release');
  await b.close();
});

test('polled header chip (no edgeEvents): the keypad keeps scanning while idle', async () => {
  const b = await pi4(false);
  b.reads();
  await b.clock.advance(1000);
  // 100 scans of 4 rows x 4 columns at scanMs 10.
  assert.ok(b.reads() >= 1000, 'scan loop running');
  const tap = b.controls.keypad.tap('5');
  await b.clock.advance(500);
  await tap;
  assert.deepEqual(b.keys, ['5+', '5-']);
  await b.close();
});
