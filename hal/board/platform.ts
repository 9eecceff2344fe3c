/**
 * What a board composition needs from the machine it runs on: I2C adapters, the header GPIO chip
 * and a HID host. The emulated platform hands out hal/emul devices, the hardware platform the
 * hal/bindings adapters; compose-drivers.ts builds the same real drivers on either.
 */
import { HalError, isHalError, type Clock, type GpioController, type GpioLine, type GpioLineOptions, type HidHost, type I2cBus } from '../api/index.js';

export interface ComposeOptions {
  clock: Clock;
  /** Driver status messages (display offline/online ...); default console.warn. */
  log?: (message: string) => void;
}

export interface BoardPlatform {
  readonly mode: 'emulated' | 'hardware';
  /** /dev/i2c-N; `key` is the config key asking (for errors). */
  i2cBus(bus: number, key: string): Promise<I2cBus>;
  /** The 40-pin header chip, offsets = BCM GPIO numbers. */
  headerGpio(key: string): Promise<GpioController>;
  /** The HID host on which device `id` (config `hid:`) is looked for. */
  hidHost(id: string, key: string): Promise<HidHost>;
  close(): Promise<void>;
}

/** Raw message of a HalError (its text without the "device: operation: " prefix and hint suffix). */
function bareMessage(e: HalError): string {
  let m = e.message;
  const prefix = `${e.device}: ${e.operation}: `;
  if (m.startsWith(prefix)) m = m.slice(prefix.length);
  const suffix = e.hint ? ` (hint: ${e.hint})` : '';
  if (suffix && m.endsWith(suffix)) m = m.slice(0, -suffix.length);
  return m;
}

/**
 * Re-labels a failure with the config key that caused it:
 * `hook.pin: compose hardware board: /dev/gpiochip0 line 17: request: busy (hint: ...)`.
 * Errors already labelled by a config key pass through unchanged.
 */
export function atKey(e: unknown, key: string, mode: BoardPlatform['mode']): HalError {
  const operation = `compose ${mode} board`;
  if (isHalError(e)) {
    if (e.operation === operation) return e;
    const inner = e.device === key ? bareMessage(e) : `${e.device}: ${e.operation}: ${bareMessage(e)}`;
    return new HalError(e.code, inner, { device: key, operation, ...(e.hint ? { hint: e.hint } : {}), cause: e });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new HalError('EIO', msg, { device: key, operation, hint: 'unexpected failure while composing the board; see the cause', cause: e });
}

/** A GpioController that remembers every line it opened, so close() releases them (CLI child processes, chardev requests). */
export class TrackedGpio implements GpioController {
  private readonly open = new Set<GpioLine>();
  constructor(readonly inner: GpioController) {}
  get label(): string { return this.inner.label; }
  get lineCount(): number { return this.inner.lineCount; }
  get edgeEvents(): boolean { return this.inner.edgeEvents === true; }
  async openLine(offset: number, opts: GpioLineOptions): Promise<GpioLine> {
    const line = await this.inner.openLine(offset, opts);
    this.open.add(line);
    return {
      name: line.name, read: () => line.read(), write: (v) => line.write(v), watch: (cb) => line.watch(cb),
      close: async () => { if (this.open.delete(line)) await line.close(); },
    };
  }
  async closeAll(): Promise<void> {
    for (const l of [...this.open]) { this.open.delete(l); await l.close().catch(() => {}); }
  }
}
