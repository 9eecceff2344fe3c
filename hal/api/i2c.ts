/**
 * An I2C bus master. Addresses are 7-bit. A transfer to an address nobody acknowledges rejects
 * with HalError code 'NACK' (real hardware, the emulated bus and the i2c-bus binding alike).
 */
export interface I2cBus {
  readonly name: string; // e.g. "i2c-1"
  /** Largest single write the adapter takes (data bytes incl. register/control byte); unset = no known limit. */
  readonly maxWriteBytes?: number;
  write(address: number, data: Uint8Array): Promise<void>;
  read(address: number, length: number): Promise<Uint8Array>;
  /** Write then repeated-start read (register reads). */
  writeRead(address: number, data: Uint8Array, length: number): Promise<Uint8Array>;
  /** Addresses that ACK, for doctor/board check. */
  scan(): Promise<number[]>;
  close(): Promise<void>;
}
