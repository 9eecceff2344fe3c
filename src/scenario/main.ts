/**
 * `deskphone scenario FILE...`: runs each scenario on a fresh emulated rig. Exit 1 if a scenario
 * fails, 2 if a file is not a valid scenario (and none failed).
 */
import { ConfigError } from '../../lib/config/yaml-config.js';
import { createLogger, levelFromOptions } from '../node/logger.js';
import { LOG_OPTIONS, parseCommandLine } from '../command-line.js';
import { summaryOf } from '../command-summaries.js';
import { loadScenario } from './schema.js';
import { buildEmulatedRig } from './emulated-rig.js';
import { runScenario, ScenarioFailure } from './runner.js';

const SPEC = {
  name: 'scenario', summary: summaryOf('scenario'), args: '<FILE...>',
  options: {
    ...LOG_OPTIONS,
    'log-level': { ...LOG_OPTIONS['log-level'], default: 'warn' },
    verbose: { type: 'boolean', short: 'v', default: false, help: 'same as --log-level info: the phones\' and call manager\'s log lines' },
    debug: { type: 'boolean', default: false, help: 'same as --log-level debug' },
  },
  epilog: 'Scenario files: docs/scenarios.md. Results go to stdout, log lines to stderr.',
} as const;

export async function scenarioMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(SPEC, argv);
  const log = createLogger(values.debug ? 'debug' : values.verbose && !values.trace ? 'info' : levelFromOptions(values, 'warn'));
  let failed = 0;
  let invalid = 0;
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
      if (e instanceof ConfigError) invalid++; else failed++;
      if (e instanceof ScenarioFailure || e instanceof ConfigError) console.error(`✘ ${e.message}`);
      else console.error(`✘ ${file}: ${(e as Error).message}`);
    }
  }
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
  console.log(`${positionals.length - failed - invalid} passed, ${failed + invalid} failed`);
  return failed ? 1 : invalid ? 2 : 0;
}
