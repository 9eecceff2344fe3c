/**
 * A command that fails while starting tears down what it had started and exits on its own with a
 * non-zero code: no hang holding a port (issue: `deskphone sim --board missing.yaml` kept TCP 2000).
 * Each run is a real process of the built binary; "on its own" = not killed by the test's limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, canListen, freePort, holdPort, runBin } from '../support/run-bin.js';

const LIMIT_MS = 20_000; // only a hang reaches this; the exit times are printed as diagnostics

test('sim --board missing.yaml: one sentence, exit 2, ends by itself, the SCCP port stays free', async (t) => {
  const port = await freePort();
  const r = await runBin(['sim', '--board', 'missing.yaml', '--port', String(port)], LIMIT_MS);
  t.diagnostic(`exited after ${r.ms} ms`);
  assert.equal(r.killed, false, 'the process ended by itself');
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim(), 'missing.yaml: no such file');
  assert.ok(await canListen(port), `port ${port} is free`);
});

test('sim with a board that has a typo: the problem with its line, exit 2, ends by itself', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-fail-'));
  const board = join(dir, 'typo.yaml');
  writeFileSync(board, readFileSync(join(ROOT, 'board-configs/laptop-emulated.yaml'), 'utf8').replace('scanMs: 10', 'scanMS: 10'));
  const r = await runBin(['sim', '--board', board, '--port', String(await freePort())], LIMIT_MS);
  t.diagnostic(`exited after ${r.ms} ms`);
  assert.equal(r.killed, false);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /typo\.yaml:\d+:3: keypad\.scanMS: unknown key \(did you mean "scanMs"\?\)/);
});

/** A call-manager config whose TSP port is taken: SCCP is already listening when the start fails. */
function configWithTsp(tspPort: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'cm-fail-'));
  const file = join(dir, 'cm.yaml');
  writeFileSync(file, `${readFileSync(join(ROOT, 'callmanager/examples/two-phones.yaml'), 'utf8')}\ntsp:\n  port: ${tspPort}\n`);
  return file;
}

for (const command of ['callmanager', 'sim'] as const) {
  test(`${command}: the TSP port is taken after SCCP started listening → SCCP is closed again, exit 1, ends by itself`, async (t) => {
    const taken = await holdPort('127.0.0.1');
    try {
      const sccp = await freePort();
      const r = await runBin([command, '--config', configWithTsp(taken.port), '--port', String(sccp), ...(command === 'sim' ? ['--seconds', '30'] : [])], LIMIT_MS);
      t.diagnostic(`exited after ${r.ms} ms`);
      assert.equal(r.killed, false, `ended by itself (stderr: ${r.stderr})`);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`TSP listen on 127\\.0\\.0\\.1:${taken.port}: .*EADDRINUSE.*\\(hint: change tsp\\.port in the config\\)`));
      assert.ok(await canListen(sccp), `SCCP port ${sccp} was released`);
    } finally {
      await taken.close();
    }
  });
}

test('callmanager on a port another program holds: exit 1 with the hint, ends by itself', async () => {
  const taken = await holdPort();
  try {
    const r = await runBin(['callmanager', '--port', String(taken.port)], LIMIT_MS);
    assert.equal(r.killed, false);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`cannot listen on (?:127\\.0\\.0\\.1|0\\.0\\.0\\.0):${taken.port}: .*EADDRINUSE.*use --port`));
  } finally {
    await taken.close();
  }
});

test('phone --emulated with a missing board: exit 2, ends by itself', async () => {
  const r = await runBin(['phone', '--board', 'nope.yaml', '--server', '127.0.0.1:9', '--emulated'], LIMIT_MS);
  assert.equal(r.killed, false);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), 'nope.yaml: no such file');
});
