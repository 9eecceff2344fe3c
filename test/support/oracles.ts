/**
 * External oracle tools for tests. A missing tool fails the test with a message naming it and the
 * package to install, unless DESKPHONE_ALLOW_MISSING_ORACLES=1 (then the test is skipped).
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

const PACKAGES: Record<string, string> = { tshark: 'tshark', text2pcap: 'tshark', sox: 'sox', ffmpeg: 'ffmpeg', tmux: 'tmux', arecord: 'alsa-utils', aplay: 'alsa-utils',
  'systemd-analyze': 'systemd', 'systemd-notify': 'systemd', python3: 'python3' };

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
