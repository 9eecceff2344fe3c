/**
 * Emulated MCP23017 (Microchip DS20001952C) on the emulated I2C bus: the 22-register file with
 * IOCON.BANK = 0 addresses (Table 3-5), the address pointer (§3.2.1: SEQOP=0 increments and
 * wraps, SEQOP=1 toggles within the A/B pair), GPIO reads of the pin levels with IPOL, GPIO writes
 * going to OLAT (§3.5.10), pull-ups (§3.5.7) and power-on reset (§3.5.1: IODIR = 0xFF).
 * Outside the chip: switches between pins (a key matrix) and external levels (a hook contact to
 * GND). Misuse (two outputs shorted by a key, writes to read-only registers, BANK=1) is recorded.
 */
import type { I2cTarget } from './i2c-bus.js';

const REG_COUNT = 0x16;
const IODIRA = 0x00, IPOLA = 0x02, IOCON_A = 0x0a, IOCON_B = 0x0b, GPPUA = 0x0c, INTFA = 0x0e, INTFB = 0x0f,
  INTCAPA = 0x10, INTCAPB = 0x11, GPIOA = 0x12, GPIOB = 0x13, OLATA = 0x14;
const IOCON_BANK = 0x80, IOCON_SEQOP = 0x20; // §3.5.6
const READ_ONLY = new Set([INTFA, INTFB, INTCAPA, INTCAPB]);

export interface KeyMatrixWiring {
  rows: readonly number[];
  cols: readonly number[];
  keymap: readonly (readonly string[])[];
}

export class EmulatedMcp23017 implements I2cTarget {
  readonly name: string;
  readonly violations: string[] = [];
  readonly regs = new Uint8Array(REG_COUNT);
  /** Counters for assertions (e.g. "one write per scanned row"). */
  writes = 0;
  reads = 0;
  private pointer = 0;
  private powered = true;
  private readonly switches = new Map<string, [number, number]>();
  private readonly external = new Map<number, 0 | 1>();

  constructor(opts: { name?: string } = {}) {
    this.name = opts.name ?? 'mcp23017';
    this.reset();
  }

  /** 16-bit view of a register pair (A = low byte). */
  pair(regA: number): number { return this.regs[regA]! | (this.regs[regA + 1]! << 8); }

  /** Close (true) or open a switch between two pins (0-15 = GPA0..GPB7). */
  connect(a: number, b: number, closed: boolean): void {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (closed) this.switches.set(key, [a, b]); else this.switches.delete(key);
  }

  /** Drive an input from outside (e.g. a hook switch to GND = 0), or stop driving (undefined). */
  drive(pin: number, level: 0 | 1 | undefined): void {
    if (level === undefined) this.external.delete(pin); else this.external.set(pin, level);
  }

  /** Wires a key matrix; press/release close/open the switch between the key's row and column pin. */
  attachKeyMatrix(w: KeyMatrixWiring): { press(key: string): void; release(key: string): void } {
    const find = (key: string): [number, number] => {
      for (let r = 0; r < w.rows.length; r++) {
        const c = w.keymap[r]!.indexOf(key);
        if (c >= 0) return [w.rows[r]!, w.cols[c]!];
      }
      throw new RangeError(`key "${key}" is not in the keymap`);
    };
    return {
      press: (key) => { const [r, c] = find(key); this.connect(r, c, true); },
      release: (key) => { const [r, c] = find(key); this.connect(r, c, false); },
    };
  }

  /** Pin levels (bit n = pin n): outputs drive, connected inputs follow them, else external, pull-up or 0. */
  pins(): number {
    if (!this.powered) return 0;
    const iodir = this.pair(IODIRA), olat = this.pair(OLATA), gppu = this.pair(GPPUA);
    const parent = Array.from({ length: 16 }, (_, i) => i);
    const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
    for (const [a, b] of this.switches.values()) parent[root(a)] = root(b);
    let out = 0;
    for (let p = 0; p < 16; p++) {
      const net = [...Array(16).keys()].filter((q) => root(q) === root(p));
      const drivers = net.filter((q) => !((iodir >> q) & 1));
      const levels = new Set(drivers.map((q) => (olat >> q) & 1));
      let level: number;
      if (levels.size > 1) {
        this.violate(`short: outputs ${drivers.join(',')} drive different levels through closed switches`);
        level = 0;
      } else if (levels.size === 1) level = [...levels][0]!;
      else if (net.some((q) => this.external.has(q))) level = this.external.get(net.find((q) => this.external.has(q))!)!;
      else level = net.some((q) => (gppu >> q) & 1) ? 1 : 0;
      if (level) out |= 1 << p;
    }
    return out;
  }

  write(data: Uint8Array): void {
    if (!this.powered || data.length === 0) return;
    this.writes++;
    this.pointer = data[0]!;
    if (this.pointer >= REG_COUNT) { this.violate(`register address 0x${this.pointer.toString(16)} does not exist (Table 3-5)`); return; }
    for (let i = 1; i < data.length; i++) {
      this.store(this.pointer, data[i]!);
      this.advance();
    }
  }

  read(length: number): Uint8Array {
    this.reads++;
    const out = new Uint8Array(length);
    if (!this.powered) return out;
    for (let i = 0; i < length; i++) {
      out[i] = this.load(this.pointer);
      this.advance();
    }
    return out;
  }

  powerChanged(on: boolean): void {
    this.powered = on;
    if (on) this.reset();
  }

  private reset(): void {
    this.regs.fill(0);
    this.regs[IODIRA] = 0xff; this.regs[IODIRA + 1] = 0xff; // §3.5.1 POR: inputs
    this.pointer = 0;
  }

  private advance(): void {
    if (this.regs[IOCON_A]! & IOCON_SEQOP) this.pointer ^= 1; // byte mode, BANK=0: toggles within the pair
    else this.pointer = (this.pointer + 1) % REG_COUNT;
  }

  private load(reg: number): number {
    if (reg === GPIOA || reg === GPIOB) {
      const pins = this.pins() ^ this.pair(IPOLA); // §3.5.2 IPOL inverts the read value
      return reg === GPIOA ? pins & 0xff : (pins >> 8) & 0xff;
    }
    return this.regs[reg]!;
  }

  private store(reg: number, v: number): void {
    if (READ_ONLY.has(reg)) { this.violate(`write to read-only register 0x${reg.toString(16)}`); return; }
    if (reg === IOCON_A || reg === IOCON_B) {
      if (v & IOCON_BANK) this.violate('IOCON.BANK=1 is not modelled: the register map would change (Table 3-4)');
      this.regs[IOCON_A] = v; this.regs[IOCON_B] = v; // §3.5.6: IOCON is one register at two addresses
      return;
    }
    if (reg === GPIOA || reg === GPIOB) { this.regs[reg + 2] = v; return; } // §3.5.10: writes go to OLAT
    this.regs[reg] = v;
  }

  private violate(m: string): void { if (this.violations.length < 1000 && !this.violations.includes(m)) this.violations.push(m); }
}
