/**
 * One command's command line, parsed by commander from a table of options that lives next to the
 * command's handler (adding an option is one entry in that table; `--help` lists it with its
 * default). Exit codes everywhere: 0 done, 1 runtime failure, 2 usage or config error.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './node/package-root.js';

/** One option, in the shape of node:util parseArgs options plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean | readonly string[];
  /** One line for `--help`. */
  help: string;
  /** Placeholder of the value in `--help` (default VALUE): `--port N`. */
  arg?: string;
  /** The default as `--help` shows it, when the value itself is not what a user would type (an absolute path). */
  defaultText?: string;
  /** Accepted values (checked, listed in `--help`). */
  choices?: readonly string[];
}

export interface CommandSpec<T extends Record<string, OptionSpec>> {
  /** Words after `deskphone`: "sim", "board check". */
  name: string;
  summary: string;
  /** Positional arguments in commander syntax ("<FILE...>", "[CALLID]"); none when absent. */
  args?: string;
  options: T;
  /** Lines appended to `--help` (examples). */
  epilog?: string;
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? string[] : string;
export type OptionValues<T extends Record<string, OptionSpec>> = {
  [K in keyof T]: T[K] extends { default: unknown } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

/** A usage error (bad or missing option/argument): exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

/** `--help` or `--version` was printed: nothing else to do, exit with `exitCode`. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) { super(`exit ${exitCode}`); this.name = 'CliExit'; }
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Logging options shared by every long-running command (docs/logging.md). */
export const LOG_OPTIONS = {
  'log-level': { type: 'string', default: 'info', choices: ['debug', 'info', 'warn', 'error'], arg: 'LEVEL', help: 'least severe log level printed (to stderr)' },
  verbose: { type: 'boolean', short: 'v', default: false, help: 'same as --log-level debug' },
  trace: { type: 'boolean', default: false, help: 'log every SCCP, SSCP and TSP message sent and received, decoded (name and fields)' },
} as const satisfies Record<string, OptionSpec>;

/** Builds the commander command for `spec`; output goes to `out`/`err`. */
function build<T extends Record<string, OptionSpec>>(spec: CommandSpec<T>, err: (s: string) => void, out: (s: string) => void): Command {
  const cmd = new Command(`deskphone ${spec.name}`)
    .description(spec.summary)
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: out, writeErr: err,
      outputError: (s, write) => write(`deskphone ${spec.name}: ${s.replace(/^error: /, '')}`),
    })
    .showHelpAfterError(`(run \`deskphone ${spec.name} --help\` for the options)`)
    .allowExcessArguments(false);
  if (spec.args) cmd.arguments(spec.args);
  for (const [name, o] of Object.entries(spec.options)) {
    const flags = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.arg ?? 'VALUE'}>` : ''}`;
    const opt = new Option(flags, o.multiple ? `${o.help} (repeatable)` : o.help);
    if (o.choices) opt.choices(o.choices);
    if (o.multiple) opt.argParser((v: string, prev: string[] | undefined) => [...(prev === o.default ? [] : prev ?? []), v]);
    if (o.default !== undefined && o.default !== false) opt.default(o.default, o.defaultText);
    else if (o.type === 'boolean') opt.default(false);
    cmd.addOption(opt);
  }
  if (spec.epilog) cmd.addHelpText('after', `\n${spec.epilog}`);
  return cmd;
}

export interface ParseIo { out?: (s: string) => void; err?: (s: string) => void }

/**
 * Parses `argv` (the words after the command name). Throws CliExit(0) after printing `--help`,
 * UsageError (already printed to stderr) for anything commander rejects.
 */
export function parseCommandLine<const T extends Record<string, OptionSpec>>(
  spec: CommandSpec<T>, argv: readonly string[], io: ParseIo = {},
): { values: OptionValues<T>; positionals: string[]; explicit: ReadonlySet<keyof T & string> } {
  const cmd = build(spec, io.err ?? ((s) => process.stderr.write(s)), io.out ?? ((s) => process.stdout.write(s)));
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') throw new CliExit(0);
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const parsed = cmd.opts();
  const values: Record<string, unknown> = {};
  /** Options given on the command line (not defaults): a config file's value yields to these only. */
  const explicit = new Set<keyof T & string>();
  for (const [name, o] of Object.entries(spec.options)) {
    const attr = cmd.options.find((x) => x.long === `--${name}`)!.attributeName();
    values[name] = parsed[attr] ?? (o.type === 'boolean' ? false : undefined);
    if (cmd.getOptionValueSource(attr) === 'cli') explicit.add(name as keyof T & string);
  }
  return { values: values as OptionValues<T>, positionals: cmd.args, explicit };
}

/**
 * A usage error found by the handler after parsing (a bad number, a missing required option):
 * prints it like commander's own and returns exit code 2.
 */
export function usageError(command: string, message: string): number {
  process.stderr.write(`deskphone ${command}: ${message}\n(run \`deskphone ${command} --help\` for the options)\n`);
  return 2;
}

/** Parses an integer option, or returns undefined after printing a usage error. */
export function intOption(command: string, name: string, text: string, min: number, max: number, what: string): number | undefined {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    usageError(command, `--${name} ${text}: expected ${what} ${min}..${max}`);
    return undefined;
  }
  return n;
}
