/**
 * An emulated I2C bus master with device-level targets attached by address (the pattern of
 * Zephyr's i2c_emul.c). Unknown or unplugged addresses NACK like real hardware; EIO can be
 * injected. Every transfer is logged and time-stamped on a bus timeline: each byte takes
 * 9 bit times (8 data + ACK, I2C-bus spec UM10204 §3.1.6) at `bitRateHz`, so targets see
 * realistic spacing between bytes even when the driver writes them back to back.
 */
import { HalError, type Clock, type HalErrorCode, type I2cBus } from '../api/index.js';

/** When the bytes of one transfer reach the target. */
export interface I2cTiming {
  /** Time (ms) at which the address byte was acknowledged. */
  startMs: number;
  /** Duration of one byte incl. ACK (ms). Data byte i is acknowledged at startMs + (i + 1) * byteMs. */
  byteMs: number;
}

/** A device on the emulated bus. */
export interface I2cTarget {
  write(data: Uint8Array, timing?: I2cTiming): void;
  read(length: number, timing?: I2cTiming): Uint8Array;
  /** Called when the device's supply is cut (unplug) or restored (replug). */
  powerChanged?(on: boolean, atMs: number): void;
}

export interface I2cLogEntry {
  atMs: number;
  op: 'write' | 'read';
  address: number;
  /** Bytes written, or bytes read (copied). Empty on failure. */
  data: Uint8Array;
  /** Undefined when the transfer succeeded. */
  error?: HalErrorCode;
}

export interface EmulatedI2cBusOptions {
  clock: Clock;
  /** Linux bus number, used in names and errors ("i2c-1"); default 1. */
  busNumber?: number;
  /** SCL rate; default 100 kHz = Standard-mode (UM10204 Table 10), the Pi's default. */
  bitRateHz?: number;
  /** Entries kept in `log` (oldest dropped first); default 10000. */
  logLimit?: number;
}

/** 9 bit times per byte: 8 data bits + ACK/NACK (UM10204 §3.1.6). */
const BITS_PER_BYTE = 9;
const DEFAULT_BIT_RATE_HZ = 100_000; // UM10204 Table 10, Standard-mode
const DEFAULT_LOG_LIMIT = 10_000;

interface Slot {
  target: I2cTarget;
  present: boolean;
  /** Pending injected faults (consumed one per transfer). */
  faults: HalErrorCode[];
}

const hex2 = (a: number): string => `0x${a.toString(16).padStart(2, '0')}`;

export class EmulatedI2cBus implements I2cBus {
  readonly name: string;
  readonly log: I2cLogEntry[] = [];
  private readonly clock: Clock;
  private readonly byteMs: number;
  private readonly logLimit: number;
  private readonly slots = new Map<number, Slot>();
  private freeAtMs = -Infinity;
  private closed = false;

  constructor(opts: EmulatedI2cBusOptions) {
    this.clock = opts.clock;
    this.name = `i2c-${opts.busNumber ?? 1}`;
    this.byteMs = (BITS_PER_BYTE * 1000) / (opts.bitRateHz ?? DEFAULT_BIT_RATE_HZ);
    this.logLimit = opts.logLimit ?? DEFAULT_LOG_LIMIT;
  }

  /** Connects a powered target at a 7-bit address. */
  attach(address: number, target: I2cTarget): void {
    this.checkAddress(address, 'attach');
    if (this.slots.has(address)) {
      throw new HalError('EBUSY', 'address already has a device attached', {
        device: this.dev(address), operation: 'attach', hint: 'detach() the previous emulator first',
      });
    }
    this.slots.set(address, { target, present: true, faults: [] });
  }

  detach(address: number): void {
    const s = this.slots.get(address);
    if (s?.present) s.target.powerChanged?.(false, this.clock.now());
    this.slots.delete(address);
  }

  /** Unplug (false) or replug (true) a target; the target's power follows. */
  setPresent(address: number, present: boolean): void {
    const s = this.slots.get(address);
    if (!s) {
      throw new HalError('INVALID', 'no emulated device attached here', {
        device: this.dev(address), operation: 'setPresent', hint: 'attach() it first',
      });
    }
    if (s.present === present) return;
    s.present = present;
    s.target.powerChanged?.(present, this.clock.now());
  }

  /** The next `count` transfers to `address` fail with `code` (default EIO). */
  injectFault(address: number, code: HalErrorCode = 'EIO', count = 1): void {
    const s = this.slots.get(address);
    if (!s) throw new HalError('INVALID', 'no emulated device attached here', { device: this.dev(address), operation: 'injectFault' });
    for (let i = 0; i < count; i++) s.faults.push(code);
  }

  /** Log entries, optionally only those for one address. */
  transfers(address?: number): I2cLogEntry[] {
    return address === undefined ? this.log.slice() : this.log.filter((e) => e.address === address);
  }

  clearLog(): void { this.log.length = 0; }

  async write(address: number, data: Uint8Array): Promise<void> {
    const s = this.begin(address, 'write');
    const timing = this.timing(data.length);
    this.record({ atMs: timing.startMs, op: 'write', address, data: Uint8Array.from(data) });
    s.target.write(data, timing);
  }

  async read(address: number, length: number): Promise<Uint8Array> {
    const s = this.begin(address, 'read');
    const timing = this.timing(length);
    const out = Uint8Array.from(s.target.read(length, timing).subarray(0, length));
    this.record({ atMs: timing.startMs, op: 'read', address, data: out });
    return out;
  }

  async writeRead(address: number, data: Uint8Array, length: number): Promise<Uint8Array> {
    await this.write(address, data);
    return this.read(address, length);
  }

  async scan(): Promise<number[]> {
    this.checkOpen('scan', 0);
    // 7-bit address space without reserved addresses 0x00-0x07 and 0x78-0x7F (UM10204 Table 4).
    return [...this.slots.entries()]
      .filter(([a, s]) => s.present && a >= 0x08 && a <= 0x77)
      .map(([a]) => a)
      .sort((x, y) => x - y);
  }

  async close(): Promise<void> { this.closed = true; }

  private begin(address: number, operation: 'write' | 'read'): Slot {
    this.checkOpen(operation, address);
    this.checkAddress(address, operation);
    const s = this.slots.get(address);
    if (!s || !s.present) {
      this.record({ atMs: this.clock.now(), op: operation, address, data: new Uint8Array(0), error: 'NACK' });
      throw new HalError('NACK', 'address not acknowledged', {
        device: this.dev(address), operation,
        hint: 'check wiring and the address (i2cdetect); the device may be unplugged',
      });
    }
    const fault = s.faults.shift();
    if (fault) {
      this.record({ atMs: this.clock.now(), op: operation, address, data: new Uint8Array(0), error: fault });
      throw new HalError(fault, 'injected fault', { device: this.dev(address), operation, hint: 'emulator fault injection' });
    }
    return s;
  }

  /** Places a transfer of `n` data bytes on the bus timeline after the previous one. */
  private timing(n: number): I2cTiming {
    const start = Math.max(this.clock.now(), this.freeAtMs);
    // START + address byte, then n data bytes; STOP takes ~1 bit time (UM10204 §3.1.4).
    const startMs = start + this.byteMs;
    this.freeAtMs = startMs + n * this.byteMs + this.byteMs / BITS_PER_BYTE;
    return { startMs, byteMs: this.byteMs };
  }

  private record(e: I2cLogEntry): void {
    if (this.log.length >= this.logLimit) this.log.shift();
    this.log.push(e);
  }

  private checkOpen(operation: string, address: number): void {
    if (this.closed) throw new HalError('EIO', 'bus is closed', { device: this.dev(address), operation });
  }

  private checkAddress(address: number, operation: string): void {
    if (!Number.isInteger(address) || address < 0 || address > 0x7f) {
      throw new HalError('INVALID', `address ${address} is not a 7-bit I2C address`, {
        device: this.name, operation, hint: 'use 0x00..0x7F (e.g. 0x27 for a PCF8574 backpack)',
      });
    }
  }

  private dev(address: number): string { return `${this.name}@${hex2(address)}`; }
}
