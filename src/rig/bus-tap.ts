/**
 * The agent's taps on a real board (docs/hil.md "On a real board"): a BoardPlatform wrapper that
 * sits between the drivers and the hal/bindings adapters and
 * - decodes the display: every byte the display driver writes to its I2C address is also fed to
 *   a passive copy of the device model (PCF8574 + HD44780, or SSD1306, from hal/emul), so the
 *   screen is read from what went on the bus, with the same decoder the emulated boards use;
 * - watches the lamp and ringer header lines: every value the driver writes to them reaches an
 *   OutputObserver (hal/board/observe.ts), as the line's libgpiod value would;
 * - injects inputs at the driver's input edge: a "closed" hook or button contact is what its line
 *   reads (with a synthetic edge for the watching driver, whose debounce then runs), and a key of
 *   a header-line matrix pulls its column low while the scanner drives its row low, as the
 *   contact would: the column reads low, and a change of that pull is an edge for the column's
 *   watchers (a scanner parked while idle, matrix-keypad.ts, sleeps on exactly that edge).
 * Reads and writes still go to the real devices; the taps never answer the bus themselves.
 */
import type { Bit, Clock, GpioController, GpioLine, GpioLineOptions, I2cBus, KeyName } from '../../hal/api/index.js';
import { EmulatedI2cBus } from '../../hal/emul/i2c-bus.js';
import { displayOf, ringerOf } from '../../hal/board/components/index.js';
import { OutputObserver } from '../../hal/board/observe.js';
import type { BoardPlatform } from '../../hal/board/platform.js';
import type { BoardConfig } from '../../hal/board/schema.js';

export interface BoardTaps {
  platform: BoardPlatform;
  /** Rows decoded from the display's bus traffic. */
  screen(grid: { cols: number; rows: number }): string[];
  /** Observers of the lamp lines and the ringer line, by lamp name / 'ringer' (header lines only). */
  outputs: ReadonlyMap<string, OutputObserver>;
  /** Keys, 'hook' and 'headset' that can be injected. */
  readonly inputs: readonly KeyName[];
  /** Closes (true) or opens (false) the contact of a key, the hook or the headset detect. */
  inject(input: KeyName, closed: boolean): void;
  close(): void;
}

export async function tapPlatform(inner: BoardPlatform, config: BoardConfig, clock: Clock): Promise<BoardTaps> {
  const dc = config.display;
  const decoderBus = new EmulatedI2cBus({ clock, busNumber: dc.bus });
  const decoder = await displayOf(dc).emulate(dc, decoderBus, clock, `${dc.type} tap`);
  const feed = (address: number, data: Uint8Array): void => {
    if (address !== dc.address) return;
    decoderBus.write(address, data).catch(() => {}); // a decoder complaint never disturbs the real transfer
  };
  const tapBus = (bus: I2cBus): I2cBus => ({
    name: bus.name, ...(bus.maxWriteBytes !== undefined ? { maxWriteBytes: bus.maxWriteBytes } : {}),
    write: async (a, d) => { await bus.write(a, d); feed(a, d); },
    read: (a, n) => bus.read(a, n),
    writeRead: async (a, d, n) => { const r = await bus.writeRead(a, d, n); feed(a, d); return r; },
    scan: () => bus.scan(), close: () => bus.close(),
  });

  // Header lines the taps care about, by BCM offset.
  const outputs = new Map<string, OutputObserver>();
  const watchedOut = new Map<number, string>();
  for (const [name, lc] of Object.entries(config.lamps)) if (lc.pin?.kind === 'gpio') watchedOut.set(lc.pin.gpio, name);
  const ringerWire = ringerOf(config.ringer).wire(config.ringer);
  if (ringerWire?.pin.kind === 'gpio') watchedOut.set(ringerWire.pin.gpio, 'ringer');
  const contacts = new Map<number, KeyName>();
  if (config.hook.pin?.kind === 'gpio') contacts.set(config.hook.pin.gpio, 'hook');
  if (config.headsetDetect?.pin?.kind === 'gpio') contacts.set(config.headsetDetect.pin.gpio, 'headset');
  for (const [i, p] of (config.softkeys.buttons ?? []).entries()) if (p.kind === 'gpio') contacts.set(p.gpio, `softkey${i + 1}`);
  const kc = config.keypad;
  const matrixRows = new Map<number, number>(), matrixCols = new Map<number, number>();
  if (kc.type === 'matrix' && [...kc.rows, ...kc.cols].every((p) => p.kind === 'gpio')) {
    kc.rows.forEach((p, i) => matrixRows.set((p as { gpio: number }).gpio, i));
    kc.cols.forEach((p, i) => matrixCols.set((p as { gpio: number }).gpio, i));
  }
  const closed = new Set<KeyName>();
  const rowDriven = new Map<number, Bit>(); // matrix row index → last value written
  /** Re-evaluate each tapped column's pull after a row write or a matrix key injection. */
  const columnPulls = new Set<() => void>();
  const repull = (): void => { for (const f of [...columnPulls]) f(); };
  const contactWatchers = new Map<KeyName, Set<(v: Bit, at: number) => void>>();
  const inputs: KeyName[] = [...contacts.values()];
  if (kc.type === 'matrix' && matrixRows.size) for (const k of kc.keys.flat()) if (k) inputs.push(k);

  const tapLine = (offset: number, opts: GpioLineOptions, line: GpioLine): GpioLine => {
    const lamp = watchedOut.get(offset);
    if (lamp !== undefined && opts.direction === 'out') {
      let emit: ((on: boolean, at: number) => void) | undefined;
      outputs.get(lamp)?.close();
      outputs.set(lamp, new OutputObserver(clock, (cb) => { emit = cb; return () => { emit = undefined; }; }, opts.initial === 1));
      return { ...wrap(line), write: async (v) => { await line.write(v); emit?.(v === 1, clock.now()); } };
    }
    const contact = contacts.get(offset);
    if (contact !== undefined && opts.direction === 'in') {
      const watchers = new Set<(v: Bit, at: number) => void>();
      contactWatchers.set(contact, watchers);
      return {
        ...wrap(line),
        read: async () => (closed.has(contact) ? 1 : line.read()),
        watch: (cb) => { watchers.add(cb); const off = line.watch(cb); return () => { watchers.delete(cb); off(); }; },
      };
    }
    const row = matrixRows.get(offset);
    if (row !== undefined && opts.direction === 'out') {
      rowDriven.set(row, opts.initial ?? 0);
      return { ...wrap(line), write: async (v) => { await line.write(v); rowDriven.set(row, v); repull(); } };
    }
    const col = matrixCols.get(offset);
    if (col !== undefined && kc.type === 'matrix') return tapColumn(line, col, kc.keys);
    return line;
  };
  /**
   * A matrix column with the injected contacts in parallel to the real ones: an injected key pulls
   * the column low while the scanner drives the key's row low (matrix-keypad.ts). The line is the
   * wired AND of that pull and the real level, so the watchers see an edge when the pull changes
   * while the real line is high, and the real line's edges only while the tap does not pull.
   */
  const tapColumn = (line: GpioLine, col: number, keys: readonly (readonly KeyName[])[]): GpioLine => {
    const pulling = (): boolean => keys.some((row, r) => rowDriven.get(r) === 0 && closed.has(row[col]!));
    const watchers = new Set<(v: Bit, at: number) => void>();
    let pulled = pulling();
    const repullThis = (): void => {
      const now = pulling();
      if (now === pulled) return;
      pulled = now;
      if (watchers.size === 0) return;
      void line.read().then((real) => {
        if (real === 1 && pulled === now) for (const cb of [...watchers]) cb(now ? 0 : 1, clock.now());
      }, () => {});
    };
    columnPulls.add(repullThis);
    return {
      ...wrap(line),
      read: async () => (pulling() ? 0 : line.read()),
      watch: (cb) => {
        watchers.add(cb);
        const off = line.watch((v, at) => { if (!pulled) cb(v, at); });
        return () => { watchers.delete(cb); off(); };
      },
      close: async () => { columnPulls.delete(repullThis); await line.close(); },
    };
  };
  const tapGpio = (g: GpioController): GpioController => ({
    label: g.label, lineCount: g.lineCount, ...(g.edgeEvents !== undefined ? { edgeEvents: g.edgeEvents } : {}),
    openLine: async (offset, opts) => tapLine(offset, opts, await g.openLine(offset, opts)),
  });

  const platform: BoardPlatform = {
    mode: inner.mode,
    i2cBus: async (n, key) => { const b = await inner.i2cBus(n, key); return n === dc.bus ? tapBus(b) : b; },
    headerGpio: async (key) => tapGpio(await inner.headerGpio(key)),
    hidHost: (id, key) => inner.hidHost(id, key),
    close: async () => { await inner.close(); await decoderBus.close(); },
  };
  return {
    platform, outputs, inputs,
    screen: (grid) => decoder.screen(grid),
    inject(input, isClosed) {
      if (!inputs.includes(input)) throw new Error(`"${input}" cannot be injected on this board (injectable: ${inputs.join(' ') || 'none'}; inputs on an I2C expander need the wired rig, docs/hil.md)`);
      if (isClosed === closed.has(input)) return;
      if (isClosed) closed.add(input); else closed.delete(input);
      repull();
      for (const cb of [...(contactWatchers.get(input) ?? [])]) cb(isClosed ? 1 : 0, clock.now());
    },
    close() { for (const o of outputs.values()) o.close(); },
  };
}

function wrap(line: GpioLine): GpioLine {
  return { name: line.name, read: () => line.read(), write: (v) => line.write(v), watch: (cb) => line.watch(cb), close: () => line.close() };
}
