/**
 * MCP23017 16-bit I2C I/O expander (Microchip DS20001952C) as a GpioController, so drivers built
 * on GPIO lines (MatrixKeypad, GpioHookSwitch, GpioLamp) run on it unchanged. Lines 0-7 are
 * GPA0-7, 8-15 GPB0-7 (hal/board/components/expander-mcp23017.ts pins). IOCON.BANK = 0 register addresses
 * (Table 3-5); IOCON.SEQOP = 0 so the address pointer increments and the A/B pair of a register
 * is written in one transfer (§3.2.1). Registers are shadowed; inputs are watched by polling
 * GPIOA/GPIOB together (one 2-byte read per poll).
 */
import { HalError, type Bit, type Clock, type GpioController, type GpioLine, type GpioLineOptions, type GpioPort8, type I2cBus, type TimerHandle } from '../api/index.js';

/** DS20001952C Table 3-5, IOCON.BANK = 0. */
export const MCP23017_REG = {
  IODIRA: 0x00, IODIRB: 0x01, IPOLA: 0x02, IPOLB: 0x03, GPINTENA: 0x04, GPINTENB: 0x05, DEFVALA: 0x06, DEFVALB: 0x07,
  INTCONA: 0x08, INTCONB: 0x09, IOCON: 0x0a, GPPUA: 0x0c, GPPUB: 0x0d, INTFA: 0x0e, INTFB: 0x0f,
  INTCAPA: 0x10, INTCAPB: 0x11, GPIOA: 0x12, GPIOB: 0x13, OLATA: 0x14, OLATB: 0x15,
} as const;
/** §3.5.6 IOCON: BANK=0, MIRROR=0, SEQOP=0 (sequential), DISSLW=0, HAEN=0, ODR=0, INTPOL=0. */
const IOCON_VALUE = 0x00;
/** §3.5.1 power-on reset: all pins are inputs. */
const IODIR_POR = 0xffff;
const LINES = 16;
const DEFAULT_POLL_MS = 10;

export interface Mcp23017Options {
  bus: I2cBus;
  /** §3.3.1: 0b0100 A2 A1 A0 → 0x20..0x27. */
  address: number;
  clock: Clock;
  name?: string;            // default "mcp23017@0xNN"
  /** Input poll period while any line is watched; default 10 ms. */
  pollMs?: number;
  logger?: (message: string) => void;
}

export class Mcp23017 implements GpioController {
  readonly label: string;
  readonly lineCount = LINES;
  private readonly o: Mcp23017Options;
  private iodirShadow = IODIR_POR;
  private gppu = 0;
  private olat = 0;
  private activeLow = 0;
  private claimed = 0;
  private ready: Promise<void> | undefined;
  private readonly watchers = new Map<number, Set<(v: Bit, at: number) => void>>();
  /** Per watched line: the physical level its consumer last saw (read() or previous poll). */
  private readonly seen = new Map<number, number>();
  private timer: TimerHandle | undefined;
  private polling = false;
  private faultLogged = false;
  private needReinit = false;

  constructor(opts: Mcp23017Options) {
    if (!Number.isInteger(opts.address) || opts.address < 0x20 || opts.address > 0x27) {
      throw new HalError('INVALID', `address 0x${opts.address.toString(16)}`, {
        device: `${opts.bus.name} (MCP23017)`, operation: 'configure', hint: 'MCP23017 addresses are 0x20..0x27 (A2..A0 straps, §3.3.1)',
      });
    }
    this.o = opts;
    this.label = opts.name ?? `mcp23017@0x${opts.address.toString(16)}`;
  }

  get device(): string { return `${this.o.bus.name}@0x${this.o.address.toString(16)} (MCP23017)`; }
  /** Current IODIR shadow, bit n = line n, 1 = input. */
  get iodir(): number { return this.iodirShadow; }

  /** Writes IOCON and the register shadows (also after a replug: the chip is back at POR). */
  init(): Promise<void> {
    this.ready = (async () => {
      await this.writeRegs(MCP23017_REG.IOCON, [IOCON_VALUE]);
      await this.writePair(MCP23017_REG.OLATA, this.olat);
      await this.writePair(MCP23017_REG.GPPUA, this.gppu);
      await this.writePair(MCP23017_REG.IODIRA, this.iodirShadow);
    })();
    this.ready.catch(() => { this.ready = undefined; });
    return this.ready;
  }

  async openLine(offset: number, opts: GpioLineOptions): Promise<GpioLine> {
    const name = `${this.label}:${offset < 8 ? 'GPA' : 'GPB'}${offset & 7}`;
    if (!Number.isInteger(offset) || offset < 0 || offset >= LINES) {
      throw new HalError('INVALID', `line ${offset}`, { device: this.device, operation: 'open', hint: 'lines are 0..15 = GPA0..GPA7, GPB0..GPB7' });
    }
    if (this.claimed & (1 << offset)) throw new HalError('EBUSY', `${name} already open`, { device: this.device, operation: 'open', hint: 'check the board config for a pin used twice' });
    if (opts.bias === 'pull-down') {
      throw new HalError('INVALID', `${name}: no pull-down`, { device: this.device, operation: 'open', hint: 'the MCP23017 only has 100 kOhm pull-ups (GPPU, §3.5.7); add an external pull-down' });
    }
    if (!this.ready) await this.init(); else await this.ready;
    const bit = 1 << offset;
    this.claimed |= bit;
    if (opts.activeLow) this.activeLow |= bit; else this.activeLow &= ~bit;
    if (opts.direction === 'out') {
      const phys = ((opts.initial ?? 0) ^ (opts.activeLow ? 1 : 0)) === 1;
      this.olat = phys ? this.olat | bit : this.olat & ~bit;
      await this.writePair(MCP23017_REG.OLATA, this.olat); // latch first, then drive: no glitch (§3.5.11)
      await this.writeDirections(this.iodirShadow & ~bit);
    } else {
      this.gppu = opts.bias === 'pull-up' ? this.gppu | bit : this.gppu & ~bit;
      await this.writePair(MCP23017_REG.GPPUA, this.gppu);
      await this.writeDirections(this.iodirShadow | bit);
    }
    const inv = (): number => ((this.activeLow & bit) ? 1 : 0);
    return {
      name,
      read: async () => {
        const phys = ((await this.readPins()) >> offset) & 1;
        this.seen.set(offset, phys);
        return (phys ^ inv()) as Bit;
      },
      write: async (v: Bit) => {
        this.olat = ((v ^ inv()) === 1) ? this.olat | bit : this.olat & ~bit;
        await this.writeRegs(offset < 8 ? MCP23017_REG.OLATA : MCP23017_REG.OLATB, [offset < 8 ? this.olat & 0xff : this.olat >> 8]);
      },
      watch: (cb) => {
        let set = this.watchers.get(offset);
        if (!set) this.watchers.set(offset, set = new Set());
        set.add(cb);
        this.startPolling();
        return () => { set!.delete(cb); if (set!.size === 0) this.watchers.delete(offset); if (this.watchers.size === 0) this.stopPolling(); };
      },
      close: async () => {
        this.claimed &= ~bit;
        this.watchers.delete(offset);
        this.seen.delete(offset);
        if (this.watchers.size === 0) this.stopPolling();
      },
    };
  }

  /** Bank A or B as one 8-bit port (GPIO read, OLAT write); directions are set by openLine/writeDirections. */
  port(bank: 'A' | 'B'): GpioPort8 {
    const shift = bank === 'A' ? 0 : 8;
    return {
      name: `${this.label}:GP${bank}`,
      read: async () => ((await this.readPins()) >> shift) & 0xff,
      write: async (byte: number) => {
        this.olat = (this.olat & ~(0xff << shift)) | ((byte & 0xff) << shift);
        await this.writeRegs(bank === 'A' ? MCP23017_REG.OLATA : MCP23017_REG.OLATB, [byte & 0xff]);
      },
    };
  }

  /** IODIRA and IODIRB in one I2C write (sequential pointer, §3.2.1). */
  async writeDirections(iodir: number): Promise<void> {
    this.iodirShadow = iodir & 0xffff;
    await this.writePair(MCP23017_REG.IODIRA, this.iodirShadow);
  }

  /** GPIOA and GPIOB (pin levels, §3.5.10) in one 2-byte read. Bit n = line n. */
  async readPins(): Promise<number> {
    const b = await this.o.bus.writeRead(this.o.address, Uint8Array.of(MCP23017_REG.GPIOA), 2);
    return (b[0] ?? 0) | ((b[1] ?? 0) << 8);
  }

  async writeRegs(reg: number, values: readonly number[]): Promise<void> {
    await this.o.bus.write(this.o.address, Uint8Array.of(reg, ...values));
  }

  async readReg(reg: number): Promise<number> {
    return (await this.o.bus.writeRead(this.o.address, Uint8Array.of(reg), 1))[0] ?? 0;
  }

  async close(): Promise<void> { this.stopPolling(); this.watchers.clear(); }

  private writePair(regA: number, v16: number): Promise<void> { return this.writeRegs(regA, [v16 & 0xff, (v16 >> 8) & 0xff]); }

  private startPolling(): void {
    if (this.timer) return;
    this.timer = this.o.clock.setInterval(() => { void this.poll(); }, this.o.pollMs ?? DEFAULT_POLL_MS);
  }

  private stopPolling(): void { this.o.clock.clearInterval(this.timer); this.timer = undefined; }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      if (this.needReinit) { await this.init(); this.needReinit = false; }
      const pins = await this.readPins();
      this.faultLogged = false;
      for (const [off, cbs] of this.watchers) {
        const phys = (pins >> off) & 1;
        const before = this.seen.get(off);
        this.seen.set(off, phys);
        if (before === undefined || before === phys) continue;
        const v = ((phys ^ ((this.activeLow >> off) & 1)) as Bit);
        for (const cb of [...cbs]) cb(v, this.o.clock.now());
      }
    } catch (e) {
      if (!this.faultLogged) (this.o.logger ?? console.warn)(`${this.label}: poll failed: ${e instanceof Error ? e.message : String(e)}`);
      this.faultLogged = true;
      this.needReinit = true; // after an outage the chip may be back at POR: restore IOCON/OLAT/GPPU/IODIR
    } finally {
      this.polling = false;
    }
  }
}
