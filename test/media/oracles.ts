/** External tool oracles for media tests (sox, ffmpeg, tshark): find them or fail with a clear message. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * Returns true when `tool` runs. When missing: skips the test if DESKPHONE_ALLOW_MISSING_ORACLES=1,
 * otherwise throws an error naming the tool (architecture.md "Testing").
 */
export function needTool(t: TestContext, tool: string, versionArg = '--version'): boolean {
  const r = spawnSync(tool, [versionArg], { encoding: 'utf8' });
  if (!r.error) return true;
  const msg = `external oracle '${tool}' is not installed (apt-get install ${tool === 'tshark' ? 'tshark' : tool}); ` +
    `set DESKPHONE_ALLOW_MISSING_ORACLES=1 to skip`;
  if (process.env.DESKPHONE_ALLOW_MISSING_ORACLES === '1') { t.skip(msg); return false; }
  throw new Error(msg);
}

/** Runs a command; throws with its stderr when it exits non-zero. */
export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `deskphone-${prefix}-`));
}

/**
 * Asserts that what the speaker played equals a reference decode sample for sample, aligned on the
 * first non-zero sample of each (the playout start offset is not part of the comparison).
 */
export function assertSameAudio(got: Int16Array, ref: Int16Array, what = "ffmpeg's decode"): void {
  const first = (a: Int16Array) => a.findIndex((x) => x !== 0);
  const g0 = first(got);
  const r0 = first(ref);
  assert.ok(g0 >= 0, 'speaker heard something');
  const len = ref.length - r0;
  assert.ok(got.length - g0 >= len, `speaker has ${got.length - g0} samples after the start, need ${len}`);
  let mismatches = 0;
  for (let i = 0; i < len; i++) if (got[g0 + i] !== ref[r0 + i]) mismatches++;
  assert.equal(mismatches, 0, `${mismatches} of ${len} samples differ from ${what}`);
}
