/**
 * Process-level measurement for the "whole phone" bench group (bench-phone.ts): child processes
 * with line waits, CPU time and RSS from /proc/<pid>/stat and status (proc(5)), a CPU quota
 * through a child cgroup (v2 cpu.max or v1 cpu.cfs_quota_us), the UDP ports a process owns,
 * and the send times of its RTP packets captured with tshark on loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Clock ticks per second of utime/stime (sysconf(_SC_CLK_TCK)); 100 on every Linux we run on. */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process (all its threads) in ms, proc(5) fields 14 and 15. */
export function cpuMs(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');       // fields from 3 (state) on
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/** Resident set size in MB (VmRSS of /proc/<pid>/status). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** % of one core used by `pids` over `ms` of wall time. */
export async function cpuPercent(pids: number[], ms: number): Promise<number[]> {
  const a = pids.map(cpuMs);
  const t0 = performance.now();
  await sleep(ms);
  const dt = performance.now() - t0;
  return pids.map((p, i) => (100 * (cpuMs(p) - a[i]!)) / dt);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/**
 * DESKPHONE_BENCH_LOG=DIR keeps every child's output lines in DIR/<label>.log, and the bench's own
 * marks (benchMark) in DIR/bench.log, each line stamped with the bench's performance.now() in ms,
 * so a trace a child prints (e.g. DESKPHONE_BENCH_NODE_FLAGS="… --trace-opt --trace-gc") lines up
 * with the idle, call and quota windows.
 */
const LOG_DIR = process.env['DESKPHONE_BENCH_LOG'];
if (LOG_DIR) mkdirSync(LOG_DIR, { recursive: true });
const logLine = (file: string, l: string): void => {
  if (LOG_DIR) appendFileSync(join(LOG_DIR, `${file.replace(/[^\w.-]+/g, '-')}.log`), `${performance.now().toFixed(1)} ${l}\n`);
};

/** With DESKPHONE_BENCH_LOG: a line in bench.log (a window opens or closes, a quota is set). */
export const benchMark = (what: string): void => logLine('bench', what);

/** A child process whose stdout+stderr lines can be awaited. */
export class Proc {
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  private readonly lines: string[] = [];
  private readonly waiters: Array<{ re: RegExp; resolve(t: number): void }> = [];

  constructor(readonly label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString('utf8').replace(/\r/g, '\n');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) { this.onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
      if (buf.length > 4096) buf = buf.slice(-1024);
    };
    this.child.stdout!.on('data', onData);
    this.child.stderr!.on('data', onData);
  }

  get pid(): number { return this.child.pid!; }

  private onLine(l: string): void {
    logLine(this.label, l);
    if (this.lines.length < 400) this.lines.push(l);
    const now = performance.now();
    for (let k = this.waiters.length - 1; k >= 0; k--) if (this.waiters[k]!.re.test(l)) { this.waiters[k]!.resolve(now); this.waiters.splice(k, 1); }
  }

  /** Resolves with performance.now() of the first later line matching `re`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.label}: no line matching ${re} within ${timeoutMs} ms; last lines:\n${this.lines.slice(-12).join('\n')}`)), timeoutMs);
      this.waiters.push({ re, resolve: (x) => { clearTimeout(t); resolve(x); } });
      this.child.once('exit', (c) => { clearTimeout(t); reject(new Error(`${this.label} exited (${c}) waiting for ${re}; last lines:\n${this.lines.slice(-12).join('\n')}`)); });
    });
  }

  write(s: string): void { this.child.stdin!.write(s); }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await done;
    clearTimeout(t);
  }
}

/** A CPU quota for one process: a child cgroup (v2, else v1 cpu controller); undefined with why when not writable. */
export interface Quota { set(percent: number): void; release(): void; readonly kind: string }

/** A child cgroup with the cpu controller, created empty: `procs` is the file a process joins it by. */
interface QuotaGroup { set(percent: number): void; readonly procs: string; readonly kind: string; remove(pid: number): void }

function quotaGroup(name: string): QuotaGroup | string {
  const v2 = '/sys/fs/cgroup';
  const isV2 = existsSync(join(v2, 'cgroup.controllers'));
  const base = isV2 ? v2 : join(v2, 'cpu');
  if (!existsSync(join(base, 'cgroup.procs'))) return 'no cgroup cpu controller mounted';
  const dir = join(base, name);
  try {
    if (isV2) {
      const sub = readFileSync(join(v2, 'cgroup.subtree_control'), 'utf8');
      if (!/\bcpu\b/.test(sub)) writeFileSync(join(v2, 'cgroup.subtree_control'), '+cpu');
    }
    mkdirSync(dir, { recursive: true });
  } catch (e) { return `cgroup ${dir} not writable (${(e as Error).message})`; }
  const period = 100_000;                                       // µs
  return {
    kind: isV2 ? 'cgroup v2 cpu.max' : 'cgroup v1 cpu.cfs_quota_us',
    procs: join(dir, 'cgroup.procs'),
    set(percent) {
      const q = Math.round((period * percent) / 100);
      if (isV2) writeFileSync(join(dir, 'cpu.max'), `${q} ${period}`);
      else { writeFileSync(join(dir, 'cpu.cfs_period_us'), String(period)); writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(q)); }
    },
    remove(pid) {
      try { writeFileSync(join(base, 'cgroup.procs'), String(pid)); } catch { /* exited */ }
      try { rmdirSync(dir); } catch { /* still busy: left for the next run */ }
    },
  };
}

export function cpuQuota(pid: number, name: string): Quota | string {
  const g = quotaGroup(name);
  if (typeof g === 'string') return g;
  try { writeFileSync(g.procs, String(pid)); }                 // moves every thread of the process
  catch (e) { return `cgroup ${g.procs} not writable (${(e as Error).message})`; }
  return { kind: g.kind, set: (p) => g.set(p), release: () => g.remove(pid) };
}

/**
 * Starts `cmd args` inside a cgroup capped at `percent` of one core from its first instruction:
 * a shell joins the group, then execs the command (same pid). Returns why when no cgroup is writable.
 */
export function startUnderQuota(label: string, percent: number, name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { proc: Proc; release(): void } | string {
  const g = quotaGroup(name);
  if (typeof g === 'string') return g;
  try { g.set(percent); } catch (e) { return `cgroup quota not writable (${(e as Error).message})`; }
  const proc = new Proc(label, '/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', g.procs, cmd, ...args], env);
  return { proc, release: () => g.remove(proc.pid) };
}

/** Local UDP ports of a process's sockets (its /proc/<pid>/fd socket inodes looked up in /proc/net/udp{,6}). */
export function udpPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try { const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`)); if (m) inodes.add(m[1]!); } catch { /* closed meanwhile */ }
  }
  const ports: number[] = [];
  for (const f of ['/proc/net/udp', '/proc/net/udp6']) {
    if (!existsSync(f)) continue;
    for (const l of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const c = l.trim().split(/\s+/);
      if (c.length > 9 && inodes.has(c[9]!)) ports.push(parseInt(c[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

export const haveTshark = (): boolean => spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Captures on loopback for `ms` the UDP datagrams of `payloadBytes` (RTP header + 20 ms of PCMU =
 * 172) sent from any of `ports`; returns the gaps between consecutive sends in ms.
 */
export async function sendGaps(ports: number[], payloadBytes: number, ms: number): Promise<number[]> {
  const filter = `udp and (${ports.map((p) => `src port ${p}`).join(' or ')}) and udp[4:2] = ${payloadBytes + 8}`;
  const p = new Proc('tshark', 'tshark', ['-i', 'lo', '-f', filter, '-a', `duration:${Math.ceil(ms / 1000)}`, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'udp.srcport', '-l', '-Q']);
  let out = '';
  p.child.stdout!.removeAllListeners('data');
  p.child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await new Promise<void>((r) => p.child.once('exit', () => r()));
  const bySrc = new Map<string, number[]>();
  for (const l of out.split('\n')) {
    const [t, src] = l.split('\t');
    if (!t || !src) continue;
    (bySrc.get(src) ?? bySrc.set(src, []).get(src)!).push(Number(t) * 1000);
  }
  const gaps: number[] = [];
  for (const ts of bySrc.values()) for (let i = 1; i < ts.length; i++) gaps.push(ts[i]! - ts[i - 1]!);
  return gaps;
}
