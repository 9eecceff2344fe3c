/**
 * Allocation meter: median heapUsed growth per call over batches of `iters` calls (no GC forced;
 * a batch is small enough that a scavenge rarely lands inside it, and the median drops the odd
 * one that does). Method of perf-anchors.md §1c (heap delta over GC-free batches).
 */
export function bytesPerCall(fn: () => void, iters = 10_000, batches = 7): number {
  for (let i = 0; i < iters; i++) fn();          // warm up so the JIT's own allocations are done
  const deltas: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < iters; i++) fn();
    deltas.push(process.memoryUsage().heapUsed - before);
  }
  deltas.sort((x, y) => x - y);
  return deltas[batches >> 1]! / iters;
}
