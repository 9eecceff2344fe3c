#!/usr/bin/env node
// Builds only when something changed, and says what it is doing: `npm run sim` and `npm test`
// call this instead of a bare tsc so that a second start costs a file scan, not a compile.
// - installs the npm dependencies on a fresh clone (or when package-lock.json changed);
// - skips tsc when no source (.ts under the tsconfig include, tsconfig.json, package.json,
//   package-lock.json) is newer than dist/.build-stamp, written after the last good build;
// - otherwise runs tsc with incremental build info (dist/.tsbuildinfo): only changed files and
//   what depends on them are checked again;
// - then bundles the command (dist/src/bin.js) with esbuild into dist/bundle/deskphone.js: one
//   file plus a chunk per lazily loaded command/composition, so a phone starts from a handful of
//   files instead of ~360 modules (what the installed unit runs, docs/install.md). Without
//   esbuild (a production-only install) the bundle is skipped and dist/src/bin.js runs as before.
// Plain JavaScript on purpose: it runs before anything is compiled. Messages go to stderr.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.build-stamp');
const SOURCE_DIRS = ['lib', 'src', 'hal', 'firmware', 'callmanager', 'scripts', 'test'];
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'package-lock.json'];
const say = (m) => process.stderr.write(`deskphone: ${m}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.error) { say(`${cmd} failed to start: ${r.error.message}`); process.exit(1); }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// 1. Dependencies.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(join(root, 'node_modules', 'typescript')) || !existsSync(installed) || statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  say('installing npm dependencies (npm ci; first run, about a minute)…');
  run(npm, ['ci', '--no-audit', '--no-fund']);
}

// 2. Anything newer than the last build?
function* sources() {
  for (const f of SOURCE_FILES) if (existsSync(join(root, f))) yield join(root, f);
  const walk = function* (dir) {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'dist') yield* walk(p); }
      else if (e.name.endsWith('.ts')) yield p;
    }
  };
  for (const d of SOURCE_DIRS) yield* walk(join(root, d));
}
const stampTime = existsSync(STAMP) ? statSync(STAMP).mtimeMs : -1;
const changed = [];
for (const f of sources()) if (statSync(f).mtimeMs > stampTime) changed.push(relative(root, f));
const BUNDLE = join(root, 'dist', 'bundle', 'deskphone.js');
// Written last by bundle(); a bundle without it is an older ES module build and is made again.
const BUNDLE_PACKAGE = join(root, 'dist', 'bundle', 'package.json');
if (changed.length === 0) {
  if (!existsSync(BUNDLE_PACKAGE)) await bundle(true);
  process.exit(0);
}

// 3. Build.
const started = Date.now();
say(stampTime < 0
  ? 'compiling TypeScript (first build, about a minute)…'
  : `compiling TypeScript: ${changed.length} changed (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''})…`);
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join('dist', '.tsbuildinfo')]);
mkdirSync(dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `built ${new Date(started).toISOString()}\n`);
// The stamp carries the time the build started: a file saved during the build is newer and is built next time.
utimesSync(STAMP, new Date(started), new Date(started));
say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await bundle();

/**
 * dist/src/bin.js → dist/bundle/deskphone.js (+ chunks/ for the dynamic imports), CommonJS for Node 20.
 * esbuild splits only ES module output, so it bundles to ES module chunks in memory and then turns
 * each chunk into CommonJS (static imports become require(), import() a require() in a promise,
 * import.meta.url the chunk's own file URL); dist/bundle/package.json says "commonjs". Why not ES
 * modules: a Node 20 process that loads any ES module loads the ESM loader (nine more built-in
 * modules, fs/promises and readline with them), ~1.3 MB of a phone's RSS (docs/media.md, "Memory").
 */
async function bundle(quiet = false) {
  const entry = join(root, 'dist', 'src', 'bin.js');
  if (!existsSync(entry)) return;                  // not deskphone's tree (scripts/build.mjs's own test project)
  let esbuild;
  try { esbuild = await import('esbuild'); } catch {
    if (!quiet) say('esbuild not installed (npm ci installs it): no dist/bundle/, dist/src/bin.js is what runs');
    return;
  }
  const t = Date.now();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const outdir = join(root, 'dist', 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  // Whitespace, comments and syntax minified, names kept (stack traces still name functions):
  // 2.5 → 1.7 MB of chunks. A phone's start compiles every chunk it loads and holds their source
  // text on its heap (docs/media.md, "Memory").
  const minify = { minifyWhitespace: true, minifySyntax: true };
  const { outputFiles } = await esbuild.build({
    entryPoints: { deskphone: entry },
    outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', write: false, ...minify,
    chunkNames: 'chunks/[name]-[hash]', logLevel: 'warning', legalComments: 'linked',
    // Native addons and the optional hardware packages stay in node_modules (loaded lazily by hal/bindings).
    external: [...Object.keys(pkg.optionalDependencies ?? {}), 'better-sqlite3'],
  });
  for (const f of outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.path.endsWith('.js') ? await toCommonJs(esbuild, f.text, relative(root, f.path), minify) : f.contents);
  }
  chmodSync(BUNDLE, 0o755);
  writeFileSync(BUNDLE_PACKAGE, '{ "type": "commonjs" }\n');
  say(`bundled dist/bundle/deskphone.js in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** One ES module chunk as CommonJS; the shebang stays first. */
async function toCommonJs(esbuild, text, file, minify) {
  const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  const r = await esbuild.transform(text.slice(shebang.length), {
    format: 'cjs', platform: 'node', target: 'node20', sourcefile: file, logLevel: 'warning', ...minify,
    // import() of a chunk or package becomes require() inside a promise: no ES module is ever loaded.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__deskphoneModuleUrl' },
    banner: 'const __deskphoneModuleUrl=require("node:url").pathToFileURL(__filename).href;',
  });
  return shebang + r.code;
}
