/**
 * Scenario files (docs/scenarios.md): phones, a call manager, and steps that act physically and
 * expect physical results. Validated with the shared loader so errors name file, line and key.
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { YamlSource, loadConfig, type ConfigProblem } from '../../lib/config/yaml-config.js';

/** "5s", "250ms", or a number of milliseconds. */
export const duration = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s)$/, 'expected a duration like "500ms" or "5s"'),
]).transform((v) => typeof v === 'number' ? v : v.endsWith('ms') ? parseFloat(v) : parseFloat(v) * 1000);

const lampMode = z.enum(['off', 'on', 'wink', 'flash', 'blink']);
const toneName = z.enum(['dial', 'ringback', 'busy', 'reorder', 'none']);

const phone = z.strictObject({
  device: z.string().regex(/^SEP[0-9A-Fa-f]{12}$/, 'expected SEP followed by 12 hex digits'),
  line: z.string().optional(),
  board: z.string().default('board-configs/laptop-emulated.yaml'),
  /** Frequency of this phone's emulated microphone (a sine), so the far end can be recognised. */
  tone: z.number().min(100).max(3800),
  protocol: z.enum(['sccp', 'sscp']).default('sccp'),
  /** The phone's own phone book (phone config `phoneBook:`, docs/phone-config.md): Directories → 2 lists it. */
  phoneBook: z.array(z.strictObject({
    name: z.string().min(1).max(40),
    number: z.string().regex(/^[0-9*#+]{1,24}$/, 'a number is digits, "*", "#" or "+" (as dialled)'),
  })).max(100).optional(),
});

/** A regular expression over the LCD rows, checked when the file loads. */
const regex = z.string().superRefine((v, ctx) => {
  try { new RegExp(v, 'm'); } catch (e) { ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` }); }
});

const expectation = z.strictObject({
  phone: z.string(),
  within: duration.optional(),
  lcd: regex.optional(),
  lcdNot: regex.optional(),
  /** Limits lcd / lcdNot to one LCD row (1 = top). */
  row: z.number().int().min(1).max(64).optional(),
  /** Codec of the phone's current receive stream. */
  codec: z.enum(['PCMU', 'PCMA', 'G722']).optional(),
  /** How much of the earpiece `hears` / `hearsNot` (default 200 ms) and `tone` (default per tone) listen to. */
  window: duration.optional(),
  lamp: z.record(z.string(), lampMode).optional(),
  ringer: z.union([z.enum(['on', 'off']), z.enum(['inside', 'outside', 'feature', 'flash'])]).optional(),
  tone: toneName.optional(),
  hears: z.union([z.string(), z.number()]).optional(),
  hearsNot: z.union([z.string(), z.number()]).optional(),
});

const step = z.union([
  z.strictObject({ lift: z.string() }),
  z.strictObject({ replace: z.string() }),
  /** Stop the phone as Ctrl-C / SIGTERM would (it leaves the call manager) and boot it again; `callmanager` = the embedded CM. */
  z.strictObject({ restart: z.string() }),
  z.strictObject({ press: z.strictObject({ phone: z.string(), keys: z.union([z.string(), z.number()]).transform(String) }) }),
  z.strictObject({ key: z.strictObject({ phone: z.string(), name: z.string() }) }),
  z.strictObject({ softkey: z.strictObject({ phone: z.string(), label: z.string() }) }),
  z.strictObject({ wait: duration }),
  z.strictObject({ expect: expectation }),
]);

/** `hears: music` / `hearsNot: music`: music on hold (src/scenario/music.ts), not a phone; no phone may have this name. */
export const MUSIC = 'music';

/** `restart: callmanager` restarts the embedded call manager; no phone may have this name. */
export const CALL_MANAGER = 'callmanager';

export const scenarioSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  timeout: duration.default(5000),
  callmanager: z.union([
    z.strictObject({ embedded: z.string() }),
    z.strictObject({
      external: z.string().regex(/^[^:]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/, 'expected host:port'),
      /** UDP port of the external CM's SSCP listener, for `protocol: sscp` phones (docs/sscp.md §4: 5070). */
      sscpPort: z.number().int().min(1).max(65535).default(5070),
    }),
  ]),
  phones: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'phone names are lower-case words'), phone),
  steps: z.array(step).min(1),
});

export type Scenario = z.output<typeof scenarioSchema> & { file: string; baseDir: string };
export type ScenarioStep = Scenario['steps'][number];
export type Expectation = z.output<typeof expectation>;

function phoneRefs(s: z.output<typeof scenarioSchema>, src: YamlSource): ConfigProblem[] {
  const names = Object.keys(s.phones);
  const problems: ConfigProblem[] = [];
  if (names.includes(MUSIC)) problems.push(src.problem(['phones', MUSIC], `"${MUSIC}" means music on hold in hears / hearsNot; call the phone something else`));
  if (names.includes(CALL_MANAGER)) problems.push(src.problem(['phones', CALL_MANAGER], `"${CALL_MANAGER}" names the call manager in restart steps; call the phone something else`));
  s.steps.forEach((st, i) => {
    const [kind, arg] = Object.entries(st)[0]!;
    const ref = typeof arg === 'string' ? arg : (arg as { phone?: string }).phone;
    const path = typeof arg === 'string' ? ['steps', i, kind] : ['steps', i, kind, 'phone'];
    if (kind === 'restart' && ref === CALL_MANAGER) {
      if (!('embedded' in s.callmanager)) problems.push(src.problem(path, 'restart: callmanager needs callmanager: { embedded: FILE } (an external call manager is not ours to restart)'));
      return;
    }
    if (kind !== 'wait' && ref !== undefined && !names.includes(ref)) {
      problems.push(src.problem(path, `unknown phone "${ref}" (phones: ${names.join(', ')})`));
    }
    for (const key of ['hears', 'hearsNot'] as const) {
      const hears = kind === 'expect' ? (arg as Expectation)[key] : undefined;
      if (typeof hears === 'string' && hears !== MUSIC && !names.includes(hears)) {
        problems.push(src.problem(['steps', i, kind, key], `unknown phone "${hears}" (or "${MUSIC}" for music on hold)`));
      }
    }
  });
  return problems;
}

export function loadScenario(file: string): Scenario {
  const src = YamlSource.fromFile(file);
  const s = loadConfig(src, scenarioSchema, { crossCheck: phoneRefs });
  return { ...s, file, baseDir: dirname(resolve(file)) };
}
