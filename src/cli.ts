/**
 * deskphone command line: the composition root's front door. Each command loads its modules
 * lazily so `deskphone --help` works everywhere and a board never loads the simulator.
 */
interface Command { summary: string; usage: string; run(argv: string[]): Promise<number> }

const COMMANDS: Record<string, Command> = {
  sim: {
    summary: 'run emulated phones and the embedded call manager, LCDs and lamps live in the terminal',
    usage: 'deskphone sim [--phones N] [--config callmanager.yaml] [--board board.yaml] [--port N] [--server HOST:PORT [--device SEP...]...]',
    run: async (argv) => (await import('./sim/main.js')).simMain(argv),
  },
  scenario: {
    summary: 'run YAML scenarios (physical steps and expectations) against emulated phones',
    usage: 'deskphone scenario FILE... [--verbose]',
    run: async (argv) => (await import('./scenario/main.js')).scenarioMain(argv),
  },
  callmanager: {
    summary: 'run the software call manager (SCCP on TCP 2000 by default)',
    usage: 'deskphone callmanager [--config FILE] [--host ADDR] [--port N]',
    run: async (argv) => (await import('./callmanager-main.js')).callManagerMain(argv),
  },
  board: {
    summary: 'validate board configs',
    usage: 'deskphone board check FILE...',
    run: async (argv) => (await import('./board-main.js')).boardMain(argv),
  },
  tsp: {
    summary: 'third-party call control client: click-to-dial against the call manager\'s TSP port',
    usage: 'deskphone tsp dial NUMBER | drop | watch  [--host H] [--port N] --user U --secret S',
    run: async (argv) => (await import('./tsp-main.js')).tspMain(argv),
  },
  doctor: {
    summary: 'probe the peripherals a board config names and print the fix for each failure',
    usage: 'deskphone doctor --board FILE',
    run: async (argv) => (await import('./doctor/main.js')).doctorMain(argv),
  },
  phone: {
    summary: 'run one phone: a board config and a call manager (emulated board: --emulated)',
    usage: 'deskphone phone --board FILE --server HOST:PORT [--server HOST:PORT ...] [--device SEP...] [--emulated]',
    run: async (argv) => (await import('./phone-main.js')).phoneMain(argv),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'deskphone: firmware for DIY desk phones (SCCP/SSCP stations, RTP media, emulated boards)',
    '',
    'Usage: deskphone <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `deskphone <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`deskphone: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: ${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  return cmd.run(rest);
}
