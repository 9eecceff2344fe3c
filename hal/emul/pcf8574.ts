/**
 * Emulated PCF8574 remote 8-bit I/O expander (TI datasheet SCPS068).
 * - Quasi-bidirectional port (§8.3.1): a written 1 is a weak pull-up that an external device can
 *   pull low, a written 0 is a strong low. A write sets all 8 pins at once (§8.3.2, one byte per
 *   I2C data byte, outputs change at the ACK); a read returns the pin levels (§8.3.3).
 * - Power-on reset: all ports high (§8.3.4).
 */
import type { I2cTarget, I2cTiming } from './i2c-bus.js';

export type PinListener = (pins: number, atMs: number) => void;
export type PowerListener = (on: boolean, atMs: number) => void;

export interface EmulatedPcf8574Options {
  /** Label used by observers (e.g. "pcf8574@0x27"). */
  name?: string;
}

/** §8.3.4: on power-on the output latch is 0xFF (all quasi-outputs weakly high). */
const POWER_ON_LATCH = 0xff;

export class EmulatedPcf8574 implements I2cTarget {
  readonly name: string;
  /** Bytes written, in order (for assertions). */
  writes = 0;
  private latch = POWER_ON_LATCH;
  /** Bits that an external device pulls low (1 = pulled low). */
  private externalLow = 0;
  private powered = true;
  private readonly pinListeners = new Set<PinListener>();
  private readonly powerListeners = new Set<PowerListener>();

  constructor(opts: EmulatedPcf8574Options = {}) {
    this.name = opts.name ?? 'pcf8574';
  }

  /** Current pin levels: a latch 1 reads low when pulled low externally (quasi-bidirectional). */
  get pins(): number { return this.powered ? (this.latch & ~this.externalLow) & 0xff : 0; }

  /** Current output latch (what was last written). */
  get output(): number { return this.latch; }

  /** Called with the 8 pin levels after every written byte. */
  onPins(cb: PinListener): () => void {
    this.pinListeners.add(cb);
    return () => { this.pinListeners.delete(cb); };
  }

  onPower(cb: PowerListener): () => void {
    this.powerListeners.add(cb);
    return () => { this.powerListeners.delete(cb); };
  }

  /** Externally pull pin `bit` low (true) or release it (false), e.g. a key to ground. */
  pullLow(bit: number, low: boolean): void {
    const m = 1 << (bit & 7);
    this.externalLow = low ? (this.externalLow | m) : (this.externalLow & ~m);
  }

  write(data: Uint8Array, timing?: I2cTiming): void {
    for (let i = 0; i < data.length; i++) {
      this.latch = data[i]! & 0xff;
      this.writes++;
      const at = timing ? timing.startMs + (i + 1) * timing.byteMs : 0;
      const pins = this.pins;
      for (const cb of this.pinListeners) cb(pins, at);
    }
  }

  read(length: number): Uint8Array {
    // §8.3.3: every read byte is a snapshot of the port.
    return new Uint8Array(length).fill(this.pins);
  }

  powerChanged(on: boolean, atMs: number): void {
    this.powered = on;
    if (on) this.latch = POWER_ON_LATCH;
    for (const cb of this.powerListeners) cb(on, atMs);
  }
}
