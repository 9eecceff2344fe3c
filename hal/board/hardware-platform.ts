/**
 * The real-hardware BoardPlatform: hal/bindings adapters, opened lazily and once each.
 * - I2C: /dev/i2c-N must exist (i2c-bus opens the node per transfer, so a missing node would only
 *   show on the first transfer); then openI2cBus (hardware.md "i2c-bus").
 * - GPIO: the header chip through node-libgpiod, else the gpiod CLI, else onoff sysfs ('auto',
 *   hardware.md support matrix); chip and sysfs base are resolved by label in the bindings
 *   (gpio-chip-base.ts), never hard-coded.
 * - HID: one node-hid host shared by every `hid:` device.
 * Every failure is a HalError naming the config key and carrying the binding's hint.
 * The binding modules are imported when a device first needs one: compose.ts imports this file
 * for every board, and an emulated phone then never loads the GPIO bindings (and node:child_process
 * with them, for the gpiod CLI) or the I2C and HID ones.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { HalError, type Clock, type GpioController, type HidHost, type I2cBus } from '../api/index.js';
import type { CliGpioOptions, LibgpiodModule } from '../bindings/gpio-chardev.js';
import type { OnoffModule } from '../bindings/gpio-sysfs.js';
import type { NodeHidModule } from '../bindings/hid.js';
import type { I2cBusModule } from '../bindings/i2c.js';
import { atKey, type BoardPlatform } from './platform.js';
import type { BoardConfig } from './schema.js';

export type GpioBackend = 'auto' | 'libgpiod' | 'cli' | 'sysfs';

export interface HardwareBindingOptions {
  /** Root of /dev and /sys (tests: fixture trees); default "/". */
  root?: string;
  /** Header GPIO backend; default 'auto' (libgpiod, then gpiod CLI, then sysfs). */
  gpioBackend?: GpioBackend;
  /** Injected native modules (tests); default: the optional packages, loaded lazily. */
  modules?: { i2c?: I2cBusModule; libgpiod?: LibgpiodModule; onoff?: OnoffModule; hid?: NodeHidModule };
  /** Injected process runners for the gpiod CLI backend (tests). */
  cli?: Pick<CliGpioOptions, 'execFile' | 'spawn'>;
}

export function createHardwarePlatform(config: BoardConfig, opts: HardwareBindingOptions & { clock: Clock; log?: (m: string) => void }): BoardPlatform {
  const root = opts.root ?? '/';
  const mods = opts.modules ?? {};
  const buses = new Map<number, Promise<I2cBus>>();
  let gpio: Promise<GpioController> | undefined;
  let hid: Promise<HidHost> | undefined;
  /** Shared opens are remembered even when they fail, so each is attempted once per composition. */
  const once = async <T>(p: Promise<T>, key: string): Promise<T> => { try { return await p; } catch (e) { throw atKey(e, key, 'hardware'); } };

  const openBus = async (n: number): Promise<I2cBus> => {
    const { ENABLE_I2C_HINT, openI2cBus } = await import('../bindings/i2c.js');
    const node = join(root, 'dev', `i2c-${n}`);
    try { await fs.access(node); } catch {
      throw new HalError('ENOENT', `${node} does not exist`, { device: `/dev/i2c-${n}`, operation: 'open', hint: ENABLE_I2C_HINT });
    }
    return openI2cBus(n, mods.i2c ? { module: mods.i2c } : {});
  };

  const openGpio = async (): Promise<GpioController> => {
    const backend = opts.gpioBackend ?? 'auto';
    const { openCliGpio, openLibgpiodGpio } = await import('../bindings/gpio-chardev.js');
    const { openSysfsGpio } = await import('../bindings/gpio-sysfs.js');
    const tries: [GpioBackend, () => Promise<GpioController>][] = [
      ['libgpiod', () => openLibgpiodGpio({ clock: opts.clock, root, ...(mods.libgpiod ? { module: mods.libgpiod } : {}) })],
      ['cli', () => openCliGpio({ clock: opts.clock, root, ...opts.cli })],
      ['sysfs', () => openSysfsGpio({ clock: opts.clock, root, ...(mods.onoff ? { module: mods.onoff } : {}), ...(opts.log ? { logger: opts.log } : {}) })],
    ];
    const chosen = backend === 'auto' ? tries : tries.filter(([b]) => b === backend);
    const failures: { backend: GpioBackend; error: HalError }[] = [];
    for (const [name, open] of chosen) {
      try {
        const g = await open();
        if (failures.length) opts.log?.(`gpio: using the ${name} backend (${failures.map((f) => `${f.backend}: ${f.error.code}`).join(', ')})`);
        return g;
      } catch (e) {
        if (!(e instanceof HalError)) throw e;
        failures.push({ backend: name, error: e });
      }
    }
    if (failures.length === 1) throw failures[0]!.error;
    // Prefer what a present binding said about the machine (ENOENT, EACCES) over "package not installed".
    const telling = failures.find((f) => f.error.code !== 'UNAVAILABLE') ?? failures[0]!;
    throw new HalError(telling.error.code, `no GPIO backend could open the header chip: ${failures.map((f) => `${f.backend}: ${f.error.message}`).join('; ')}`, {
      device: 'GPIO header', operation: 'open', hint: telling.error.hint ?? 'run deskphone doctor on the Pi', cause: telling.error,
    });
  };

  return {
    mode: 'hardware',
    async i2cBus(n: number, key: string): Promise<I2cBus> {
      let p = buses.get(n);
      if (!p) { p = openBus(n); buses.set(n, p); p.catch(() => {}); }
      return once(p, key);
    },
    async headerGpio(key: string): Promise<GpioController> {
      if (config.board.model === 'laptop') {
        throw new HalError('INVALID', 'board.model "laptop" has no GPIO header', { device: key, operation: 'compose hardware board', hint: 'run laptop boards emulated (--emulated, deskphone sim)' });
      }
      if (!gpio) { gpio = openGpio(); gpio.catch(() => {}); }
      return once(gpio, key);
    },
    async hidHost(_id: string, key: string): Promise<HidHost> {
      if (!hid) {
        hid = import('../bindings/hid.js').then(({ openNodeHidHost }) => openNodeHidHost({ root, ...(mods.hid ? { module: mods.hid } : {}) }));
        hid.catch(() => {});
      }
      return once(hid, key);
    },
    async close(): Promise<void> {
      for (const p of buses.values()) { try { await (await p).close(); } catch { /* never opened */ } }
    },
  };
}
