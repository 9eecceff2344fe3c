/**
 * `keypad: {type: matrix}`: a key matrix, rows driven and columns read (docs/board-config.md).
 * Driver: the whole-port Mcp23017Keypad when every line is on one MCP23017, else MatrixKeypad over
 * the lines (a mux lets rows and columns sit on different controllers). Emulator: an
 * EmulatedKeyMatrix on the header lines, or the MCP23017 emulator's key matrix. Claims: every
 * row and column pin; checks: the keys grid is rows x cols with known, distinct key names.
 * The scanner and emulator modules are imported when a board first uses them.
 */
import type { z } from 'zod';
import { HalError, type GpioController } from '../../api/index.js';
import { suggest } from '../../../lib/config/schema-words.js';
import { pinSchema } from '../pins.js';
import { ms, type Zod } from './common.js';
import { KEY_NAMES } from './keys.js';
import type { KeyAction, KeypadComponent, ResolvedPin } from './types.js';

const schema = (z: Zod) => z.strictObject({
  type: z.literal('matrix'),
  /** Row lines are driven (active low), column lines are read with pull-ups. */
  rows: z.array(pinSchema(z)).min(1).max(8),
  cols: z.array(pinSchema(z)).min(1).max(8),
  /** keys[r][c] is the key at row r, column c; "" marks an unpopulated position. */
  keys: z.array(z.array(z.string())),
  scanMs: ms(z, 10, 100),
  debounceMs: ms(z, 20, 500),
});
export type MatrixKeypadConfig = z.output<ReturnType<typeof schema>>;

export const keypadMatrix = {
  type: 'matrix',
  schema,
  claims: (k) => ({
    pins: [...k.rows.map((pin, i) => ({ pin, path: ['keypad', 'rows', i] })), ...k.cols.map((pin, i) => ({ pin, path: ['keypad', 'cols', i] }))],
  }),
  check(k, bad) {
    if (k.keys.length !== k.rows.length) {
      bad(['keypad', 'keys'], `keys has ${k.keys.length} rows but the keypad has ${k.rows.length} row pins (rows × cols = ${k.rows.length} × ${k.cols.length})`);
    }
    const seen = new Set<string>();
    k.keys.forEach((row, r) => {
      if (row.length !== k.cols.length) bad(['keypad', 'keys', r], `keys[${r}] has ${row.length} keys but the keypad has ${k.cols.length} column pins`);
      row.forEach((key, c) => {
        if (key === '') return;
        if (!KEY_NAMES.includes(key)) {
          const hint = suggest(key, KEY_NAMES);
          bad(['keypad', 'keys', r, c], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
        } else if (seen.has(key)) bad(['keypad', 'keys', r, c], `key "${key}" appears twice in the grid`);
        seen.add(key);
      });
    });
  },
  keyNames: (k) => k.keys.flat().filter((key) => key !== ''),
  debounceMs: (k) => k.debounceMs,
  driver: (k, ctx) => ctx.at('keypad', async () => {
    const rows: ResolvedPin[] = [];
    const cols: ResolvedPin[] = [];
    for (const [i, p] of k.rows.entries()) rows.push(await ctx.resolve(p, `keypad.rows[${i}]`));
    for (const [i, p] of k.cols.entries()) cols.push(await ctx.resolve(p, `keypad.cols[${i}]`));
    const all = [...rows, ...cols];
    const debounceScans = Math.max(1, Math.ceil(k.debounceMs / Math.max(1, k.scanMs)));
    const single = all.every((p) => p.gpio === all[0]!.gpio) ? all[0]!.gpio : undefined;
    const chip = single ? ctx.mcpBehind(single) : undefined;
    if (single && chip) {
      // Whole-port scanner (DS20001952C §3.2.1): lines are claimed through the driver first so its
      // IODIR/GPPU shadows agree with what the scanner writes (columns pulled up, rows idle inputs).
      for (const r of rows) await single.openLine(r.offset, { direction: 'in', bias: 'disable', consumer: 'keypad row' });
      for (const c of cols) await single.openLine(c.offset, { direction: 'in', bias: 'pull-up', consumer: 'keypad col' });
      const { Mcp23017Keypad } = await import('../../drivers/mcp23017-keypad.js');
      return new Mcp23017Keypad({
        chip, clock: ctx.clock, rows: rows.map((r) => r.offset), cols: cols.map((c) => c.offset), keymap: k.keys,
        scanIntervalMs: k.scanMs, debounceScans, ...ctx.logger,
      });
    }
    // Generic scanner over lines; a mux lets rows/columns sit on different controllers.
    const mux: GpioController = { label: 'keypad pins', lineCount: all.length, openLine: (i, o) => all[i]!.gpio.openLine(all[i]!.offset, o) };
    const { openMatrixKeypad } = await import('../../drivers/matrix-keypad.js');
    return openMatrixKeypad({
      gpio: mux, clock: ctx.clock, rows: rows.map((_, i) => i), cols: cols.map((_, i) => rows.length + i), keymap: k.keys,
      scanIntervalMs: k.scanMs, debounceScans, ...ctx.logger,
      // Park the scan loop while idle only where every line's watch() is edge-event driven
      // (GpioController.edgeEvents): the emulator, the gpiod CLI (gpiomon) and sysfs (onoff, epoll).
      // node-libgpiod 1.x and the MCP23017 driver poll inside watch(), so there the scan loop stays.
      idleWake: all.every((p) => p.gpio.edgeEvents === true),
    });
  }),
  async emulate(k, ctx) {
    const pins = [...k.rows, ...k.cols];
    let matrix: { press(k: string): void; release(k: string): void };
    if (pins.every((p) => p.kind === 'gpio')) {
      const { EmulatedKeyMatrix } = await import('../../emul/keypad-matrix.js');
      matrix = new EmulatedKeyMatrix({ gpio: ctx.header, clock: ctx.clock, rows: k.rows.map((p) => (p as { gpio: number }).gpio), cols: k.cols.map((p) => (p as { gpio: number }).gpio), keymap: k.keys });
    } else if (pins.every((p) => p.kind === 'expander' && p.expander === (pins[0] as { expander: string }).expander)) {
      const chip = ctx.mcp(pins[0]!, 'keypad.rows[0]').chip;
      matrix = chip.attachKeyMatrix({ rows: k.rows.map((p, i) => ctx.mcp(p, `keypad.rows[${i}]`).pin), cols: k.cols.map((p, i) => ctx.mcp(p, `keypad.cols[${i}]`).pin), keymap: k.keys });
    } else {
      throw new HalError('UNAVAILABLE', 'a key matrix split over several chips cannot be emulated yet', {
        device: 'keypad', operation: 'compose emulated board', hint: 'put all rows and columns on header GPIOs or on one MCP23017',
      });
    }
    const keys = new Map<string, KeyAction>();
    for (const key of k.keys.flat()) if (key !== '') keys.set(key, { press: () => matrix.press(key), release: () => matrix.release(key) });
    return keys;
  },
} satisfies KeypadComponent<MatrixKeypadConfig>;
