/**
 * External oracle tools for tests (tshark, sox, ffmpeg, tmux, ...): find them, run them, compare
 * against them. A missing tool fails the test with a message naming it and the package to install,
 * unless DESKPHONE_ALLOW_MISSING_ORACLES=1 (then the test is skipped; docs/architecture.md "Testing").
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

const PACKAGES: Record<string, string> = { tshark: 'tshark', text2pcap: 'tshark', sox: 'sox', ffmpeg: 'ffmpeg', tmux: 'tmux', arecord: 'alsa-utils', aplay: 'alsa-utils',
  'systemd-analyze': 'systemd', 'systemd-notify': 'systemd', python3: 'python3', xmllint: 'libxml2-utils' };

export function haveTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Returns true when the test may go on; otherwise skips (allowed) or throws (default). */
export function requireTool(t: TestContext, tool: string): boolean {
  if (haveTool(tool)) return true;
  const msg = `${tool} not found: install it (apt-get install ${PACKAGES[tool] ?? tool}) — it is this test's independent oracle`;
  if (process.env['DESKPHONE_ALLOW_MISSING_ORACLES'] === '1') { t.skip(msg); return false; }
  throw new Error(msg);
}

/** Live capture on loopback needs root (or CAP_NET_RAW on dumpcap). */
export function requireCapture(t: TestContext): boolean {
  if (!requireTool(t, 'tshark')) return false;
  if (process.getuid?.() === 0) return true;
  const msg = 'capturing on lo needs root (CI runs as root); run the tests as root or give dumpcap CAP_NET_RAW';
  if (process.env['DESKPHONE_ALLOW_MISSING_ORACLES'] === '1') { t.skip(msg); return false; }
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
