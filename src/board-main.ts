/**
 * `deskphone board check FILE...`: validates board configs, printing every problem with
 * file:line:col. Exit 0 when every file is valid, 2 when one is not (a config error).
 */
import { checkBoardFiles } from '../hal/board/load.js';
import { parseCommandLine, usageError } from './command-line.js';

const SPEC = {
  name: 'board check', summary: 'validate board configs: every problem of every file, with file:line:col (docs/board-config.md)',
  args: '<FILE...>', options: {},
} as const;

export async function boardMain(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') { parseCommandLine(SPEC, ['--help']); return 0; }
  if (sub !== 'check') return usageError('board', sub === undefined ? 'missing subcommand: deskphone board check FILE...' : `unknown subcommand "${sub}": deskphone board check FILE...`);
  const { positionals: files } = parseCommandLine(SPEC, rest);
  let bad = 0;
  for (const r of checkBoardFiles(files)) {
    if (r.ok) console.log(`ok    ${r.file}`);
    else { bad++; console.log(`FAIL  ${r.file}`); for (const p of r.problems) console.log(`  ${p}`); }
  }
  return bad ? 2 : 0;
}
