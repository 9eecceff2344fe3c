/**
 * `deskphone install` and `deskphone uninstall` (docs/install.md): the phone as a systemd service
 * on Raspberry Pi OS Bookworm. As root on the system, or with `--root DIR` into a tree: files
 * only, every command printed as "would run" (packaging, tests).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommandLine, usageError } from '../command-line.js';
import { summaryOf } from '../command-summaries.js';
import { LAYOUT } from './layout.js';
import { installSteps, uninstallSteps } from './plan.js';
import { applySteps, InstallError, type Io } from './steps.js';
import { packageRoot } from '../node/package-root.js';

/** The package this command runs from: dist/src/install/main.js → the checkout or /opt/deskphone. */
const SOURCE = packageRoot(import.meta.url);
const DEFAULT_BOARD = 'board-configs/pi4-hd44780-matrix.yaml';
const PHONE_EXAMPLE = 'config/phone.example.yaml';

const ROOT_OPTION = { type: 'string', arg: 'DIR', help: 'work on the tree under DIR instead of the system: files only, commands are printed, not run (packaging, tests)' } as const;

const INSTALL = {
  name: 'install', summary: summaryOf('install'),
  options: {
    root: ROOT_OPTION,
    board: { type: 'string', arg: 'FILE', default: DEFAULT_BOARD, help: `board config copied to ${LAYOUT.etc}/board.yaml when there is none (its HID ids make the udev rule)` },
    node: { type: 'string', arg: 'PATH', default: process.execPath, help: 'node binary the service runs' },
  },
  epilog: 'Example (on the Pi, in a built checkout):\n  sudo node dist/src/bin.js install\nInto a tree (no root needed):\n  deskphone install --root /tmp/pkg',
} as const;

const UNINSTALL = {
  name: 'uninstall', summary: summaryOf('uninstall'),
  options: {
    root: ROOT_OPTION,
    purge: { type: 'boolean', default: false, help: `also remove ${LAYOUT.etc}, ${LAYOUT.state} and the user ${LAYOUT.user}` },
  },
} as const;

const io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`deskphone: ${l}\n`) };

/** Checks that need the real system: root, a built package. Returns an error sentence. */
function preflight(command: string, root: string | undefined): string | undefined {
  if (root === undefined && process.getuid?.() !== 0) {
    return `deskphone ${command} changes the system (users, /etc, /opt, systemd): run it as root, e.g. \`sudo node dist/src/bin.js ${command}\`, or give --root DIR to write a tree`;
  }
  return undefined;
}

function run(steps: () => ReturnType<typeof installSteps>, root: string | undefined): number {
  try {
    applySteps(steps(), { root, io });
    return 0;
  } catch (e) {
    if (e instanceof InstallError) { io.err(e.message); return 1; }
    throw e;
  }
}

export async function installMain(argv: string[]): Promise<number> {
  const { values, explicit } = parseCommandLine(INSTALL, argv);
  const root = values.root === undefined ? undefined : resolve(values.root);
  const problem = preflight('install', root);
  if (problem) { io.err(problem); return 1; }
  const board = explicit.has('board') ? resolve(values.board) : resolve(SOURCE, DEFAULT_BOARD);
  if (!existsSync(board)) return usageError('install', `--board ${values.board}: no such file (the shipped ones are in ${SOURCE}/board-configs)`);
  if (!existsSync(resolve(SOURCE, 'dist/src/bin.js'))) { io.err(`${SOURCE} is not built: run \`npm ci && npm run build\` first`); return 1; }
  if (!existsSync(values.node)) return usageError('install', `--node ${values.node}: no such file`);
  if (/^\/(home|root)\//.test(values.node)) {
    io.err(`warning: node is ${values.node}, under /home or /root, which the service cannot see (ProtectHome=yes): install Node.js system-wide (\`sudo apt install nodejs\`) or give --node`);
  }
  return run(() => installSteps({ source: SOURCE, root, node: values.node, boardExample: board, phoneExample: resolve(SOURCE, PHONE_EXAMPLE) }), root);
}

export async function uninstallMain(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(UNINSTALL, argv);
  const root = values.root === undefined ? undefined : resolve(values.root);
  const problem = preflight('uninstall', root);
  if (problem) { io.err(problem); return 1; }
  return run(() => uninstallSteps({ root, purge: values.purge }), root);
}
