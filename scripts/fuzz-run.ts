/**
 * The fuzz loop (docs/security.md §9): for each target, `n` inputs — a third purely random bytes, the
 * rest mutations (bit flips, byte sets, u32 extremes at a random offset, truncation, splicing,
 * repetition) of the seeds and of the kept corpus. Reports crashes (unexpected error types), the
 * slowest input (its best-of-5 time, so a GC pause does not count) and the heap before/after. Deterministic for a given seed of the PRNG.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPECTED, type FuzzTarget } from './fuzz-targets.js';

/** The kept corpus: test/fixtures/fuzz/<target>/*.bin (dist/scripts → repo root is two levels up). */
export const CORPUS_DIR = fileURLToPath(new URL('../../test/fixtures/fuzz', import.meta.url));

export function loadCorpus(target: string): Uint8Array[] {
  const dir = join(CORPUS_DIR, target);
  try { return readdirSync(dir).sort().map((f) => readFileSync(join(dir, f))); } catch { return []; }
}

export interface FuzzReport {
  target: string; inputs: number; crashes: Array<{ input: Uint8Array; error: string }>;
  slowestMs: number; slowest: Uint8Array; heapBeforeMb: number; heapAfterMb: number; elapsedMs: number;
}

/** xorshift32: fast and reproducible. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xfffffffe, 0xffffffff];

function mutate(base: Uint8Array, pool: Uint8Array[], r: () => number): Uint8Array {
  let b = Buffer.from(base);
  const rounds = 1 + Math.floor(r() * 4);
  for (let k = 0; k < rounds; k++) {
    const at = Math.floor(r() * Math.max(1, b.length));
    switch (Math.floor(r() * 7)) {
      case 0: if (b.length) b[at] = b[at]! ^ (1 << Math.floor(r() * 8)); break;
      case 1: if (b.length) b[at] = Math.floor(r() * 256); break;
      case 2: if (b.length >= 4) b.writeUInt32LE(EXTREMES[Math.floor(r() * EXTREMES.length)]!, Math.min(at, b.length - 4)); break;
      case 3: b = b.subarray(0, at); break;
      case 4: { const o = pool[Math.floor(r() * pool.length)]!; b = Buffer.concat([b.subarray(0, at), Buffer.from(o).subarray(Math.floor(r() * o.length))]); break; }
      case 5: b = Buffer.concat([b, b.subarray(at, at + 64)]); break;
      default: if (b.length) b = Buffer.concat([b.subarray(0, at), Buffer.from([Math.floor(r() * 256)]), b.subarray(at)]);
    }
  }
  return b;
}

function randomBytes(r: () => number): Uint8Array {
  const b = new Uint8Array(Math.floor(r() * 600));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}

export function fuzz(t: FuzzTarget, n: number, opts: { seed?: number; corpus?: Uint8Array[]; maxCrashes?: number } = {}): FuzzReport {
  const r = prng(opts.seed ?? 0x5eed);
  const pool = [...t.seeds(), ...(opts.corpus ?? [])];
  const crashes: FuzzReport['crashes'] = [];
  let slowestMs = -1;
  let slowest: Uint8Array = new Uint8Array(0);
  const candidates: Array<{ ms: number; input: Uint8Array }> = Array.from({ length: 8 }, () => ({ ms: -1, input: new Uint8Array(0) }));
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const input = i < pool.length ? pool[i]! : r() < 1 / 3 ? randomBytes(r) : mutate(pool[Math.floor(r() * pool.length)]!, pool, r);
    const s = performance.now();
    try { t.run(input); } catch (e) {
      if (!EXPECTED.some((E) => e instanceof E) && crashes.length < (opts.maxCrashes ?? 20)) {
        crashes.push({ input, error: (e as Error)?.stack ?? String(e) });
      }
    }
    const ms = performance.now() - s;
    if (ms > slowestMs) { slowestMs = ms; slowest = input; }
    if (ms > candidates[0]!.ms) { candidates[0] = { ms, input }; candidates.sort((a, b) => a.ms - b.ms); }
  }
  const elapsedMs = performance.now() - t0;
  // A GC pause or a busy core can make any input look slow: re-time the 8 slowest, best of 5 runs each.
  slowestMs = -1;
  for (const c of candidates) {
    if (c.ms < 0) continue;
    let best = Infinity;
    for (let k = 0; k < 5; k++) { const s = performance.now(); try { t.run(c.input); } catch { /* timed only */ } best = Math.min(best, performance.now() - s); }
    if (best > slowestMs) { slowestMs = best; slowest = c.input; }
  }
  (globalThis as { gc?: () => void }).gc?.();
  return { target: t.name, inputs: n, crashes, slowestMs, slowest, heapBeforeMb: heapBefore / 2 ** 20,
    heapAfterMb: process.memoryUsage().heapUsed / 2 ** 20, elapsedMs };
}
