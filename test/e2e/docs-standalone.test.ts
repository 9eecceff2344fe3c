/**
 * The docs stand alone: no source file, doc or README cites a file outside the repository (research
 * notes, machine paths), every relative link and `docs/<name>.md` citation names a file that exists, and
 * the licence package.json names is shipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOTS = ['README.md', 'docs', 'src', 'hal', 'firmware', 'callmanager', 'scripts', 'test', 'board-configs'];

function files(p: string, out: string[] = []): string[] {
  if (!existsSync(p)) return out;
  if (statSync(p).isDirectory()) { for (const e of readdirSync(p)) files(join(p, e), out); return out; }
  if (/\.(ts|md|yaml)$/.test(p)) out.push(p);
  return out;
}

const all = ROOTS.flatMap((r) => files(r));
// The research notes' names, built from pieces so this file does not cite them itself.
const NOTES = [['sccp', 'facts'], ['perf', 'anchors'], ['hardware', 'deps']].map((w) => w.join('-'));
const OUTSIDE = new RegExp([...NOTES, '\\b' + 'anchors' + '\\.md', ['shared', 'research'].join('/'), '/' + 'work/'].join('|'));

test('no file cites research notes or machine paths outside the repository', () => {
  assert.ok(all.length > 100, `scanned ${all.length} files`);
  const hits = all.flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => [f, i + 1, l] as const))
    .filter(([, , l]) => OUTSIDE.test(l)).map(([f, n, l]) => `${f}:${n}: ${l.trim()}`);
  assert.deepEqual(hits, []);
});

test('every docs/<name>.md citation and relative markdown link points at a file in the repository', () => {
  const missing: string[] = [];
  for (const f of all) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\bdocs\/([\w-]+\.md)/g)) if (!existsSync(join('docs', m[1]!))) missing.push(`${f}: docs/${m[1]}`);
    if (f.endsWith('.md')) {
      for (const m of text.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)) if (!existsSync(join(dirname(f), m[1]!))) missing.push(`${f}: (${m[1]})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('the licence named in package.json is shipped', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string };
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
});
