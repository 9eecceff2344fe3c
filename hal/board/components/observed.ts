/**
 * Emulators that report what the host made them drive, so the emulated board can read lamps and
 * the ringer back from the device (emulated-board.ts, the lamp/ringer components).
 */
import { EmulatedHidTelephony } from '../../emul/hid-telephony.js';
import { EmulatedMcp23017 } from '../../emul/mcp23017.js';

/** MCP23017 registers used to see what the chip drives (DS20001952C Table 3-5, BANK = 0). */
const IODIRA = 0x00, OLATA = 0x14;

/** An MCP23017 emulator that reports what its output pins drive after every register write. */
export class ObservedMcp23017 extends EmulatedMcp23017 {
  private readonly outputCbs = new Set<() => void>();
  override write(data: Uint8Array): void { super.write(data); for (const cb of [...this.outputCbs]) cb(); }
  /** Level pin `pin` drives (OLAT, §3.5.11) or undefined while it is an input (IODIR, §3.5.1). */
  driven(pin: number): 0 | 1 | undefined { return (this.pair(IODIRA) >> pin) & 1 ? undefined : ((this.pair(OLATA) >> pin) & 1) as 0 | 1; }
  onWrite(cb: () => void): () => void { this.outputCbs.add(cb); return () => { this.outputCbs.delete(cb); }; }
}

/** A HID telephony emulator that reports every output (LED) report the host sends. */
export class ObservedHidTelephony extends EmulatedHidTelephony {
  private readonly outputCbs = new Set<() => void>();
  override received(...args: Parameters<EmulatedHidTelephony['received']>): void { super.received(...args); for (const cb of [...this.outputCbs]) cb(); }
  onOutput(cb: () => void): () => void { this.outputCbs.add(cb); return () => { this.outputCbs.delete(cb); }; }
}
