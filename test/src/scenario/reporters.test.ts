/** TAP and JUnit reports of a scenario run (src/scenario/reporters.ts), parsed back with the XML library. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { junitReport, tapReport, type ScenarioReport } from '../../../src/scenario/reporters.js';

const reports: ScenarioReport[] = [
  { file: 'a.yaml', name: 'passes', ms: 1500, steps: ['lift alice', 'expect phone="alice" tone="dial"'], results: [
    { index: 0, step: 'lift alice', ok: true, ms: 100 }, { index: 1, step: 'expect', ok: true, ms: 20 }] },
  { file: 'b.yaml', name: 'fails # here', ms: 2500, steps: ['lift bob', 'expect phone="bob" lcd="X"', 'replace bob'],
    results: [{ index: 0, step: 'lift bob', ok: true, ms: 90 }, { index: 1, step: 'expect', ok: false, ms: 1000 }],
    failure: { index: 1, step: 'expect phone="bob" lcd="X"', observed: '  expected: expect phone="bob" lcd="X"\n  but: LCD does not match /X/\n    bob LCD:\n      |\u0001 Bob <&>|' } },
  { file: 'c.yaml', name: 'c.yaml', ms: 5, steps: [], results: [], error: 'c.yaml: phone carol (SEP000000000102) has no board in rig.yaml' },
];

test('JUnit: one testsuite per file, one testcase per step, failure with the board report, later steps skipped, setup errors', () => {
  const xml = junitReport(reports);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml);
  const ts = doc.testsuites;
  assert.equal(ts.tests, '6');
  assert.equal(ts.failures, '1');
  assert.equal(ts.errors, '1');
  const [a, b, c] = ts.testsuite;
  assert.equal(a.file, 'a.yaml');
  assert.equal(a.testcase[0].name, '1. lift alice');
  assert.equal(a.testcase[0].time, '0.100');
  assert.equal(b.testcase[1].failure.message, 'but: LCD does not match /X/');
  assert.match(b.testcase[1].failure['#text'], /\|\uFFFD Bob <&>\|/); // glyph code 0x01 is not allowed in XML 1.0
  assert.equal(b.skipped, '1');
  assert.ok('skipped' in b.testcase[2]);
  assert.equal(c.testcase[0].name, 'setup');
  assert.match(c.testcase[0].error.message, /has no board/);
});

test('TAP 13: a plan, ok / not ok lines, and a YAML block with what the board showed', () => {
  const tap = tapReport(reports);
  assert.match(tap, /^TAP version 13\n1\.\.3\nok 1 - passes \(a\.yaml\)\nnot ok 2 - fails \\# here \(b\.yaml\)\n {2}---\n/);
  assert.match(tap, /^ {2}message: "step 2 \(expect phone=\\"bob\\" lcd=\\"X\\"\) failed"$/m);
  assert.match(tap, /^ {8}bob LCD:$/m);
  assert.match(tap, /^not ok 3 - c\.yaml \(c\.yaml\)\n {2}---\n {2}message: "c\.yaml: phone carol/m);
});
