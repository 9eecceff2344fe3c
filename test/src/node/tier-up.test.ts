/**
 * V8's interrupt budget lowered at the first registration (src/node/tier-up.ts): once, only on
 * "registered", with the call budget; and in a real node process the change takes effect — a hot
 * function is marked for optimization after fewer calls than before it (V8's
 * %GetOptimizationStatus, under --allow-natives-syntax in a child process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SignallingEvent } from '../../../firmware/station/signalling.js';
import { CALL_INTERRUPT_BUDGET, tierUpAfterRegistration } from '../../../src/node/tier-up.js';

function station(): { emit(e: SignallingEvent): void; onEvent(cb: (e: SignallingEvent) => void): void } {
  const cbs: Array<(e: SignallingEvent) => void> = [];
  return { emit: (e) => { for (const cb of cbs) cb(e); }, onEvent: (cb) => { cbs.push(cb); } };
}

test('the budget is lowered once, at the first registration, not before', async () => {
  const s = station();
  const set: string[] = [];
  const done = tierUpAfterRegistration(s, (f) => set.push(f));
  s.emit({ type: 'registration', state: 'registering', server: 'cm:2000' });
  s.emit({ type: 'registration', state: 'rejected', server: 'cm:2000', reason: 'unknown device' });
  s.emit({ type: 'lamp', target: 'line', instance: 1, mode: 'on' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(set, []);
  s.emit({ type: 'registration', state: 'registered', server: 'cm:2000' });
  s.emit({ type: 'registration', state: 'lost', server: 'cm:2000' });
  s.emit({ type: 'registration', state: 'registered', server: 'cm:2001' });
  await done;
  assert.deepEqual(set, [`--interrupt-budget=${CALL_INTERRUPT_BUDGET}`]);
});

// Counts the calls of a small hot function until V8 marks or optimizes it (status bits 4, 8, 9, 10:
// optimized, marked, marked concurrent, optimizing concurrently — V8's OptimizationStatus enum).
const CHILD = `
import { tierUpAfterRegistration } from ${JSON.stringify(fileURLToPath(new URL('../../../src/node/tier-up.js', import.meta.url)))};
const until = (f) => { const a = new Array(20).fill(1); for (let n = 1; n < 100000; n++) { f(a); if (%GetOptimizationStatus(f) & 0x710) return n; } return -1; };
const hot = () => function (a) { let s = 0; for (let i = 0; i < 20; i++) s += a[i] * 3; return s; };
const before = until(hot());
let cb; const set = tierUpAfterRegistration({ onEvent: (f) => { cb = f; } });
cb({ type: 'registration', state: 'registered' });
await set;
console.log(JSON.stringify({ before, after: until(hot()) }));
`;

test('in node, calls until a hot function is marked for optimization drop after the change', () => {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', CHILD], { encoding: 'utf8' });
  const { before, after } = JSON.parse(out) as { before: number; after: number };
  assert.ok(before > 0 && after > 0, `never marked: ${out}`);
  assert.ok(after * 2 <= before, `marked after ${before} calls before the change, ${after} after`);
});
