import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HalError, isHalError } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { loadBoardConfig } from '../../../hal/board/load.js';
import { composeBoard } from '../../../hal/board/compose.js';
import type { OnoffModule } from '../../../hal/bindings/gpio-sysfs.js';
import type { NodeHidModule } from '../../../hal/bindings/hid.js';
import { fakeI2c, fakeLibgpiod, fakeRoot } from '../../support/fake-bindings.js';

test('hardware pi4 board over node-libgpiod: header chip found by label, every configured BCM line requested, i2c-1 opened', async () => {
  const fx = fakeRoot(['sysfs/pi4-bookworm'], [1]);
  const i2c = fakeI2c();
  const { module: libgpiod, chips, lines } = fakeLibgpiod();
  try {
    const clock = new VirtualClock();
    const board = await composeBoard(loadBoardConfig('board-configs/pi4-hd44780-matrix.yaml'), {
      mode: 'hardware', clock, log: () => {}, bindings: { root: fx.root, gpioBackend: 'libgpiod', modules: { i2c: i2c.module, libgpiod } },
    });
    assert.equal('emulators' in board, false);
    assert.deepEqual(chips, [0], 'gpiochip0 carries the pinctrl-bcm2711 label in the Pi 4 tree');
    const byMode = (m: string): number[] => [...lines].filter(([, s]) => s.mode === m).map(([o]) => o).sort((a, b) => a - b);
    assert.deepEqual(byMode('out'), [5, 6, 13, 18, 19, 22, 23], 'keypad rows, buzzer, lamps');
    assert.deepEqual(byMode('in'), [12, 16, 17, 20, 21, 24, 25, 26, 27], 'keypad columns, hook, softkey buttons');
    assert.deepEqual(i2c.opened, [1]);
    const init = board.hardware.display.init(); await clock.advance(200); await init;
    assert.ok(i2c.writes.length >= 5 && i2c.writes.every((w) => w.addr === 0x27), `HD44780 backpack at 0x27: ${JSON.stringify(i2c.writes.map((w) => w.addr))}`);
    board.hardware.lamps['line1']!.set('on');
    assert.equal(lines.get(22)!.value, 1);
    await board.close();
    assert.ok([...lines.values()].every((l) => l.released), 'close releases every requested line');
    assert.equal(i2c.closed, 1);
    assert.equal(clock.pending(), 0);
  } finally { fx.done(); }
});

test('hardware pi5 board over onoff sysfs + node-hid: base 571 from the RP1 label, handset found by usage page', async () => {
  const fx = fakeRoot(['sysfs/pi5-bookworm', 'hid/sysroot'], [1]);
  const i2c = fakeI2c();
  const exported: number[] = [];
  const onoff: OnoffModule = {
    Gpio: class {
      constructor(n: number) { exported.push(n); }
      async read() { return 1 as const; } async write() {} watch() {} unwatchAll() {} unexport() {}
    },
  };
  const reports: ((b: Buffer) => void)[] = [];
  const outputs: number[][] = [];
  const hid: NodeHidModule = {
    async devicesAsync() {
      return [{ path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc52b, usagePage: 0x01 },
        { path: '/dev/hidraw3', vendorId: 0x1234, productId: 0x5678, usagePage: 0x0b, product: 'USB handset' }];
    },
    HIDAsync: {
      async open(path) {
        assert.equal(path, '/dev/hidraw3');
        return {
          on(ev: string, cb: (x: never) => void) { if (ev === 'data') reports.push(cb as (b: Buffer) => void); },
          async write(d: number[] | Buffer) { outputs.push([...d]); return d.length; },
          async close() {},
        };
      },
    },
  };
  try {
    const clock = new VirtualClock();
    const board = await composeBoard(loadBoardConfig('board-configs/pi5-usb-handset.yaml'), {
      mode: 'hardware', clock, log: () => {}, bindings: { root: fx.root, gpioBackend: 'sysfs', modules: { i2c: i2c.module, onoff, hid } },
    });
    assert.deepEqual(exported.sort((a, b) => a - b), [571 + 5, 571 + 6, 571 + 13, 571 + 19], 'softkey buttons GPIO5/6/13/19');
    assert.equal(reports.length, 1, 'the handset was opened');
    reports[0]!(Buffer.from([0x01, 0x01, 0x00])); // report 1: Hook Switch bit set (usb-handset.desc)
    assert.equal(board.hardware.hook.isOffHook(), true);
    assert.deepEqual(outputs.at(-1), [0x02, 0x01], 'Off-Hook LED answered in output report 2');
    await board.close();
  } finally { fx.done(); }
});

test('hardware mode on this machine fails with a HalError naming the config key, never a crash', async () => {
  for (const file of ['pi4-hd44780-matrix.yaml', 'pi-zero2w-ssd1306-mcp23017.yaml', 'pi5-usb-handset.yaml']) {
    const clock = new VirtualClock();
    await assert.rejects(composeBoard(loadBoardConfig(`board-configs/${file}`), { mode: 'hardware', clock, log: () => {}, bindings: { root: '/nonexistent-root' } }),
      (e: unknown) => {
        assert.ok(e instanceof HalError, String(e));
        assert.match(e.message, /^display\.bus: compose hardware board: \/dev\/i2c-1: open: .*i2c-1 does not exist/);
        assert.match(e.hint ?? '', /raspi-config|i2c_arm/);
        return true;
      });
    assert.equal(clock.pending(), 0);
  }
});

test('hardware mode: a missing GPIO chip is reported at the first header pin with every backend tried', async () => {
  const fx = fakeRoot([], [1]); // /dev/i2c-1 but no /dev/gpiochip* and no /sys/class/gpio
  const i2c = fakeI2c();
  try {
    const clock = new VirtualClock();
    await assert.rejects(composeBoard(loadBoardConfig('board-configs/pi4-hd44780-matrix.yaml'), {
      mode: 'hardware', clock, log: () => {},
      bindings: { root: fx.root, modules: { i2c: i2c.module }, cli: { execFile: async () => { throw Object.assign(new Error('spawn gpiomon ENOENT'), { code: 'ENOENT' }); } } },
    }), (e: unknown) => {
      assert.ok(isHalError(e));
      assert.match(e.message, /^keypad\.rows\[0\]: compose hardware board: GPIO header: open: no GPIO backend could open the header chip: libgpiod: .*; cli: .*; sysfs: /);
      return true;
    });
    assert.equal(i2c.closed, 1, 'the display bus opened before the failure is closed again');
  } finally { fx.done(); }
});
