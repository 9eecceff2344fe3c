/**
 * `npm run fuzz [-- --inputs N] [--target NAME] [--seed S]`: runs every fuzz target (scripts/fuzz-targets.ts)
 * for N inputs (default 10^6 each) and prints crashes, the slowest input and the heap. Crashing and
 * slowest inputs are written to test/fixtures/fuzz/<target>/ so they stay in the corpus.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGETS } from './fuzz-targets.js';
import { CORPUS_DIR, fuzz, loadCorpus } from './fuzz-run.js';


function keep(target: string, name: string, input: Uint8Array): string {
  const dir = join(CORPUS_DIR, target);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.bin`);
  writeFileSync(file, input);
  return file;
}

const { values } = parseArgs({ options: { inputs: { type: 'string', default: '1000000' }, target: { type: 'string' },
  seed: { type: 'string', default: String(Date.now() % 2 ** 31) } } });
const n = Number(values.inputs);
let failed = 0;
for (const t of TARGETS.filter((x) => !values.target || x.name === values.target)) {
  const rep = fuzz(t, n, { seed: Number(values.seed), corpus: loadCorpus(t.name) });
  const rate = Math.round(rep.inputs / (rep.elapsedMs / 1000));
  console.log(`${t.name}: ${rep.inputs} inputs in ${(rep.elapsedMs / 1000).toFixed(1)} s (${rate}/s), ${rep.crashes.length} crashes, ` +
    `slowest ${rep.slowestMs.toFixed(2)} ms (${rep.slowest.length} bytes), heap ${rep.heapBeforeMb.toFixed(1)} → ${rep.heapAfterMb.toFixed(1)} MB`);
  if (rep.slowestMs > 50) console.log(`  slowest input kept: ${keep(t.name, `slow-${values.seed}`, rep.slowest)}`);
  rep.crashes.forEach((c, i) => {
    failed++;
    console.log(`  CRASH ${i + 1}: ${c.error.split('\n').slice(0, 4).join('\n    ')}\n  input kept: ${keep(t.name, `crash-${values.seed}-${i}`, c.input)}`);
  });
}
console.log(`seed ${values.seed}; ${failed ? `${failed} crashes` : 'no crashes'}`);
process.exitCode = failed ? 1 : 0;
