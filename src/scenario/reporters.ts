/**
 * Machine-readable results of a `deskphone scenario` run, for CI labs (docs/hil.md "Reports"):
 * TAP version 13 (testanything.org/tap-version-13-specification) or JUnit XML (the
 * testsuites/testsuite/testcase layout Jenkins, GitLab and GitHub test reporters read; one
 * testsuite per scenario file, one testcase per step, steps after a failure "skipped").
 */
import { XMLBuilder } from 'fast-xml-parser';
import { describeStep, type StepResult } from './runner.js';
import type { Scenario } from './schema.js';

export type ReporterName = 'text' | 'tap' | 'junit';
export const REPORTERS: readonly ReporterName[] = ['text', 'tap', 'junit'];

export interface ScenarioReport {
  file: string;
  /** Scenario name, or the file when it did not load. */
  name: string;
  ms: number;
  /** Every step's label (known once the file loaded). */
  steps: string[];
  results: StepResult[];
  /** The failing step's report (expected, but, what the phone showed). */
  failure?: { index: number; step: string; observed: string };
  /** The scenario could not run (broken file, a board missing, the call manager did not start). */
  error?: string;
}

export function stepLabels(s: Scenario): string[] { return s.steps.map((st) => describeStep(st)); }

export const passed = (r: ScenarioReport): boolean => !r.error && !r.failure;

/** Characters XML 1.0 §2.2 does not allow (LCD custom-glyph codes 0x00-0x07 among them). */
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const xmlText = (s: string): string => s.replace(NOT_XML, '\uFFFD');
const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export function junitReport(reports: readonly ScenarioReport[]): string {
  const suites = reports.map((r) => {
    const cases: Record<string, unknown>[] = [];
    if (r.error) cases.push({ '@_name': 'setup', '@_classname': r.name, '@_time': seconds(r.ms), error: { '@_message': xmlText(r.error.split('\n')[0]!), '#text': xmlText(r.error) } });
    r.steps.forEach((label, i) => {
      const res = r.results.find((x) => x.index === i);
      const c: Record<string, unknown> = { '@_name': xmlText(`${i + 1}. ${label}`), '@_classname': xmlText(r.name), '@_time': seconds(res?.ms ?? 0) };
      if (r.failure?.index === i) c.failure = { '@_message': xmlText(r.failure.observed.split('\n').find((l) => l.includes('but:'))?.trim() ?? 'failed'), '#text': xmlText(r.failure.observed) };
      else if (!res) c.skipped = '';
      cases.push(c);
    });
    const failures = r.failure ? 1 : 0;
    return {
      '@_name': xmlText(r.name), '@_file': r.file, '@_tests': cases.length, '@_failures': failures, '@_errors': r.error ? 1 : 0,
      '@_skipped': cases.filter((c) => 'skipped' in c).length, '@_time': seconds(r.ms), testcase: cases,
    };
  });
  const total = (k: string) => suites.reduce((a, s) => a + (s[k as keyof typeof s] as number), 0);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'deskphone scenarios', '@_tests': total('@_tests'), '@_failures': total('@_failures'), '@_errors': total('@_errors'),
      '@_time': seconds(reports.reduce((a, r) => a + r.ms, 0)), testsuite: suites,
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc) as string;
}

export function tapReport(reports: readonly ScenarioReport[]): string {
  const out = ['TAP version 13', `1..${reports.length}`];
  reports.forEach((r, i) => {
    out.push(`${passed(r) ? 'ok' : 'not ok'} ${i + 1} - ${r.name.replace(/#/g, '\\#')} (${r.file})`);
    if (passed(r)) return;
    // YAML diagnostic block (TAP 13 §"YAMLish"): the failing step and what the board showed.
    const detail = r.error ?? r.failure!.observed;
    out.push('  ---', `  message: ${JSON.stringify(r.error ? r.error.split('\n')[0] : `step ${r.failure!.index + 1} (${r.failure!.step}) failed`)}`);
    out.push('  detail: |', ...detail.split('\n').map((l) => `    ${l}`), '  ...');
  });
  return `${out.join('\n')}\n`;
}
