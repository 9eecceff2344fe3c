/** External tool oracles for media tests (sox, ffmpeg, tshark): find them or fail with a clear message. */
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
