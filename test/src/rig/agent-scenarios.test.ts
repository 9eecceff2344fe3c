/**
 * Hardware-in-the-loop through the rig agent, end to end: one `deskphone phone --emulated
 * --rig-listen` process per device of the shipped scenarios (the boards), and `deskphone scenario
 * --rig` running every test/scenarios/*.yaml unchanged against them over TCP, with the call
 * manager embedded on the runner side. The JUnit report is parsed and checked step by step; a
 * failing scenario through the rig prints what the board showed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { loadScenario } from '../../../src/scenario/schema.js';
import { resolveScenarioPath } from '../../../src/scenario/emulated-rig.js';
import { freeTcpPort, freeUdpPort, TOKEN } from '../../support/rig.js';

const BIN = 'dist/src/bin.js';
// Not state-phone-restart.yaml: the rig's boards run without a state directory here, and a board's
// saved state would carry over from one scenario to the next (the agent's reset does not clear it).
// DESKPHONE_RIG_SCENARIOS="a.yaml b.yaml" runs only those (when chasing one scenario through the rig).
const ONLY = process.env.DESKPHONE_RIG_SCENARIOS?.split(/[\s,]+/).filter(Boolean);
const FILES = readdirSync('test/scenarios').filter((f) => f.endsWith('.yaml') && f !== 'state-phone-restart.yaml' && (!ONLY || ONLY.includes(f)))
  .sort().map((f) => `test/scenarios/${f}`);
const env = { ...process.env, DESKPHONE_RIG_TOKEN: TOKEN };
const boards: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'deskphone-rig-'));
const rigFile = join(dir, 'rig.yaml');

function run(args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '', stderr = '';
    p.stdout.on('data', (c) => { stdout += c; });
    p.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

/** Starts one board process; resolves with its agent's port once it listens. */
function startBoard(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, 'phone', '--emulated', ...args, '--rig-listen', '127.0.0.1:0'], { env });
    boards.push(p);
    let out = '', err = '';
    p.stdout.on('data', (c) => {
      out += c;
      const m = /rig agent listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
      if (out.length > 100_000) out = out.slice(-1000); // keep reading: a full pipe would stall the board
    });
    p.stderr.on('data', (c) => { err += c; });
    p.on('exit', (code) => reject(new Error(`board ${args.join(' ')} exited ${code}: ${err}`)));
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
interface Case { name: string; failure?: { message: string; '#text': string }; skipped?: unknown }
interface Suite { name: string; file: string; tests: string; failures: string; errors: string; skipped: string; testcase: Case[] }

before(async () => {
  const cm = await freeTcpPort();
  const sscp = await freeUdpPort();
  const directory = await freeTcpPort(); // the embedded CM's HTTP directory (docs/directory.md), for SCCP boards
  // Every device the shipped scenarios use, with its protocol and microphone tone.
  const devices = new Map<string, { protocol: string; tone: number; board: string; phoneBook?: { name: string; number: string }[] }>();
  for (const f of [...FILES, 'test/fixtures/scenarios/wrong-expectation.yaml']) {
    const s = loadScenario(f);
    for (const p of Object.values(s.phones)) {
      const known = devices.get(p.device);
      if (known) assert.equal(known.tone, p.tone, `${f}: ${p.device} has one microphone tone in every scenario`);
      if (known?.phoneBook && p.phoneBook) assert.deepEqual(known.phoneBook, p.phoneBook, `${f}: ${p.device} has one phone book in every scenario`);
      devices.set(p.device, { protocol: p.protocol, tone: p.tone, board: resolveScenarioPath(s, p.board), ...(p.phoneBook ?? known?.phoneBook ? { phoneBook: p.phoneBook ?? known?.phoneBook } : {}) });
    }
  }
  const entries = await Promise.all([...devices].map(async ([device, d]) => {
    const server = `127.0.0.1:${d.protocol === 'sscp' ? sscp : cm}`;
    // A scenario phone's phone book reaches its board as a phone config (--server still names the CM).
    const book = d.phoneBook ? join(dir, `${device}.yaml`) : undefined;
    if (book) writeFileSync(book, `callManagers: ["127.0.0.1:${cm}"]\nphoneBook: ${JSON.stringify(d.phoneBook)}\n`);
    const port = await startBoard([...(book ? ['--config', book] : []), '--board', d.board, '--server', server, '--protocol', d.protocol, '--device', device, '--tone', String(d.tone),
      ...(d.protocol === 'sccp' ? ['--directory-url', `http://{cm}:${directory}/directory`] : [])]);
    return `  ${device.toLowerCase()}: { agent: "127.0.0.1:${port}", tokenEnv: DESKPHONE_RIG_TOKEN, device: ${device} }`;
  }));
  writeFileSync(rigFile, ['version: 1', `callmanager: { host: 127.0.0.1, port: ${cm}, sscpPort: ${sscp}, directoryPort: ${directory} }`, 'boards:', ...entries, ''].join('\n'));
});

after(async () => {
  await Promise.all(boards.map((p) => new Promise<void>((r) => { if (p.exitCode !== null) return r(); p.removeAllListeners('exit'); p.once('exit', () => r()); p.kill('SIGTERM'); })));
});

test('every shipped scenario passes through the rig agent against separate board processes (JUnit checked)', { timeout: 1_500_000 }, async () => {
  const report = join(dir, 'junit.xml');
  // ~70 scenarios, ~8-30 s each on an idle machine (about 10 min in all): the limit leaves room for a loaded 2-core one.
  const r = await run(['scenario', ...FILES, '--rig', rigFile, '--reporter', 'junit', '--report-file', report], 1_490_000);
  assert.equal(r.status, 0, `deskphone scenario --rig exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, new RegExp(`${FILES.length} passed, 0 failed`));
  const doc = xml.parse(readFileSync(report, 'utf8')) as { testsuites: { tests: string; failures: string; errors: string; testsuite: Suite[] } };
  const suites = doc.testsuites.testsuite;
  assert.deepEqual(suites.map((s) => s.file), FILES);
  assert.equal(doc.testsuites.failures, '0');
  assert.equal(doc.testsuites.errors, '0');
  for (const s of suites) {
    const steps = loadScenario(s.file).steps.length;
    assert.equal(s.testcase.length, steps, `${s.file}: one testcase per step`);
    assert.equal(s.tests, String(steps));
    assert.equal(s.failures, '0');
    assert.equal(s.skipped, '0');
    assert.ok(s.testcase.every((c) => c.failure === undefined && c.skipped === undefined), s.file);
  }
  assert.equal(Number(doc.testsuites.tests), suites.reduce((a, s) => a + s.testcase.length, 0));
});

test('a failing scenario through the rig prints the board\'s screen, lamps, ringer and audio (JUnit and TAP)', { timeout: 60_000 }, async () => {
  const fixture = 'test/fixtures/scenarios/wrong-expectation.yaml';
  const r = await run(['scenario', fixture, '--rig', rigFile, '--reporter', 'junit'], 50_000);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /step 3 \(expect phone="alice" lamp=\{"line1":"blink"\} tone="busy"\) failed/);
  assert.match(r.stderr, /but: lamp line1 is on, expected blink/);
  assert.match(r.stderr, /alice LCD:\n\s+\|.*Alice\|/); // the screen decoded on the board
  assert.match(r.stderr, /lamps: line1=on/);
  assert.match(r.stderr, /ringer: off/);
  assert.match(r.stderr, /speaker: 350 Hz, 440 Hz/); // dial tone, analysed on the board
  const suite = (xml.parse(r.stdout) as { testsuites: { testsuite: Suite[] } }).testsuites.testsuite[0]!;
  assert.equal(suite.failures, '1');
  const failed = suite.testcase.filter((c) => c.failure);
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.name, /^3\. expect/);
  assert.equal(failed[0]!.failure!.message, 'but: lamp line1 is on, expected blink');
  assert.match(failed[0]!.failure!['#text'], /speaker: 350 Hz, 440 Hz/);

  const tap = await run(['scenario', fixture, '--rig', rigFile, '--reporter', 'tap'], 50_000);
  assert.equal(tap.status, 1);
  assert.match(tap.stdout, /^TAP version 13\n1\.\.1\nnot ok 1 - wrong expectation/);
  assert.match(tap.stdout, /^ {8}lamps: line1=on /m); // the detail block carries what the board showed
});
