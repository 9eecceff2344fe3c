/** GPIO lines and 8-bit ports. Values are logical (after active-low inversion). */
export type Bit = 0 | 1;
export type Edge = 'none' | 'rising' | 'falling' | 'both';
export type Bias = 'disable' | 'pull-up' | 'pull-down';

export interface GpioLineOptions {
  direction: 'in' | 'out';
  edge?: Edge;            // inputs only; default 'none'
  bias?: Bias;            // inputs only
  activeLow?: boolean;
  initial?: Bit;          // outputs only
  consumer?: string;      // label shown by gpioinfo
}

export interface GpioLine {
  readonly name: string;  // e.g. "GPIO17" or "mcp23017@0x20:GPB3"
  read(): Promise<Bit>;
  write(value: Bit): Promise<void>;
  /** Calls back on each edge with the new value and the clock's time; returns an unsubscribe. */
  watch(cb: (value: Bit, atMs: number) => void): () => void;
  close(): Promise<void>;
}

/** Something that hands out lines: the SoC header chip, an I2C expander, an emulator. */
export interface GpioController {
  readonly label: string;
  readonly lineCount: number;
  /**
   * True when watch() reports each edge as it happens (kernel edge events, an emulator's line
   * model), so a driver may stop polling and sleep on an edge. Absent/false when watch() itself
   * samples the line on a timer (waiting on it then costs as much as polling).
   */
  readonly edgeEvents?: boolean;
  openLine(offset: number, opts: GpioLineOptions): Promise<GpioLine>;
}

/** A whole 8-bit port written or read in one transaction (PCF8574, one MCP23017 bank). */
export interface GpioPort8 {
  readonly name: string;
  read(): Promise<number>;
  write(byte: number): Promise<void>;
}
