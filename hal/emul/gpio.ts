/**
 * An emulated GPIO controller (a gpiochip): lines with direction, bias, active-low and edge
 * detection, like the Linux GPIO character device (uAPI v2) exposes them. Tests and the simulator
 * drive inputs from "outside" (`drive`, `wire`) and observe outputs (`outputLevel`, `onOutput`).
 * Levels in this file's test API are physical; GpioLine read/write are logical (active-low applied).
 */
import { HalError, type Bit, type Clock, type GpioController, type GpioLine, type GpioLineOptions } from '../api/index.js';

export interface EmulatedGpioControllerOptions {
  clock: Clock;
  label?: string;      // default "gpiochip0"
  /** Default 28: BCM GPIO0-27 on the Raspberry Pi 40-pin header. */
  lineCount?: number;
  /** Line names (default "GPIO<n>"). */
  names?: readonly string[];
}

/** A dynamic external source: returns the level it forces, or undefined when it does not drive. */
export type LineSource = () => Bit | undefined;
type EdgeCb = (value: Bit, atMs: number) => void;

interface LineState {
  opts: GpioLineOptions | undefined; // undefined = not requested
  outPhys: Bit;
  external: Bit | undefined;
  source: LineSource | undefined;
  lastPhys: Bit;
  watchers: Set<EdgeCb>;
  outListeners: Set<(level: Bit, atMs: number) => void>;
}

const DEFAULT_LINE_COUNT = 28;
/** A floating input with bias disabled reads this (real pins float unpredictably). */
const FLOATING_LEVEL: Bit = 0;

export class EmulatedGpioController implements GpioController {
  readonly label: string;
  readonly lineCount: number;
  /** Edges are fired from refresh() the moment a level changes: watch() is event-driven. */
  readonly edgeEvents = true;
  private readonly clock: Clock;
  private readonly names: readonly string[];
  private readonly lines: LineState[];

  constructor(opts: EmulatedGpioControllerOptions) {
    this.clock = opts.clock;
    this.label = opts.label ?? 'gpiochip0';
    this.lineCount = opts.lineCount ?? DEFAULT_LINE_COUNT;
    this.names = opts.names ?? [];
    this.lines = Array.from({ length: this.lineCount }, () => ({
      opts: undefined, outPhys: 0 as Bit, external: undefined, source: undefined, lastPhys: FLOATING_LEVEL,
      watchers: new Set<EdgeCb>(), outListeners: new Set<(level: Bit, atMs: number) => void>(),
    }));
  }

  async openLine(offset: number, opts: GpioLineOptions): Promise<GpioLine> {
    const st = this.state(offset, 'open');
    if (st.opts) {
      throw new HalError('EBUSY', `line already requested by "${st.opts.consumer ?? 'deskphone'}"`, {
        device: this.dev(offset), operation: 'open', hint: 'each line can be requested once; check the board config for duplicate pins',
      });
    }
    if (opts.direction === 'out' && opts.edge && opts.edge !== 'none') {
      throw new HalError('INVALID', 'edge detection requested on an output', { device: this.dev(offset), operation: 'open' });
    }
    st.opts = { ...opts };
    if (opts.direction === 'out') st.outPhys = this.toPhys(opts.initial ?? 0, opts);
    st.lastPhys = this.physical(offset);
    if (opts.direction === 'out') this.emitOutput(offset);
    this.refresh();
    return this.makeLine(offset, opts);
  }

  /** Forces the physical level of `offset` from outside, or releases it (undefined = floating → bias). */
  drive(offset: number, level: Bit | undefined): void {
    this.state(offset, 'drive').external = level;
    this.refresh();
  }

  /** Connects a dynamic source (e.g. a key matrix); re-evaluated on every read and after any output change. */
  wire(offset: number, source: LineSource | undefined): void {
    this.state(offset, 'wire').source = source;
    this.refresh();
  }

  /** Physical level an output line drives, or undefined when the line is not an open output. */
  outputLevel(offset: number): Bit | undefined {
    const st = this.state(offset, 'outputLevel');
    return st.opts?.direction === 'out' ? st.outPhys : undefined;
  }

  /** Resolved physical level of any line (output level, else external drive, else bias). */
  level(offset: number): Bit { return this.physical(offset); }

  isOpen(offset: number): boolean { return this.state(offset, 'isOpen').opts !== undefined; }

  /** How the line was requested (direction, bias, ...), undefined when free. */
  lineOptions(offset: number): Readonly<GpioLineOptions> | undefined { return this.state(offset, 'lineOptions').opts; }

  /** Calls back with the physical level on every output write (also unchanged levels). */
  onOutput(offset: number, cb: (level: Bit, atMs: number) => void): () => void {
    const st = this.state(offset, 'onOutput');
    st.outListeners.add(cb);
    return () => { st.outListeners.delete(cb); };
  }

  /** Re-evaluates every input and fires edge watchers whose level changed. */
  refresh(): void {
    const now = this.clock.now();
    for (let i = 0; i < this.lineCount; i++) {
      const st = this.lines[i]!;
      const phys = this.physical(i);
      if (phys === st.lastPhys) continue;
      st.lastPhys = phys;
      const o = st.opts;
      if (!o || o.direction !== 'in' || !o.edge || o.edge === 'none') continue;
      const logical = this.toLogical(phys, o);
      if (o.edge === 'both' || (o.edge === 'rising') === (logical === 1)) {
        for (const cb of [...st.watchers]) cb(logical, now);
      }
    }
  }

  private makeLine(offset: number, opts: GpioLineOptions): GpioLine {
    const st = this.lines[offset]!;
    let closed = false;
    const alive = (operation: string): void => {
      if (closed) throw new HalError('INVALID', 'line is closed', { device: this.dev(offset), operation, hint: 'open it again' });
    };
    return {
      name: this.names[offset] ?? `GPIO${offset}`,
      read: async () => { alive('read'); return this.toLogical(this.physical(offset), opts); },
      write: async (value: Bit) => {
        alive('write');
        if (opts.direction !== 'out') {
          throw new HalError('INVALID', 'write to an input line', { device: this.dev(offset), operation: 'write', hint: 'request the line with direction "out"' });
        }
        st.outPhys = this.toPhys(value, opts);
        this.emitOutput(offset);
        this.refresh();
      },
      watch: (cb) => {
        alive('watch');
        if (opts.direction !== 'in' || !opts.edge || opts.edge === 'none') {
          throw new HalError('INVALID', 'watch() needs an input requested with edge detection', {
            device: this.dev(offset), operation: 'watch', hint: 'open the line with edge "both", "rising" or "falling"',
          });
        }
        st.watchers.add(cb);
        return () => { st.watchers.delete(cb); };
      },
      close: async () => {
        if (closed) return;
        closed = true;
        st.opts = undefined;
        st.watchers.clear();
        this.refresh();
      },
    };
  }

  private physical(offset: number): Bit {
    const st = this.lines[offset]!;
    if (st.opts?.direction === 'out') return st.outPhys;
    const fromSource = st.source?.();
    if (fromSource !== undefined) return fromSource;
    if (st.external !== undefined) return st.external;
    const bias = st.opts?.bias;
    if (bias === 'pull-up') return 1;
    if (bias === 'pull-down') return 0;
    return FLOATING_LEVEL;
  }

  private emitOutput(offset: number): void {
    const st = this.lines[offset]!;
    const now = this.clock.now();
    for (const cb of [...st.outListeners]) cb(st.outPhys, now);
  }

  private toPhys(v: Bit, o: GpioLineOptions): Bit { return (o.activeLow ? v ^ 1 : v) as Bit; }
  private toLogical(v: Bit, o: GpioLineOptions): Bit { return (o.activeLow ? v ^ 1 : v) as Bit; }

  private state(offset: number, operation: string): LineState {
    const st = Number.isInteger(offset) ? this.lines[offset] : undefined;
    if (!st) {
      throw new HalError('INVALID', `line offset ${offset} out of range 0..${this.lineCount - 1}`, {
        device: this.label, operation, hint: 'use the BCM GPIO number, not the physical header pin number',
      });
    }
    return st;
  }

  private dev(offset: number): string { return `${this.label} line ${offset}`; }
}
