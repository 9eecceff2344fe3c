/**
 * Micro-benchmark harness (method of docs/media.md ("Benchmark", "External peers and checkers"): warm up, calibrate the iteration
 * count to a fixed round time, take the median of several rounds), plus allocation per operation
 * from the V8 heap between forced GCs (needs --expose-gc; bench.ts re-executes itself with it).
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

/** A case runs `n` iterations and returns a checksum (so the JIT cannot drop the work). */
export type Case = (n: number) => number;

export interface Timing { opsPerSec: number; nsPerOp: number; spread: [number, number] }

const WARMUP_MS = 200;
const ROUND_MS = 120;
const ROUNDS = 5;

let sink = 0;
/** Keeps checksums observable. */
export function blackhole(): number { return sink; }

/** Warms `fn` up and returns the iteration count that takes about ROUND_MS. */
function calibrate(fn: Case): number {
  let n = 1;
  let t0 = performance.now();
  while (performance.now() - t0 < WARMUP_MS) { sink ^= fn(n); n = Math.min(n * 2, 1 << 24); }
  n = 1;
  for (;;) {
    t0 = performance.now();
    sink ^= fn(n);
    const dt = performance.now() - t0;
    if (dt > ROUND_MS / 8 || n >= 1 << 28) return Math.max(1, Math.round((n * ROUND_MS) / Math.max(dt, 0.001)));
    n *= 4;
  }
}

export function measure(fn: Case): Timing {
  const n = calibrate(fn);
  let t0: number;
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    t0 = performance.now();
    sink ^= fn(n);
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const med = rates[ROUNDS >> 1]!;
  return { opsPerSec: med, nsPerOp: 1e9 / med, spread: [rates[0]!, rates[ROUNDS - 1]!] };
}

export interface GroupTiming extends Timing { /** ns per op of each round, in round order (rounds interleaved across the group). */ rounds: number[] }

/**
 * Measures several cases side by side: each is warmed and calibrated, then the rounds run
 * interleaved (A B C, A B C, ...), so load changes on a shared machine hit all cases alike.
 * Use `pairedRatio` on the per-round figures for a ratio target.
 */
export function measureGroup(cases: Record<string, Case>, rounds = 9): Record<string, GroupTiming> {
  const names = Object.keys(cases);
  const n: Record<string, number> = {};
  for (const k of names) n[k] = calibrate(cases[k]!);
  const per: Record<string, number[]> = {};
  for (const k of names) per[k] = [];
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      const t0 = performance.now();
      sink ^= cases[k]!(n[k]!);
      per[k]!.push(((performance.now() - t0) * 1e6) / n[k]!);
    }
  }
  const out: Record<string, GroupTiming> = {};
  for (const k of names) {
    const sorted = [...per[k]!].sort((a, b) => a - b);
    const ns = sorted[sorted.length >> 1]!;
    out[k] = { opsPerSec: 1e9 / ns, nsPerOp: ns, spread: [1e9 / sorted[sorted.length - 1]!, 1e9 / sorted[0]!], rounds: per[k]! };
  }
  return out;
}

/** Median over rounds of a.rounds[i] / b.rounds[i] (both from one measureGroup call). */
export function pairedRatio(a: GroupTiming, b: GroupTiming): number {
  const r = a.rounds.map((x, i) => x / b.rounds[i]!).sort((x, y) => x - y);
  return r[r.length >> 1]!;
}

const gc = (globalThis as { gc?: () => void }).gc;
export const canMeasureAlloc = typeof gc === 'function';

/**
 * Bytes allocated per operation: heap growth over `n` operations after a full GC, median of
 * 7 batches, minus the same measurement of an empty case. Batches that saw a scavenge (heap
 * shrank) are dropped. Returns NaN without --expose-gc.
 */
export function bytesPerOp(fn: Case, n = 20000): number {
  if (!gc) return Number.NaN;
  const batch = (f: Case): number => {
    const vals: number[] = [];
    for (let k = 0; k < 9 && vals.length < 7; k++) {
      gc!();
      const before = v8.getHeapStatistics().used_heap_size;
      sink ^= f(n);
      const after = v8.getHeapStatistics().used_heap_size;
      if (after >= before) vals.push((after - before) / n);
    }
    vals.sort((a, b) => a - b);
    return vals.length ? vals[vals.length >> 1]! : Number.NaN;
  };
  const empty: Case = (k) => { let s = 0; for (let i = 0; i < k; i++) s = (s + i) | 0; return s; };
  // Warm to the optimising tier with many short calls: a fresh closure first runs each call's early
  // iterations in Ignition/Sparkplug until on-stack replacement, and unoptimised frames box every
  // uint32 above 2^31 (RTP ts/ssrc) as a HeapNumber. Many calls get the function itself optimised.
  for (let k = 0; k < 400; k++) fn(64);
  for (let k = 0; k < 5; k++) fn(n);
  // One discarded pass of the whole meter: the first pass over a fresh closure still sees one-time
  // JIT work on the heap (measured: 6–20 B/op on the first pass, 0 on every later one).
  batch(fn); batch(empty);
  return Math.max(0, batch(fn) - batch(empty));
}

/** Same idea for asynchronous work: heap growth over one awaited batch after a full GC. */
export async function bytesPerOpAsync(run: (n: number) => Promise<void>, n: number): Promise<number> {
  if (!gc) return Number.NaN;
  const vals: number[] = [];
  for (let k = 0; k < 9 && vals.length < 5; k++) {
    gc();
    const before = v8.getHeapStatistics().used_heap_size;
    await run(n);
    const after = v8.getHeapStatistics().used_heap_size;
    if (after >= before) vals.push((after - before) / n);
  }
  vals.sort((a, b) => a - b);
  return vals.length ? vals[vals.length >> 1]! : Number.NaN;
}

export function fmtRate(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

export interface SampledAlloc { total: number; ours: number; sites: Array<[string, number]> }

/**
 * Bytes allocated per operation by an asynchronous run (sockets, timers), from V8's sampling heap
 * profiler with collected objects kept (HeapProfiler.startSampling includeObjectsCollectedBy*GC):
 * every allocation counts, whether or not it survived, so scavenges during the run do not hide any.
 * `ours` = bytes whose allocating frame is in this repository's firmware/ or hal/ code; `sites`
 * lists the top allocating frames (function file:line) with bytes per op.
 */
export async function sampledAlloc(run: (n: number) => Promise<void>, n: number, isOurs: (url: string) => boolean): Promise<SampledAlloc> {
  const { Session } = await import('node:inspector/promises');
  const s = new Session();
  s.connect();
  await s.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true } as never);
  await run(n);
  const { profile } = (await s.post('HeapProfiler.stopSampling')) as { profile: { head: ProfNode } };
  s.disconnect();
  let total = 0;
  let ours = 0;
  const sites = new Map<string, number>();
  const walk = (node: ProfNode): void => {
    if (node.selfSize) {
      const f = node.callFrame;
      total += node.selfSize;
      if (isOurs(f.url)) ours += node.selfSize;
      const k = `${isOurs(f.url) ? '[ours] ' : ''}${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '') || '(native)'}:${f.lineNumber + 1}`;
      sites.set(k, (sites.get(k) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  const top = [...sites].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, v / n] as [string, number]);
  return { total: total / n, ours: ours / n, sites: top };
}

interface ProfNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: ProfNode[] }
