/**
 * Hot media paths allocate nothing (docs/architecture.md rules): the conference bridge's per-tick
 * path and music on hold, measured in a child process (a clean heap) over ~40,000 ticks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

interface M { bytes: number; sent: number }

test('conference tick and music on hold: 0 bytes allocated per mixed packet in steady state', () => {
  const probe = fileURLToPath(new URL('../../support/alloc-probe.js', import.meta.url));
  type R = { ulaw3: M; ulaw6: M; mixed6: M; moh: M; leaky: number };
  const once = (): R => {
    const r = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, `alloc probe failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as R;
  };
  // Two fresh processes, the lower figure per case: on a loaded machine one run can catch V8
  // re-optimising (tier-up); an object allocated per packet shows in both runs.
  const a = once();
  const b = once();
  const low = (x: M, y: M): M => (x.bytes <= y.bytes ? x : y);
  const m: R = { ulaw3: low(a.ulaw3, b.ulaw3), ulaw6: low(a.ulaw6, b.ulaw6), mixed6: low(a.mixed6, b.mixed6), moh: low(a.moh, b.moh), leaky: Math.min(a.leaky, b.leaky) };
  for (const [k, v] of Object.entries({ ulaw3: m.ulaw3, ulaw6: m.ulaw6, mixed6: m.mixed6, moh: m.moh })) {
    // The meter costs ~0.26 B per call itself (test/support/alloc.ts); any real object per packet is ≥ 16 B.
    assert.ok(v.bytes !== null && v.bytes < 2, `${k}: ${v.bytes === null ? 'a GC in most batches (JSON null = Infinity)' : v.bytes.toFixed(2)} B per packet`);
    assert.ok(v.sent > 20_000, `${k}: only ${v.sent} packets sent during the measurement (the path did not run)`);
  }
  assert.ok(m.leaky >= 16, `meter blind: ${m.leaky}`);
});
