/**
 * The shipped scenarios, run through the real CLI (`deskphone scenario`), plus the runner's
 * failure report and the error messages for a broken scenario file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const BIN = 'dist/src/bin.js';
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

/** `deskphone scenario FILE` as a child process, without blocking the test runner (two run at once). */
function runAsync(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'scenario', file]);
    let stdout = '', stderr = '';
    p.stdout.on('data', (c) => { stdout += c; });
    p.stderr.on('data', (c) => { stderr += c; });
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

// Each scenario is its own process with its own call manager on free ports, so two run side by side
// (one per core): the ~70 files take half the wall time. They pass on a loaded machine (their
// expectations wait with timeouts, they never time the machine).
describe('shipped scenarios', { concurrency: 2 }, () => {
  for (const file of readdirSync('test/scenarios').filter((f) => f.endsWith('.yaml')).sort()) {
    test(`scenario ${file} passes`, { timeout: 120_000 }, async () => {
      const r = await runAsync(`test/scenarios/${file}`);
      assert.equal(r.status, 0, `deskphone scenario ${file} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /1 passed, 0 failed/);
    });
  }
});

test('a failing expectation exits 1 and reports what the phone showed', { timeout: 60_000 }, () => {
  const r = run('scenario', 'test/fixtures/scenarios/wrong-expectation.yaml');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /step 3 \(expect phone="alice" lamp=\{"line1":"blink"\} tone="busy"\) failed/);
  assert.match(r.stderr, /but: lamp line1 is on, expected blink/);
  assert.match(r.stderr, /alice LCD:\n\s+\|.*Alice\|/);
  assert.match(r.stderr, /lamps: line1=on/);
  assert.match(r.stderr, /speaker: 350 Hz, 440 Hz/); // dial tone is what it actually heard
  assert.match(r.stdout, /0 passed, 1 failed/);
});

test('a broken scenario file is refused before anything runs, naming file, line and key', () => {
  const r = run('scenario', 'test/fixtures/scenarios/broken.yaml');
  assert.equal(r.status, 2); // a config error
  assert.match(r.stderr, /broken\.yaml:9:\d+: steps\[2\]\.expect\.lcd: not a valid regular expression/);
  assert.match(r.stderr, /broken\.yaml:9:\d+: steps\[2\]\.expect\.ringr: unknown key \(did you mean "ringer"\?\)/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/); // no stack trace
});

test('deskphone --help lists the commands', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  for (const cmd of ['sim', 'scenario', 'callmanager', 'board', 'phone']) assert.match(r.stdout, new RegExp(`^  ${cmd}\\s`, 'm'));
  const bad = run('frobnicate');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
});
