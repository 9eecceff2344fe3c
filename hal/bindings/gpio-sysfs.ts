/**
 * LEGACY GpioController over the sysfs interface through `onoff` (docs/hardware.md §3, §7):
 * - numbers are computed as chip base + BCM offset (gpio-chip-base.ts), never hard-coded;
 * - sysfs is deprecated, restricted or gone on Trixie (fivdi/onoff#206) and onoff will not move
 *   to the chardev (fivdi/onoff#118, #205): prefer gpio-chardev.ts;
 * - sysfs cannot set bias: pull-ups come from config.txt (`gpio=17=ip,pu`) or the board;
 * - `Gpio.accessible` only means "export is writable", not "GPIO works": it is not used.
 * onoff hard-codes /sys/class/gpio, so `root` only moves the chip-base lookup (for tests).
 */
import { HalError, type Bit, type Clock, type GpioController, type GpioLine, type GpioLineOptions } from '../api/index.js';
import { resolveHeaderBase } from './gpio-chip-base.js';
import { errnoCode, loadNative } from './native.js';

interface OnoffGpio {
  read(): Promise<Bit>;
  write(v: Bit): Promise<void>;
  watch(cb: (err: Error | null | undefined, value: Bit) => void): void;
  unwatchAll(): void;
  unexport(): void;
}
export interface OnoffModule {
  Gpio: new (n: number, direction: string, edge?: string, opts?: { activeLow?: boolean }) => OnoffGpio;
}

export interface SysfsGpioOptions {
  clock: Clock;
  /** Root of the /sys tree used to resolve the chip base (tests); default "/". */
  root?: string;
  module?: OnoffModule;
  logger?: (message: string) => void;
}

export function mapGpioErrno(errno: string | undefined): { code: 'ENOENT' | 'EACCES' | 'EBUSY' | 'INVALID' | 'EIO'; hint: string } {
  switch (errno) {
    case 'ENOENT': return { code: 'ENOENT', hint: 'no GPIO here (not a Raspberry Pi, or sysfs GPIO removed); use the libgpiod binding' };
    case 'EACCES': case 'EPERM': return { code: 'EACCES', hint: 'add yourself to the gpio group: sudo usermod -aG gpio $USER' };
    case 'EBUSY': return { code: 'EBUSY', hint: 'line already used by a kernel driver or another process (gpioinfo shows the consumer)' };
    case 'EINVAL': return { code: 'INVALID', hint: 'kernel >= 6.6 needs base + BCM number; check /sys/class/gpio/gpiochip*/base' };
    default: return { code: 'EIO', hint: 'unexpected sysfs GPIO failure; check dmesg' };
  }
}

export async function openSysfsGpio(opts: SysfsGpioOptions): Promise<GpioController> {
  const mod = opts.module ?? await loadNative<OnoffModule>('onoff', '/sys/class/gpio');
  const { base, chip } = await resolveHeaderBase(opts.root ?? '/');
  return new SysfsGpioController(opts, mod, base, chip.label, chip.ngpio);
}

class SysfsGpioController implements GpioController {
  readonly label: string;
  /** onoff's watch() waits in epoll for the value file's edge interrupt (inputs are exported with edge "both"). */
  readonly edgeEvents = true;
  constructor(private readonly o: SysfsGpioOptions, private readonly mod: OnoffModule,
    private readonly base: number, chipLabel: string, readonly lineCount: number) {
    this.label = `sysfs:${chipLabel}`;
  }

  async openLine(offset: number, opts: GpioLineOptions): Promise<GpioLine> {
    const n = this.base + offset;
    const device = `sysfs gpio${n} (GPIO${offset})`;
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.lineCount) {
      throw new HalError('INVALID', `offset ${offset} outside 0..${this.lineCount - 1}`, { device, operation: 'open' });
    }
    if (opts.bias && opts.bias !== 'disable') {
      (this.o.logger ?? console.warn)(`${device}: sysfs cannot set bias "${opts.bias}"; set it in config.txt (gpio=${offset}=ip,${opts.bias === 'pull-up' ? 'pu' : 'pd'})`);
    }
    const dir = opts.direction === 'in' ? 'in' : (opts.initial === 1) !== (opts.activeLow === true) ? 'high' : 'low';
    let g: OnoffGpio;
    try {
      g = new this.mod.Gpio(n, dir, opts.direction === 'in' ? 'both' : undefined, { activeLow: opts.activeLow ?? false });
    } catch (e) {
      const m = mapGpioErrno(errnoCode(e));
      throw new HalError(m.code, e instanceof Error ? e.message : String(e), { device, operation: 'export', hint: m.hint, cause: e });
    }
    const clock = this.o.clock;
    const watchers = new Set<(v: Bit, at: number) => void>();
    let watching = false;
    const io = async <T>(operation: string, f: () => Promise<T>): Promise<T> => {
      try { return await f(); } catch (e) {
        const m = mapGpioErrno(errnoCode(e));
        throw new HalError(m.code, e instanceof Error ? e.message : String(e), { device, operation, hint: m.hint, cause: e });
      }
    };
    return {
      name: `GPIO${offset}`,
      read: () => io('read', () => g.read()),
      write: (v: Bit) => io('write', () => g.write(v)),
      watch(cb) {
        watchers.add(cb);
        if (!watching) {
          watching = true;
          g.watch((err, value) => { if (!err) for (const w of [...watchers]) w(value, clock.now()); });
        }
        return () => { watchers.delete(cb); };
      },
      async close() { try { g.unwatchAll(); g.unexport(); } catch { /* already gone */ } },
    };
  }
}
