/** `deskphone scenario FILE...`: runs each scenario on a fresh emulated rig; exit 1 if any fails. */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../lib/config/yaml-config.js';
import { createLogger } from '../node/logger.js';
import { loadScenario } from './schema.js';
import { buildEmulatedRig } from './emulated-rig.js';
import { runScenario, ScenarioFailure } from './runner.js';

export async function scenarioMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { verbose: { type: 'boolean', short: 'v' }, debug: { type: 'boolean' } },
  });
  if (positionals.length === 0) { console.error('deskphone scenario: give one or more scenario files'); return 2; }
  const log = createLogger(values.debug ? 'debug' : values.verbose ? 'info' : 'warn');
  let failed = 0;
  for (const file of positionals) {
    const started = Date.now();
    try {
      const scenario = loadScenario(file);
      console.log(`▶ ${scenario.name} (${file})`);
      const rig = await buildEmulatedRig(scenario, log);
      try {
        await runScenario(scenario, rig, (line) => console.log(line));
      } finally {
        await rig.close();
      }
      console.log(`✔ ${scenario.name}: passed in ${Date.now() - started} ms`);
    } catch (e) {
      failed++;
      if (e instanceof ScenarioFailure || e instanceof ConfigError) console.error(`✘ ${e.message}`);
      else console.error(`✘ ${file}: ${(e as Error).message}`);
    }
  }
  console.log(`${positionals.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
