import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { HalError, isHalError } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { listCharDevChips, listSysfsChips, resolveHeaderBase, sysfsNumber } from '../../../hal/bindings/gpio-chip-base.js';
import { openI2cBus, type I2cBusModule } from '../../../hal/bindings/i2c.js';
import { openSysfsGpio, type OnoffModule } from '../../../hal/bindings/gpio-sysfs.js';
import {
  gpiogetArgs, gpiomonArgs, gpiosetArgs, openCliGpio, openLibgpiodGpio, parseGpiodVersion, parseGpiomonLine,
} from '../../../hal/bindings/gpio-chardev.js';
import { openNodeHidHost, readReportDescriptor } from '../../../hal/bindings/hid.js';

const FIX = (name: string): string => fileURLToPath(new URL(`../../../../test/fixtures/${name}`, import.meta.url));
const REQUIRE_NATIVE = process.env['HAL_REQUIRE_NATIVE'] === '1';

test('chip base: Pi 4 tree resolves pinctrl-bcm2711 at 512, GPIO17 → 529', async () => {
  const root = FIX('sysfs/pi4-bookworm');
  const { base, chip } = await resolveHeaderBase(root);
  assert.equal(base, 512);
  assert.equal(chip.label, 'pinctrl-bcm2711');
  assert.equal(await sysfsNumber(17, root), 529);
  assert.deepEqual((await listCharDevChips(root)).map((c) => `${c.name}=${c.label}`), ['gpiochip0=pinctrl-bcm2711', 'gpiochip1=raspberrypi-exp-gpio']);
});

test('chip base: Pi 5 tree skips the four brcmstb chips, RP1 at 571, GPIO17 → 588, chardev gpiochip0', async () => {
  const root = FIX('sysfs/pi5-bookworm');
  assert.equal((await listSysfsChips(root)).length, 5);
  assert.equal((await resolveHeaderBase(root)).base, 571);
  assert.equal(await sysfsNumber(17, root), 588);
  const rp1 = (await listCharDevChips(root)).find((c) => c.label === 'pinctrl-rp1');
  assert.equal(rp1?.name, 'gpiochip0');
  await assert.rejects(sysfsNumber(54, root), (e: unknown) => isHalError(e, 'INVALID'));
});

test('chip base: missing tree is a HalError ENOENT pointing at the chardev binding', async () => {
  await assert.rejects(resolveHeaderBase('/nonexistent-root'), (e: unknown) =>
    isHalError(e, 'ENOENT') && /libgpiod/.test(e.hint ?? ''));
});

test('onoff binding exports base + BCM number (fake onoff module over the fixture trees)', async () => {
  for (const [tree, want] of [['pi4-bookworm', 529], ['pi5-bookworm', 588]] as const) {
    const made: number[] = [];
    const module: OnoffModule = {
      Gpio: class {
        constructor(n: number) { made.push(n); }
        async read() { return 1 as const; } async write() {} watch() {} unwatchAll() {} unexport() {}
      },
    };
    const gpio = await openSysfsGpio({ clock: new VirtualClock(), root: FIX(`sysfs/${tree}`), module, logger: () => {} });
    const line = await gpio.openLine(17, { direction: 'in', bias: 'pull-up' });
    assert.equal(await line.read(), 1);
    assert.deepEqual(made, [want]);
  }
});

test('onoff binding on this machine fails cleanly (no /sys/class/gpio)', async () => {
  await assert.rejects(openSysfsGpio({ clock: new VirtualClock() }), (e: unknown) =>
    e instanceof HalError && (e.code === 'ENOENT' || (!REQUIRE_NATIVE && e.code === 'UNAVAILABLE')) && !!e.hint);
});

test('i2c binding on this machine: loads, first transfer → ENOENT with the raspi-config hint', async () => {
  let bus;
  try { bus = await openI2cBus(1); } catch (e) {
    assert.ok(!REQUIRE_NATIVE && isHalError(e, 'UNAVAILABLE') && /i2c-bus/.test(e.message), String(e));
    return;
  }
  await assert.rejects(bus.write(0x27, Uint8Array.of(0)), (e: unknown) =>
    isHalError(e, 'ENOENT') && /raspi-config nonint do_i2c 0/.test(e.hint ?? '') && e.device === '/dev/i2c-1@0x27');
  await bus.close();
});

test('i2c binding maps EREMOTEIO to NACK and passes bytes through (fake module)', async () => {
  const writes: number[][] = [];
  const module: I2cBusModule = {
    async openPromisified() {
      return {
        async i2cWrite(addr: number, len: number, buf: Buffer) {
          if (addr === 0x3d) throw Object.assign(new Error('Remote I/O error'), { code: 'EREMOTEIO' });
          writes.push([addr, ...buf.subarray(0, len)]); return { bytesWritten: len };
        },
        async i2cRead(_a: number, len: number, buf: Buffer) { buf.fill(0xa5); return { bytesRead: len, buffer: buf }; },
        async scan() { return [0x3c]; }, async close() {},
      };
    },
  };
  const bus = await openI2cBus(1, { module });
  await bus.write(0x3c, Uint8Array.of(0x00, 0xaf));
  assert.deepEqual(writes, [[0x3c, 0x00, 0xaf]]);
  assert.deepEqual([...await bus.writeRead(0x3c, Uint8Array.of(0x12), 2)], [0xa5, 0xa5]);
  await assert.rejects(bus.write(0x3d, Uint8Array.of(0)), (e: unknown) => isHalError(e, 'NACK') && /i2cdetect/.test(e.hint ?? ''));
  assert.equal(bus.maxWriteBytes, 8192);
});

test('libgpiod binding on this machine fails cleanly (package or chip missing)', async () => {
  await assert.rejects(openLibgpiodGpio({ clock: new VirtualClock() }), (e: unknown) =>
    e instanceof HalError && ['UNAVAILABLE', 'ENOENT'].includes(e.code) && !!e.hint);
});

test('gpiod CLI: version detection and v1/v2 argument and output formats', async () => {
  assert.equal(parseGpiodVersion('gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski'), 1);
  assert.equal(parseGpiodVersion('gpiomon (libgpiod) v2.1.3'), 2);
  assert.equal(parseGpiodVersion('bash: gpiomon: command not found'), undefined);
  assert.deepEqual(gpiomonArgs(1, 'gpiochip0', 17, { bias: 'pull-up' }), ['-b', '-B', 'pull-up', '-F', '%o %e %s.%n', 'gpiochip0', '17']);
  assert.deepEqual(gpiomonArgs(2, 'gpiochip0', 17, { bias: 'pull-up' }), ['-c', 'gpiochip0', '-b', 'pull-up', '-F', '%o %e %S', '17']);
  assert.deepEqual(gpiogetArgs(2, 'gpiochip0', 4, {}), ['--numeric', '-c', 'gpiochip0', '4']);
  assert.deepEqual(gpiosetArgs(1, 'gpiochip0', 22, 1), ['--mode=signal', 'gpiochip0', '22=1']);
  assert.deepEqual(parseGpiomonLine(1, '17 0 1712345678.123456789'), { offset: 17, value: 0 });
  assert.deepEqual(parseGpiomonLine(2, '17 2 1712345678.123456789'), { offset: 17, value: 0 });
  assert.deepEqual(parseGpiomonLine(2, '17 1 5.0'), { offset: 17, value: 1 });
  assert.equal(parseGpiomonLine(1, 'garbage'), undefined);
});

test('gpiod CLI on this machine: tools or chip missing → HalError, no crash', async () => {
  await assert.rejects(openCliGpio({ clock: new VirtualClock() }), (e: unknown) =>
    e instanceof HalError && ['UNAVAILABLE', 'ENOENT'].includes(e.code) && !!e.hint);
});

test('node-hid binding on this machine: lists no devices; opening a hidraw path fails cleanly', async () => {
  let host;
  try { host = await openNodeHidHost(); } catch (e) {
    assert.ok(!REQUIRE_NATIVE && isHalError(e, 'UNAVAILABLE') && /node-hid/.test(e.message), String(e));
    return;
  }
  assert.deepEqual(await host.list(), []);
  await assert.rejects(host.open('/dev/hidraw0'), (e: unknown) => e instanceof HalError && ['ENOENT', 'EACCES'].includes(e.code));
});

test('report descriptor is read from /sys/class/hidraw/hidrawN/device/report_descriptor under the root', async () => {
  const d = await readReportDescriptor('/dev/hidraw3', FIX('hid/sysroot'));
  assert.equal(d[0], 0x05); // Usage Page item first
  await assert.rejects(readReportDescriptor('/dev/hidraw9', FIX('hid/sysroot')), (e: unknown) => isHalError(e, 'ENOENT'));
  await assert.rejects(readReportDescriptor('/dev/usb/hiddev0'), (e: unknown) => isHalError(e, 'INVALID'));
});
