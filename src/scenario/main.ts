/**
 * `deskphone scenario FILE... [--rig RIG.yaml] [--reporter text|tap|junit] [--report-file F]`:
 * runs each scenario on a fresh emulated rig, or with --rig against the boards of a rig file
 * (docs/hil.md); exit 1 if any fails.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/yaml-config.js';
import { createLogger, type Logger } from '../node/logger.js';
import { loadScenario, type Scenario } from './schema.js';
import { buildEmulatedRig } from './emulated-rig.js';
import { runScenario, ScenarioFailure } from './runner.js';
import { REPORTERS, junitReport, passed, stepLabels, tapReport, type ReporterName, type ScenarioReport } from './reporters.js';
import type { ScenarioRig } from './rig.js';

export async function scenarioMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      verbose: { type: 'boolean', short: 'v' }, debug: { type: 'boolean' },
      rig: { type: 'string' },
      reporter: { type: 'string', default: 'text' },
      'report-file': { type: 'string' },
    },
  });
  if (positionals.length === 0) { console.error('deskphone scenario: give one or more scenario files'); return 2; }
  const reporter = values.reporter as ReporterName;
  if (!REPORTERS.includes(reporter)) { console.error(`deskphone scenario: --reporter ${values.reporter}: expected one of ${REPORTERS.join(', ')}`); return 2; }
  const log = createLogger(values.debug ? 'debug' : values.verbose ? 'info' : 'warn');
  // Progress goes to stdout with the text reporter; a TAP/JUnit report on stdout keeps stdout to itself.
  const progress = reporter === 'text' || values['report-file'] ? (l: string) => console.log(l) : (l: string) => console.error(l);

  let buildRig: (s: Scenario) => Promise<ScenarioRig> = (s) => buildEmulatedRig(s, log);
  let closeBench = (): void => {};
  if (values.rig) {
    try {
      ({ buildRig, closeBench } = await openBench(values.rig, log));
    } catch (e) {
      if (e instanceof ConfigError) console.error(`✘ ${e.message}`);
      else console.error(`✘ ${values.rig}: ${(e as Error).message}`);
      return 1;
    }
  }

  const reports: ScenarioReport[] = [];
  try {
    for (const file of positionals) {
      const started = Date.now();
      const report: ScenarioReport = { file, name: file, ms: 0, steps: [], results: [] };
      reports.push(report);
      try {
        const scenario = loadScenario(file);
        Object.assign(report, { name: scenario.name, steps: stepLabels(scenario) });
        progress(`▶ ${scenario.name} (${file})`);
        const rig = await buildRig(scenario);
        try {
          report.results = await runScenario(scenario, rig, progress);
        } finally {
          await rig.close();
        }
        progress(`✔ ${scenario.name}: passed in ${Date.now() - started} ms`);
      } catch (e) {
        if (e instanceof ScenarioFailure) {
          report.results = e.results;
          report.failure = { index: e.index, step: e.step, observed: e.observed };
        } else {
          report.error = e instanceof ConfigError ? e.message : `${file}: ${(e as Error).message}`;
        }
        console.error(`✘ ${e instanceof ScenarioFailure || e instanceof ConfigError ? e.message : report.error}`);
      }
      report.ms = Date.now() - started;
    }
  } finally {
    closeBench();
  }
  const failed = reports.filter((r) => !passed(r)).length;
  progress(`${reports.length - failed} passed, ${failed} failed`);
  if (reporter !== 'text') {
    const text = reporter === 'junit' ? junitReport(reports) : tapReport(reports);
    if (values['report-file']) writeFileSync(values['report-file'], text);
    else process.stdout.write(text);
  }
  return failed ? 1 : 0;
}

/** Connects to the rig file's boards once for the whole run (src/rig, loaded only with --rig). */
async function openBench(file: string, log: Logger): Promise<{ buildRig: (s: Scenario) => Promise<ScenarioRig>; closeBench: () => void }> {
  const { loadRigFile } = await import('../rig/rig-file.js');
  const { connectBench, buildAgentRig } = await import('../rig/agent-rig.js');
  const bench = await connectBench(loadRigFile(file));
  return { buildRig: (s) => buildAgentRig(s, bench, { log }), closeBench: () => bench.close() };
}
