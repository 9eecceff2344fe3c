/** `deskphone board check FILE...`: validates board configs, printing every problem with file:line. */
import { checkBoardFiles } from '../hal/board/load.js';

export async function boardMain(argv: string[]): Promise<number> {
  const [sub, ...files] = argv;
  if (sub !== 'check' || files.length === 0) {
    console.error('Usage: deskphone board check FILE...');
    return 2;
  }
  let bad = 0;
  for (const r of checkBoardFiles(files)) {
    if (r.ok) console.log(`ok    ${r.file}`);
    else { bad++; console.log(`FAIL  ${r.file}`); for (const p of r.problems) console.log(`  ${p}`); }
  }
  return bad ? 1 : 0;
}
