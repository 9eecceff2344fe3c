/**
 * Micro-benchmark harness (method of research/perf-anchors.md: warm up, calibrate the iteration
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

export function measure(fn: Case): Timing {
  let n = 1;
  let t0 = performance.now();
  while (performance.now() - t0 < WARMUP_MS) { sink ^= fn(n); n = Math.min(n * 2, 1 << 24); }
  // calibrate: find n taking about ROUND_MS
  n = 1;
  for (;;) {
    t0 = performance.now();
    sink ^= fn(n);
    const dt = performance.now() - t0;
    if (dt > ROUND_MS / 8 || n >= 1 << 28) { n = Math.max(1, Math.round((n * ROUND_MS) / Math.max(dt, 0.001))); break; }
    n *= 4;
  }
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
  for (let k = 0; k < 20; k++) fn(n);               // warm to the optimising tier (interpreter frames allocate)
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
