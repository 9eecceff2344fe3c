/**
 * I2cBus on Linux i2c-dev through the optional `i2c-bus` package (promisified API). Plain
 * i2cWrite/i2cRead are used so bursts are not limited to the 32-byte SMBus block size
 * (docs/hardware.md §2, §7). `openPromisified(1)` succeeds even without /dev/i2c-1: the device
 * file is opened per transfer, so missing hardware surfaces as ENOENT on the first transfer.
 */
import { HalError, type HalErrorCode, type I2cBus } from '../api/index.js';
import { errnoCode, loadNative } from './native.js';

/** The subset of i2c-bus's PromisifiedBus used here (so tests can inject a fake module). */
export interface PromisifiedI2c {
  i2cWrite(addr: number, length: number, buf: Buffer): Promise<{ bytesWritten: number }>;
  i2cRead(addr: number, length: number, buf: Buffer): Promise<{ bytesRead: number; buffer: Buffer }>;
  scan(): Promise<number[]>;
  close(): Promise<void>;
}
export interface I2cBusModule { openPromisified(bus: number, opts?: { forceAccess?: boolean }): Promise<PromisifiedI2c> }

export const ENABLE_I2C_HINT = 'enable I2C: sudo raspi-config nonint do_i2c 0, or dtparam=i2c_arm=on in /boot/firmware/config.txt, then reboot';
export const I2C_GROUP_HINT = 'add yourself to the i2c group: sudo usermod -aG i2c $USER (log out and in)';
/** Linux i2c-dev caps one read()/write() at 8192 bytes (drivers/i2c/i2c-dev.c: count > 8192). */
const I2C_DEV_MAX_TRANSFER = 8192;

const hex2 = (a: number): string => `0x${a.toString(16).padStart(2, '0')}`;

/** Maps an errno from i2c-dev to the HAL contract (HalErrorCode + hint). */
export function mapI2cErrno(errno: string | undefined): { code: HalErrorCode; hint: string } {
  switch (errno) {
    case 'ENOENT': return { code: 'ENOENT', hint: ENABLE_I2C_HINT };
    case 'EACCES': case 'EPERM': return { code: 'EACCES', hint: I2C_GROUP_HINT };
    // i2c-bcm2835 reports a missing ACK as EREMOTEIO; other adapters use ENXIO (i2c fault-codes.rst).
    case 'EREMOTEIO': case 'ENXIO':
      return { code: 'NACK', hint: 'no device acknowledged: check wiring, power and the address (i2cdetect -y 1)' };
    case 'EIO': return { code: 'EIO', hint: 'bus error or device absent: check wiring, pull-ups and the address (i2cdetect -y 1)' };
    case 'EBUSY': return { code: 'EBUSY', hint: 'a kernel driver owns this address (check dtoverlay lines) or use forceAccess' };
    default: return { code: 'EIO', hint: 'unexpected I2C failure; check dmesg' };
  }
}

export interface OpenI2cOptions {
  /** Injected module (tests); default is `await import('i2c-bus')`. */
  module?: I2cBusModule;
}

export async function openI2cBus(busNumber: number, opts: OpenI2cOptions = {}): Promise<I2cBus> {
  const name = `i2c-${busNumber}`;
  const mod = opts.module ?? await loadNative<I2cBusModule>('i2c-bus', `/dev/${name}`);
  let raw: PromisifiedI2c;
  try { raw = await mod.openPromisified(busNumber); } catch (e) { throw wrap(e, `/dev/${name}`, 'open'); }
  return new NativeI2cBus(name, raw);
}

function wrap(e: unknown, device: string, operation: string): HalError {
  if (e instanceof HalError) return e;
  const { code, hint } = mapI2cErrno(errnoCode(e));
  return new HalError(code, e instanceof Error ? e.message : String(e), { device, operation, hint, cause: e });
}

class NativeI2cBus implements I2cBus {
  readonly maxWriteBytes = I2C_DEV_MAX_TRANSFER;
  constructor(readonly name: string, private readonly raw: PromisifiedI2c) {}

  async write(address: number, data: Uint8Array): Promise<void> {
    this.check(address, 'write');
    try {
      const r = await this.raw.i2cWrite(address, data.length, Buffer.from(data.buffer, data.byteOffset, data.length));
      if (r.bytesWritten !== data.length) throw Object.assign(new Error(`short write ${r.bytesWritten}/${data.length}`), { code: 'EIO' });
    } catch (e) { throw wrap(e, this.dev(address), 'write'); }
  }

  async read(address: number, length: number): Promise<Uint8Array> {
    this.check(address, 'read');
    try {
      const r = await this.raw.i2cRead(address, length, Buffer.alloc(length));
      return new Uint8Array(r.buffer.subarray(0, r.bytesRead));
    } catch (e) { throw wrap(e, this.dev(address), 'read'); }
  }

  /** Write then read as two messages (i2c-bus has no combined transfer); register pointers persist. */
  async writeRead(address: number, data: Uint8Array, length: number): Promise<Uint8Array> {
    await this.write(address, data);
    return this.read(address, length);
  }

  async scan(): Promise<number[]> {
    try { return await this.raw.scan(); } catch (e) { throw wrap(e, `/dev/${this.name}`, 'scan'); }
  }

  async close(): Promise<void> {
    try { await this.raw.close(); } catch { /* already closed */ }
  }

  private check(address: number, operation: string): void {
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new HalError('INVALID', `address ${address} is not a 7-bit I2C address`, { device: this.name, operation });
    }
  }

  private dev(address: number): string { return `/dev/${this.name}@${hex2(address)}`; }
}
