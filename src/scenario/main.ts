/**
 * `deskphone scenario FILE... [--rig RIG.yaml] [--reporter text|tap|junit] [--report-file F]`:
 * runs each scenario on a fresh emulated rig, or with --rig against the boards of a rig file
 * (docs/hil.md). Exit 1 if a scenario fails, 2 if a file is not a valid scenario (and none failed).
 */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../../lib/config/yaml-config.js';
import { createLogger, levelFromOptions, type Logger } from '../node/logger.js';
import { LOG_OPTIONS, parseCommandLine } from '../command-line.js';
import { summaryOf } from '../command-summaries.js';
import { loadScenario, type Scenario } from './schema.js';
import { buildEmulatedRig } from './emulated-rig.js';
import { runScenario, ScenarioFailure } from './runner.js';
import { REPORTERS, junitReport, passed, stepLabels, tapReport, type ReporterName, type ScenarioReport } from './reporters.js';
import type { ScenarioRig } from './rig.js';

const SPEC = {
  name: 'scenario', summary: summaryOf('scenario'), args: '<FILE...>',
  options: {
    ...LOG_OPTIONS,
    'log-level': { ...LOG_OPTIONS['log-level'], default: 'warn' },
    verbose: { type: 'boolean', short: 'v', default: false, help: 'same as --log-level info: the phones\' and call manager\'s log lines' },
    debug: { type: 'boolean', default: false, help: 'same as --log-level debug' },
    rig: { type: 'string', arg: 'RIG.yaml', help: 'run against the boards of a hardware-in-the-loop rig file (docs/hil.md) instead of emulated phones' },
    reporter: { type: 'string', default: 'text', choices: REPORTERS, arg: 'NAME', help: 'text (steps as they run), tap (TAP 13) or junit (JUnit XML)' },
    'report-file': { type: 'string', arg: 'FILE', help: 'write the tap/junit report to FILE (default: stdout, progress then goes to stderr)' },
  },
  epilog: 'Scenario files: docs/scenarios.md; rigs: docs/hil.md. Results go to stdout, log lines to stderr.',
} as const;

export async function scenarioMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(SPEC, argv);
  const log = createLogger(values.debug ? 'debug' : values.verbose && !values.trace ? 'info' : levelFromOptions(values, 'warn'));
  const reporter = values.reporter as ReporterName;
  // Progress goes to stdout with the text reporter; a TAP/JUnit report on stdout keeps stdout to itself.
  const progress = reporter === 'text' || values['report-file'] ? (l: string) => console.log(l) : (l: string) => console.error(l);

  let buildRig: (s: Scenario) => Promise<ScenarioRig> = (s) => buildEmulatedRig(s, log);
  let closeBench = (): void => {};
  if (values.rig) {
    try {
      ({ buildRig, closeBench } = await openBench(values.rig, log));
    } catch (e) {
      if (e instanceof ConfigError) { console.error(`✘ ${e.message}`); return 2; }
      console.error(`✘ ${values.rig}: ${(e as Error).message}`);
      return 1;
    }
  }

  const reports: ScenarioReport[] = [];
  let invalid = 0;
  // Ctrl-C / SIGTERM mid-scenario: the phones leave the call manager cleanly (OnHook, Unregister) before exiting.
  let current: ScenarioRig | undefined;
  const interrupted = (sig: string): void => {
    console.error(`✘ ${sig}: stopping the phones`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const file of positionals) {
      const started = Date.now();
      const report: ScenarioReport = { file, name: file, ms: 0, steps: [], results: [] };
      reports.push(report);
      try {
        const scenario = loadScenario(file);
        Object.assign(report, { name: scenario.name, steps: stepLabels(scenario) });
        progress(`▶ ${scenario.name} (${file})`);
        const rig = current = await buildRig(scenario);
        try {
          report.results = await runScenario(scenario, rig, progress);
        } finally {
          await rig.close();
          current = undefined;
        }
        progress(`✔ ${scenario.name}: passed in ${Date.now() - started} ms`);
      } catch (e) {
        if (e instanceof ScenarioFailure) {
          report.results = e.results;
          report.failure = { index: e.index, step: e.step, observed: e.observed };
        } else {
          if (e instanceof ConfigError) invalid++;
          report.error = e instanceof ConfigError ? e.message : `${file}: ${(e as Error).message}`;
        }
        console.error(`✘ ${e instanceof ScenarioFailure || e instanceof ConfigError ? e.message : report.error}`);
      }
      report.ms = Date.now() - started;
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    closeBench();
  }
  const failed = reports.filter((r) => !passed(r)).length;
  progress(`${reports.length - failed} passed, ${failed} failed`);
  if (reporter !== 'text') {
    const text = reporter === 'junit' ? junitReport(reports) : tapReport(reports);
    if (values['report-file']) writeFileSync(values['report-file'], text);
    else process.stdout.write(text);
  }
  return failed > invalid ? 1 : invalid ? 2 : 0;
}

/** Connects to the rig file's boards once for the whole run (src/rig, loaded only with --rig). */
async function openBench(file: string, log: Logger): Promise<{ buildRig: (s: Scenario) => Promise<ScenarioRig>; closeBench: () => void }> {
  const { loadRigFile } = await import('../rig/rig-file.js');
  const { connectBench, buildAgentRig } = await import('../rig/agent-rig.js');
  const bench = await connectBench(loadRigFile(file));
  return { buildRig: (s) => buildAgentRig(s, bench, { log }), closeBench: () => bench.close() };
}
