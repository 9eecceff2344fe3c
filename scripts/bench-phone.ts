/**
 * The "whole phone" bench group: `deskphone phone --emulated` as its own process against
 * `deskphone callmanager`, one PCMU call to a second phone, measured from outside (/proc): CPU
 * per call-second, idle CPU, RSS, start → registered, and a CPU-quota sweep with the caller's
 * late RTP sends; then the same for two baresip instances calling each other on loopback when
 * baresip is installed (bench-baresip.ts). Both run in this one run so the ratios are paired.
 * DESKPHONE_BENCH_CALL_S sets the call window (default 15 s; 60 for the issue's figure);
 * DESKPHONE_BENCH_ROOT runs another checkout's build (its dist/ and board-configs/) for a before/after;
 * The phones run with the installed unit's node flags (src/install/unit.ts PHONE_NODE_FLAGS) and its
 * environment as far as Node reads it: NODE_ENV=production, no NODE_OPTIONS or NODE_EXTRA_CA_CERTS
 * from the shell (Node parses a CA bundle named there at every start: ~2 MB here, and the old tree's
 * start read ~430 ms with it against ~200 ms without; a phone under systemd does not pay it), and a
 * cache directory of their own. Phone A starts twice: the first
 * start checks its configs in a worker thread and keeps the checked copy (config-off-thread.ts),
 * the second, measured one starts from that copy, as every later start of an installed phone does;
 * DESKPHONE_BENCH_NODE_FLAGS="…" replaces them ("" = none, e.g. for an older checkout's figures).
 * DESKPHONE_BENCH_PROFILE=DIR runs phone A under `node --cpu-prof` and writes DIR/profile.md: the
 * top functions by self time and the share by place (emulators, firmware, Node, GC) in the idle
 * and the call window (cpu-profile.ts). The sampler costs CPU itself: take figures from a run without it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTspFrame } from '../callmanager/tsp/codec.js';
import { AgentConnection } from '../src/rig/client.js';
import { PHONE_NODE_FLAGS } from '../src/install/unit.js';
import { monoUs, profileLines, summarise } from './cpu-profile.js';
import { Proc, benchMark, cpuMs, cpuPercent, cpuQuota, freePort, haveTshark, rssMb, sendGaps, sleep, startUnderQuota, udpPorts, type Quota } from './bench-procs.js';

export interface PhoneRow { group: string; name: string; value: number; unit: string; ratio?: string; target?: string; pass?: boolean }

export interface PhoneFigures {
  /** Start → registered with the configs already checked (deskphone: its checked copy). */
  startMs: number;
  /** deskphone: the first start, which checks the configs (worker thread). */
  firstStartMs?: number;
  /** CPU ms the process used from registered (ready) until the idle window opened, SETTLE_MS later. */
  settleMs: number;
  idlePct: number; rssIdleMb: number; callPct: number; rssCallMb: number;
  sweep: Array<{ percent: number; late: number; maxGapMs: number; sends: number }>;
  /** Start → registered (ready) of a start capped at START_QUOTA % of a core from its first instruction. */
  quotaStartMs?: number;
  notes: string[];
  /** With DESKPHONE_BENCH_PROFILE: where the profile summary was written. */
  profile?: string;
}

export const CALL_S = Number(process.env['DESKPHONE_BENCH_CALL_S'] ?? 15);
export const IDLE_S = Number(process.env['DESKPHONE_BENCH_IDLE_S'] ?? 30);
/**
 * The idle window opens this long after registration. Start-up leaves work behind for the first
 * seconds: V8's memory reducer shrinks the heap with up to three full GCs ~8–10 s after start
 * (`--trace-gc`: "Mark-Compact (reduce)"), and the first redraws and JIT tier-ups land there too.
 * That one-off cost is reported on its own (settleMs) instead of counting as idle.
 */
export const SETTLE_MS = 15_000;
export const QUOTAS = [20, 10, 5, 2];
/** A send later than this after the previous one is "late" (20 ms packets, RFC 3551 §4.5 default ptime; 1.5 × ptime). */
export const LATE_GAP_MS = 30;
const SWEEP_S = 5;
/** The quota a start is measured under (the issue's goal: ≤ 1.5 s at 10 %). */
export const START_QUOTA = 10;
const NODE_FLAGS = (process.env['DESKPHONE_BENCH_NODE_FLAGS'] ?? PHONE_NODE_FLAGS.join(' ')).split(/\s+/).filter(Boolean);
const PROFILE_DIR = process.env['DESKPHONE_BENCH_PROFILE'];
const ROOT = process.env['DESKPHONE_BENCH_ROOT'] ?? fileURLToPath(new URL('../..', import.meta.url));
/** What the installed unit runs: the bundle when the build made one (scripts/build.mjs), else the compiled entry. */
/** A profiled run takes the unbundled tree, so the profile names source files (hal/emul/…, firmware/…), not chunks. */
const BIN = existsSync(join(ROOT, 'dist/bundle/deskphone.js')) && !process.env['DESKPHONE_BENCH_PROFILE']
  ? join(ROOT, 'dist/bundle/deskphone.js') : join(ROOT, 'dist/src/bin.js');
const BOARD = join(ROOT, 'board-configs/laptop-emulated.yaml');
const TOKEN = 'bench-token-0123456789';
const A = 'SEP0000000004F0';
const B = 'SEP0000000004F1';

function cmConfig(sccp: number, tsp: number): string {
  return `server: { bind: 127.0.0.1, port: ${sccp} }\n` +
    'lines:\n  - { number: "400", name: Bench A }\n  - { number: "401", name: Bench B }\n' +
    `devices:\n  - { name: ${A}, lines: ["400"] }\n  - { name: ${B}, lines: ["401"] }\n` +
    `tsp:\n  port: ${tsp}\n  users:\n    - { name: bench, secret: bench-secret, device: ${A} }\n`;
}

/** Login + Dial over TSP (docs/tsp.md §3): the call manager makes phone A go off hook and dial. */
function tspDial(port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d.toString();
      const responses = got.split('\r\n\r\n').filter((x) => x.startsWith('Response'));
      if (responses.some((r) => !r.includes('Success'))) { s.destroy(); reject(new Error(`TSP: ${got.trim()}`)); }
      if (responses.length >= 2) { s.end(); resolve(); }
    });
    s.on('error', reject);
    s.write(encodeTspFrame({ kind: 'Action', action: 'Login', user: 'bench', secret: 'bench-secret' }));
    s.write(encodeTspFrame({ kind: 'Action', action: 'Dial', address }));
  });
}

/** Late sends and the longest gap of `pid`'s 172-byte RTP packets over SWEEP_S at each quota. */
export async function quotaSweep(pid: number, name: string, notes: string[]): Promise<PhoneFigures['sweep']> {
  if (!haveTshark()) { notes.push('quota sweep skipped: tshark not installed (scripts/ensure-oracles.sh installs it)'); return []; }
  const q: Quota | string = cpuQuota(pid, name);
  if (typeof q === 'string') { notes.push(`quota sweep unavailable: ${q}`); return []; }
  const out: PhoneFigures['sweep'] = [];
  try {
    for (const percent of QUOTAS) {
      q.set(percent);
      benchMark(`quota ${percent} %`);
      await sleep(500);
      const gaps = await sendGaps(udpPorts(pid), 172, SWEEP_S * 1000);
      out.push({ percent, late: gaps.filter((g) => g > LATE_GAP_MS).length, maxGapMs: gaps.length ? Math.max(...gaps) : Number.NaN, sends: gaps.length + 1 });
    }
  } finally { q.release(); }
  notes.push(`quota via ${q.kind}`);
  return out;
}

export async function deskphoneFigures(): Promise<PhoneFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'dp-bench-'));
  const [sccp, tsp, rig] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, 'cm.yaml'), cmConfig(sccp, tsp));
  const procs: Proc[] = [];
  const notes: string[] = [];
  try {
    const cm = new Proc('callmanager', process.execPath, [BIN, 'callmanager', '--config', join(dir, 'cm.yaml')]);
    procs.push(cm);
    await cm.waitFor(/TSP .*listening/, 20_000);
    const unitEnv = { NODE_ENV: 'production', NODE_OPTIONS: undefined, NODE_EXTRA_CA_CERTS: undefined, XDG_CACHE_HOME: join(dir, 'cache') };
    const phoneArgs = (dev: string, tone: string): string[] => [...NODE_FLAGS, BIN, 'phone', '--board', BOARD, '--server', `127.0.0.1:${sccp}`, '--emulated',
      '--device', dev, '--tone', tone, '--control', join(dir, `${dev}.sock`)];
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const prof = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', `phone-a-${process.pid}.cpuprofile`] : [];
    const first = new Proc('phone A (first start)', process.execPath, phoneArgs(A, '1000'), unitEnv);
    const firstStartMs = (await first.waitFor(/^registered$/, 20_000)) - first.startedAt;
    await first.stop();
    const a = new Proc('phone A', process.execPath, [...prof, ...phoneArgs(A, '1000')], unitEnv);
    notes.push(`ran ${BIN.slice(ROOT.length).replace(/^\//, '')}${NODE_FLAGS.length ? ` with ${NODE_FLAGS.join(' ')}` : ''}, NODE_ENV=production, without the shell's NODE_OPTIONS/NODE_EXTRA_CA_CERTS`);
    procs.push(a);
    const registeredAt = await a.waitFor(/^registered$/, 20_000);
    const startMs = registeredAt - a.startedAt;
    const cpuAtRegistered = cpuMs(a.pid);
    const b = new Proc('phone B', process.execPath, [...phoneArgs(B, '1500'), '--rig-listen', `127.0.0.1:${rig}`], { ...unitEnv, DESKPHONE_RIG_TOKEN: TOKEN });
    procs.push(b);
    await b.waitFor(/rig agent listening/, 20_000);
    const agent = await AgentConnection.open({ host: '127.0.0.1', port: rig }, TOKEN, 'phone B');
    while (agent.state.station !== 'registered') await sleep(50);
    await sleep(registeredAt + SETTLE_MS - performance.now());
    const settleMs = cpuMs(a.pid) - cpuAtRegistered;
    benchMark('idle window opens');
    const idleWin = [monoUs(), 0];
    const [idlePct] = await cpuPercent([a.pid], IDLE_S * 1000);
    idleWin[1] = monoUs();
    const rssIdleMb = rssMb(a.pid);
    benchMark('idle window closes; dialling');
    await tspDial(tsp, '401');
    for (let t = 0; agent.state.ringer === 'off'; t += 20) { if (t > 10_000) throw new Error('phone B never rang'); await sleep(20); }
    await agent.request('hook', { offHook: true });
    await sleep(1000);
    if (!(await agent.request('hears', { freqs: [1000], ms: 300 }))) notes.push('phone B did not hear A\'s 1000 Hz tone');
    benchMark('call window opens');
    const callWin = [monoUs(), 0];
    const [callPct] = await cpuPercent([a.pid], CALL_S * 1000);
    callWin[1] = monoUs();
    benchMark('call window closes');
    const rssCallMb = rssMb(a.pid);
    const sweep = await quotaSweep(a.pid, `dp-bench-${process.pid}`, notes);
    await agent.request('hook', { offHook: false });
    agent.close();
    const figures: PhoneFigures = { startMs, firstStartMs, settleMs, idlePct, rssIdleMb, callPct, rssCallMb, sweep, notes };
    await a.stop();                                            // SIGTERM: the phone exits cleanly (and V8 writes a profile)
    if (!PROFILE_DIR) {                                        // the same phone again, from its checked copy, capped from birth
      const q = await quotaStart(`phone A at ${START_QUOTA} %`, `dp-start-${process.pid}`, process.execPath, phoneArgs(A, '1000'), unitEnv, /^registered$/);
      if (typeof q === 'number') figures.quotaStartMs = q; else notes.push(`start under a quota not measured: ${q}`);
    } else {
      const file = join(PROFILE_DIR, `phone-a-${process.pid}.cpuprofile`);
      const md = [`### CPU profile of phone A (node --cpu-prof, ${file})`, '',
        ...profileLines(`Idle and registered (${IDLE_S} s)`, summarise(file, idleWin[0]!, idleWin[1]!)),
        ...profileLines(`In a PCMU call (${CALL_S} s)`, summarise(file, callWin[0]!, callWin[1]!))];
      figures.profile = join(PROFILE_DIR, 'profile.md');
      writeFileSync(figures.profile, `${md.join('\n')}\n`);
      notes.push(`CPU profile summary in ${figures.profile} (figures of this run include the sampler's cost)`);
    }
    return figures;
  } finally {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Start → `ready` of `cmd args` capped at START_QUOTA % from its first instruction, or why not. */
export async function quotaStart(label: string, group: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<number | string> {
  const s = startUnderQuota(label, START_QUOTA, group, cmd, args, env);
  if (typeof s === 'string') return s;
  try { return (await s.proc.waitFor(ready, 60_000)) - s.proc.startedAt; } finally { await s.proc.stop(); s.release(); }
}

/** Rows for one side (`who`) of the comparison. */
export function figureRows(who: string, f: PhoneFigures): PhoneRow[] {
  const g = 'Whole phone';
  const rows: PhoneRow[] = [
    ...(f.firstStartMs !== undefined ? [{ group: g, name: `${who}: first start → registered (checks the configs)`, value: f.firstStartMs, unit: 'ms' }] : []),
    { group: g, name: `${who}: start → registered${f.firstStartMs !== undefined ? ' (checked copy)' : ''}`, value: f.startMs, unit: 'ms' },
    { group: g, name: `${who}: CPU from ready until settled (${SETTLE_MS / 1000} s, once per start)`, value: f.settleMs, unit: 'ms' },
    { group: g, name: `${who}: idle CPU (${IDLE_S} s window from then)`, value: f.idlePct, unit: '% core' },
    { group: g, name: `${who}: RSS idle / in call`, value: f.rssIdleMb, unit: 'MB', ratio: `${f.rssCallMb.toFixed(1)} MB in call` },
    { group: g, name: `${who}: CPU in a PCMU call (${CALL_S} s window)`, value: f.callPct, unit: '% core' },
  ];
  if (f.quotaStartMs !== undefined) rows.push({ group: g, name: `${who}: start → registered at a ${START_QUOTA} % quota`, value: f.quotaStartMs, unit: 'ms' });
  for (const s of f.sweep) rows.push({ group: g, name: `${who}: quota ${s.percent} %: sends later than ${LATE_GAP_MS} ms`, value: s.late, unit: 'late', ratio: `of ${s.sends} in ${SWEEP_S} s, max gap ${s.maxGapMs.toFixed(0)} ms` });
  for (const n of f.notes) rows.push({ group: g, name: `${who}: ${n}`, value: Number.NaN, unit: 'note' });
  return rows;
}
