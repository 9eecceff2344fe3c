/**
 * The baresip side of the "whole phone" group (bench-phone.ts): two baresip instances (Debian
 * baresip-core) calling each other directly on loopback, PCMU only, a 1000 Hz sine as microphone
 * (ausine, 48 kHz stereo resampled by baresip) and no player (baresip-core's aufile does not play).
 * Installed by apt-get when missing and we are root, the way scripts/ensure-oracles.sh does it;
 * otherwise the group prints a note and compares nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Proc, cpuMs, cpuPercent, freePort, rssMb, sleep } from './bench-procs.js';
import { CALL_S, IDLE_S, SETTLE_MS, START_QUOTA, quotaStart, quotaSweep, type PhoneFigures } from './bench-phone.js';

const have = (): boolean => spawnSync('baresip', ['-h'], { stdio: 'ignore' }).status !== null && spawnSync('sh', ['-c', 'command -v baresip'], { stdio: 'ignore' }).status === 0;

/** undefined, with the reason in `why`, when baresip is missing and cannot be installed. */
export function ensureBaresip(why: string[]): boolean {
  if (have()) return true;
  if (process.getuid?.() !== 0) { why.push('baresip not installed (apt-get install baresip-core as root to compare)'); return false; }
  process.stderr.write('  installing baresip-core for the comparison…\n');
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'baresip-core'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (have()) return true;
  why.push('baresip-core could not be installed with apt-get');
  return false;
}

function config(dir: string, sip: number, rtp: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config'), [
    `sip_listen 127.0.0.1:${sip}`, 'audio_source ausine,1000', 'ausrc_srate 48000', 'ausrc_channels 2',
    'audio_player aufile,/dev/null', 'audio_alert aufile,/dev/null', `rtp_ports ${rtp}-${rtp + 9}`,
    'module_path /usr/lib/baresip/modules', 'module stdio.so', 'module g711.so', 'module ausine.so', 'module aufile.so',
    'module menu.so', 'module account.so', '',
  ].join('\n'));
}

export async function baresipFigures(): Promise<PhoneFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bs-bench-'));
  const [sa, sb] = [await freePort(), await freePort()];
  const rtpBase = 20000 + (process.pid % 2000) * 20;
  config(join(dir, 'a'), sa, rtpBase);
  config(join(dir, 'b'), sb, rtpBase + 10);
  writeFileSync(join(dir, 'a', 'accounts'), `<sip:a@127.0.0.1:${sa}>;regint=0;audio_codecs=PCMU\n`);
  writeFileSync(join(dir, 'b', 'accounts'), `<sip:b@127.0.0.1:${sb}>;regint=0;answermode=auto;audio_codecs=PCMU\n`);
  const procs: Proc[] = [];
  const notes: string[] = ['no player (Debian baresip-core has none without a sound card), ausine resampled 48 kHz → 8 kHz'];
  try {
    const b = new Proc('baresip B', 'baresip', ['-f', join(dir, 'b')]);
    procs.push(b);
    await b.waitFor(/baresip is ready/, 10_000);
    const a = new Proc('baresip A', 'baresip', ['-f', join(dir, 'a')]);
    procs.push(a);
    const readyAt = await a.waitFor(/baresip is ready/, 10_000);
    const startMs = readyAt - a.startedAt;
    const cpuAtReady = cpuMs(a.pid);
    await sleep(readyAt + SETTLE_MS - performance.now());
    const settleMs = cpuMs(a.pid) - cpuAtReady;
    const [idlePct] = await cpuPercent([a.pid], IDLE_S * 1000);
    const rssIdleMb = rssMb(a.pid);
    a.write(`/dial sip:b@127.0.0.1:${sb}\n`);
    await a.waitFor(/Call established/, 10_000);
    await sleep(1000);
    const [callPct] = await cpuPercent([a.pid], CALL_S * 1000);
    const rssCallMb = rssMb(a.pid);
    const sweep = await quotaSweep(a.pid, `bs-bench-${process.pid}`, notes);
    await a.stop();                                              // A again, capped from birth
    const q = await quotaStart(`baresip A at ${START_QUOTA} %`, `bs-start-${process.pid}`, 'baresip', ['-f', join(dir, 'a')], {}, /baresip is ready/);
    if (typeof q === 'string') notes.push(`start under a quota not measured: ${q}`);
    return { startMs, settleMs, idlePct, rssIdleMb, callPct, rssCallMb, sweep, notes, ...(typeof q === 'number' ? { quotaStartMs: q } : {}) };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
