/**
 * Summaries of a V8 CPU profile (`node --cpu-prof`, the .cpuprofile JSON of the Chrome DevTools
 * protocol's Profiler.Profile: nodes with callFrame and children, samples = node ids, timeDeltas in
 * µs, startTime in µs of the monotonic clock) over a window of time: the top functions by self time
 * and the share of samples by where the code lives (our emulators, the rest of our code, node_modules,
 * Node's own JavaScript, V8's garbage collector, native code, idle). The window's bounds are
 * process.hrtime values of any process on the machine, since both read CLOCK_MONOTONIC on Linux.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

export interface ProfileSummary {
  /** Samples in the window that were not (idle), in ms of CPU. */
  busyMs: number;
  windowMs: number;
  top: Array<{ name: string; where: string; ms: number; pct: number }>;
  /** Busy ms by category (emulator, firmware, hal, callmanager, …, gc, native, node internals). */
  byPlace: Array<{ place: string; ms: number; pct: number }>;
}

/** Where a frame lives, from its script URL (file:///…/dist/<folder>/…) or V8's pseudo-frames. */
export function placeOf(f: CallFrame): string {
  if (f.functionName === '(garbage collector)') return 'V8 garbage collector';
  if (f.functionName === '(program)') return 'native (V8, libuv, syscalls)';
  if (f.functionName === '(idle)') return 'idle';
  const u = f.url;
  if (!u) return 'native (V8, libuv, syscalls)';
  if (u.startsWith('node:')) return 'Node internals';
  if (u.includes('/node_modules/')) return `node_modules (${/\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1] ?? '?'})`;
  const m = /\/dist\/((?:hal\/[a-z]+)|[a-z-]+)\//.exec(u);
  if (m) return m[1] === 'hal/emul' ? 'hal/emul (device emulators)' : m[1]!;
  return 'other';
}

export function summarise(file: string, fromUs: number, toUs: number, topN = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  const self = new Map<number, number>();
  let t = p.startTime;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) continue;
    const id = p.samples[i]!;
    // A sample's weight is the interval to the next sample (V8 records the delta before each one).
    const w = (p.timeDeltas[i + 1] ?? dt) / 1000;
    self.set(id, (self.get(id) ?? 0) + w);
    if (byId.get(id)!.callFrame.functionName !== '(idle)') busy += w;
  }
  const fn = new Map<string, { name: string; where: string; ms: number }>();
  const place = new Map<string, number>();
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    const pl = placeOf(f);
    if (pl === 'idle') continue;
    place.set(pl, (place.get(pl) ?? 0) + ms);
    const file = f.url ? f.url.replace(/^file:\/\/.*?\/dist\//, '').replace(/^file:\/\/.*\/node_modules\//, '') : '';
    const key = `${f.functionName}|${file}|${f.lineNumber}`;
    const e = fn.get(key) ?? { name: f.functionName || '(anonymous)', where: file ? `${file}:${f.lineNumber + 1}` : '', ms: 0 };
    e.ms += ms;
    fn.set(key, e);
  }
  const pct = (ms: number): number => (busy > 0 ? (100 * ms) / busy : 0);
  return {
    busyMs: busy, windowMs: (toUs - fromUs) / 1000,
    top: [...fn.values()].sort((a, b) => b.ms - a.ms).slice(0, topN).map((e) => ({ ...e, pct: pct(e.ms) })),
    byPlace: [...place].sort((a, b) => b[1] - a[1]).map(([pl, ms]) => ({ place: pl, ms, pct: pct(ms) })),
  };
}

/** Markdown lines for one window's summary. */
export function profileLines(title: string, s: ProfileSummary): string[] {
  const out = [`#### ${title}: ${s.busyMs.toFixed(0)} ms on CPU in ${(s.windowMs / 1000).toFixed(1)} s (sampled)`, '',
    '| self ms | % | function | where |', '|---:|---:|---|---|'];
  for (const f of s.top) out.push(`| ${f.ms.toFixed(1)} | ${f.pct.toFixed(1)} | ${f.name} | ${f.where} |`);
  out.push('', '| place | self ms | % |', '|---|---:|---:|');
  for (const p of s.byPlace) out.push(`| ${p.place} | ${p.ms.toFixed(1)} | ${p.pct.toFixed(1)} |`);
  out.push('');
  return out;
}

/** process.hrtime in µs (CLOCK_MONOTONIC, the clock of a profile's startTime on Linux). */
export const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);
