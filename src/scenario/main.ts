/** `deskphone scenario FILE...`: runs each scenario on a fresh emulated rig; exit 1 if any fails. */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/yaml-config.js';
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
  // Ctrl-C / SIGTERM mid-scenario: the phones leave the call manager cleanly (OnHook, Unregister) before exiting.
  let rig: Awaited<ReturnType<typeof buildEmulatedRig>> | undefined;
  const interrupted = (sig: string): void => {
    console.error(`✘ ${sig}: stopping the phones`);
    void (rig?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  for (const file of positionals) {
    const started = Date.now();
    try {
      const scenario = loadScenario(file);
      console.log(`▶ ${scenario.name} (${file})`);
      rig = await buildEmulatedRig(scenario, log);
      try {
        await runScenario(scenario, rig, (line) => console.log(line));
      } finally {
        await rig.close();
        rig = undefined;
      }
      console.log(`✔ ${scenario.name}: passed in ${Date.now() - started} ms`);
    } catch (e) {
      failed++;
      if (e instanceof ScenarioFailure || e instanceof ConfigError) console.error(`✘ ${e.message}`);
      else console.error(`✘ ${file}: ${(e as Error).message}`);
    }
  }
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
  console.log(`${positionals.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
