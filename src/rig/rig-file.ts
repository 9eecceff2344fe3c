/**
 * Rig files (docs/hil.md "Rig file"): which boards are on the bench, how to reach each one's
 * agent, where the embedded call manager listens for them, and optionally the test host's GPIO
 * lines wired to a board's keypad matrix, hook switch, lamps and ringer. Validated with the shared
 * YAML loader, so errors name file, line and key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { YamlSource, loadConfig, type ConfigProblem } from '../../lib/config/yaml-config.js';
import { duration } from '../scenario/schema.js';

const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected HOST:PORT');
/** A line of the test host's GPIO chip by its offset, written like board configs: gpio17 (BCM 17 on a Pi). */
const hostLine = z.string().regex(/^gpio\d{1,3}$/, 'expected a host line like gpio17').transform((s) => Number(s.slice(4)));
/** An input of the test host reading a board output; `activeLow` when an optocoupler pulls it low while lit. */
const hostInput = z.union([hostLine.transform((line) => ({ line, activeLow: false })), z.strictObject({ line: hostLine, activeLow: z.boolean().default(false) })]);

const wired = z.strictObject({
  /** The test host's GPIO chip (gpiochip0 = the Pi 4 header). */
  chip: z.string().default('gpiochip0'),
  /** How long a key's switch stays closed, and open after it (default: 5 × the board's debounce, ≥ 100 ms). */
  pressMs: duration.optional(),
  /** Host output → analog switch across the key's row and column (or the button's contact). */
  keys: z.record(z.string(), hostLine).default({}),
  /** Host output → analog switch across the hook contact (closed = handset lifted). */
  hook: hostLine.optional(),
  /** Board lamp outputs → host inputs. */
  lamps: z.record(z.string(), hostInput).default({}),
  /** Board ringer output → host input. */
  ringer: hostInput.optional(),
});

const board = z.strictObject({
  agent: hostPort,
  /** The agent's token: inline, from a file (first line) or from an environment variable. */
  token: z.string().min(8).optional(),
  tokenFile: z.string().optional(),
  tokenEnv: z.string().optional(),
  /** Expected device name; default: the one the board reports. A mismatch is an error. */
  device: z.string().regex(/^SEP[0-9A-Fa-f]{12}$/, 'expected SEP followed by 12 hex digits').optional(),
  wired: wired.optional(),
});

export const rigFileSchema = z.strictObject({
  version: z.literal(1),
  /** Where an embedded call manager listens: the address the boards were given as --server. */
  callmanager: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(2000),
    sscpPort: z.number().int().min(1).max(65535).default(5070),
    /**
     * HTTP directory port when the scenario's CM config enables `directory.http` (docs/directory.md §3);
     * absent = that config's port. SCCP boards are given it as --directory-url http://{cm}:PORT/directory.
     */
    directoryPort: z.number().int().min(1).max(65535).optional(),
  }).default({ host: '127.0.0.1', port: 2000, sscpPort: 5070 }),
  /** How long boards get to register after a reset, before a scenario's first step. */
  registerTimeout: duration.default(20_000),
  boards: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'board names are words'), board),
});

export type RigFile = z.output<typeof rigFileSchema> & { file: string };
export type RigBoard = RigFile['boards'][string] & { token: string };
export type WiredConfig = NonNullable<RigBoard['wired']>;

function crossCheck(r: z.output<typeof rigFileSchema>, src: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [name, b] of Object.entries(r.boards)) {
    const given = [b.token, b.tokenFile, b.tokenEnv].filter((x) => x !== undefined).length;
    if (given !== 1) problems.push(src.problem(['boards', name], 'give exactly one of token, tokenFile, tokenEnv'));
    if (!b.wired) continue;
    const used = new Map<string, string>();
    const claim = (line: number, what: string, path: (string | number)[]): void => {
      const key = `${b.wired!.chip}:${line}`;
      const other = used.get(key);
      if (other) problems.push(src.problem(path, `host line gpio${line} is already wired to ${other}`));
      used.set(key, what);
    };
    for (const [k, l] of Object.entries(b.wired.keys)) claim(l, `key ${k}`, ['boards', name, 'wired', 'keys', k]);
    if (b.wired.hook !== undefined) claim(b.wired.hook, 'the hook', ['boards', name, 'wired', 'hook']);
    for (const [k, l] of Object.entries(b.wired.lamps)) claim(l.line, `lamp ${k}`, ['boards', name, 'wired', 'lamps', k]);
    if (b.wired.ringer) claim(b.wired.ringer.line, 'the ringer', ['boards', name, 'wired', 'ringer']);
  }
  return problems;
}

export function loadRigFile(file: string, env: NodeJS.ProcessEnv = process.env): RigFile & { boards: Record<string, RigBoard> } {
  const src = YamlSource.fromFile(file);
  const r = loadConfig(src, rigFileSchema, { crossCheck });
  const boards: Record<string, RigBoard> = {};
  for (const [name, b] of Object.entries(r.boards)) {
    let token = b.token;
    if (b.tokenFile !== undefined) {
      const path = resolve(dirname(resolve(file)), b.tokenFile);
      try { token = readFileSync(path, 'utf8').split('\n')[0]!.trim(); } catch (e) {
        throw new Error(`${file}: boards.${name}.tokenFile: cannot read ${path}: ${(e as Error).message}`);
      }
    }
    if (b.tokenEnv !== undefined) {
      token = env[b.tokenEnv];
      if (!token) throw new Error(`${file}: boards.${name}.tokenEnv: the environment variable ${b.tokenEnv} is not set`);
    }
    boards[name] = { ...b, token: token! };
  }
  return { ...r, boards, file };
}
