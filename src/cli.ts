/**
 * deskphone command line: the composition root's front door. Each command loads its modules
 * lazily so `deskphone --help` works everywhere and a board never loads the simulator. Each
 * command parses its own options (src/command-line.ts) from a table next to its handler.
 */
import { Command, CommanderError } from 'commander';
import { CliExit, packageVersion } from './command-line.js';
import { summaryOf } from './command-summaries.js';

interface CommandEntry { run(argv: string[]): Promise<number> }

export const COMMANDS: Record<string, CommandEntry> = {
  sim: {
    run: async (argv) => (await import('./sim/main.js')).simMain(argv),
  },
  scenario: {
    run: async (argv) => (await import('./scenario/main.js')).scenarioMain(argv),
  },
  callmanager: {
    run: async (argv) => (await import('./callmanager-main.js')).callManagerMain(argv),
  },
  board: {
    run: async (argv) => (await import('./board-main.js')).boardMain(argv),
  },
  tsp: {
    run: async (argv) => (await import('./tsp-main.js')).tspMain(argv),
  },
  doctor: {
    run: async (argv) => (await import('./doctor/main.js')).doctorMain(argv),
  },
  phone: {
    run: async (argv) => (await import('./phone-main.js')).phoneMain(argv),
  },
  status: {
    run: async (argv) => (await import('./status-main.js')).statusMain(argv),
  },
  install: {
    run: async (argv) => (await import('./install/main.js')).installMain(argv),
  },
  uninstall: {
    run: async (argv) => (await import('./install/main.js')).uninstallMain(argv),
  },
};

function program(out: (s: string) => void, err: (s: string) => void): Command {
  const p = new Command('deskphone')
    .description('deskphone: firmware for DIY desk phones (SCCP/SSCP stations, RTP media, emulated boards)')
    .usage('<command> [options]')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err, outputError: (s, write) => write(`deskphone: ${s.replace(/^error: /, '')}`) })
    .showSuggestionAfterError(true)
    .addHelpText('after', '\nRun `deskphone <command> --help` for a command\'s options.\n' +
      'Exit codes: 0 done, 1 runtime failure, 2 usage or config error.');
  for (const name of Object.keys(COMMANDS)) p.addCommand(new Command(name).description(summaryOf(name)));
  return p;
}

export function usage(): string {
  return program(() => {}, () => {}).helpInformation();
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name !== undefined ? COMMANDS[name] : undefined;
  if (cmd) {
    try { return await cmd.run(rest); } catch (e) { if (e instanceof CliExit) return e.exitCode; throw e; }
  }
  if (name === undefined || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  try {
    // Only --help, --version and unknown commands (with a suggestion) get here.
    program((s) => process.stdout.write(s), (s) => process.stderr.write(s)).parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    throw e;
  }
  return 2;
}
