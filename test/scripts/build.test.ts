/**
 * scripts/build.mjs (what `npm run sim`, `npm test` and `npm run bench` build with): compiles on
 * the first run and after a change, says so on stderr, and does nothing at all when the build is
 * up to date. Run in a small throw-away project that borrows this repository's node_modules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBin, startLineCallManager, stop, until } from '../support/run-bin.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(ROOT, 'scripts/build.mjs'), join(dir, 'scripts/build.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "build-test", "type": "module" }\n');
  writeFileSync(join(dir, 'package-lock.json'), '{}\n');
  const old = new Date('2001-01-01T00:00:00Z');
  utimesSync(join(dir, 'package-lock.json'), old, old); // older than node_modules/.package-lock.json: no npm ci
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'dist', rootDir: '.', strict: true, types: [] },
    include: ['src'],
  }));
  writeFileSync(join(dir, 'src/a.ts'), 'export const a: number = 1;\n');
  writeFileSync(join(dir, 'src/b.ts'), 'import { a } from \'./a.js\';\nexport const b = a + 1;\n');
  for (const f of ['tsconfig.json', 'package.json', 'src/a.ts', 'src/b.ts']) utimesSync(join(dir, f), old, old);
  return dir;
}

const build = (dir: string) => spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
const mtime = (f: string): number => statSync(f).mtimeMs;

test('first build compiles and says so; a second run with nothing changed does nothing', () => {
  const dir = project();
  const first = build(dir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /^deskphone: compiling TypeScript \(first build, about a minute\)…\ndeskphone: built in \d+\.\d s\n$/);
  assert.equal(first.stdout, '', 'messages go to stderr');
  const a = join(dir, 'dist/src/a.js');
  const before = [mtime(a), mtime(join(dir, 'dist/src/b.js')), mtime(join(dir, 'dist/.tsbuildinfo')), mtime(join(dir, 'dist/.build-stamp'))];
  const second = build(dir);
  assert.equal(second.status, 0);
  assert.equal(second.stderr, '', 'up to date: not a word, no compiler');
  assert.deepEqual([mtime(a), mtime(join(dir, 'dist/src/b.js')), mtime(join(dir, 'dist/.tsbuildinfo')), mtime(join(dir, 'dist/.build-stamp'))], before);
});

test('a changed file is named and rebuilt; a failed build is retried on the next run', () => {
  const dir = project();
  assert.equal(build(dir).status, 0);
  writeFileSync(join(dir, 'src/b.ts'), 'import { a } from \'./a.js\';\nexport const b = a + 41;\n');
  const changed = build(dir);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(changed.stderr, /^deskphone: compiling TypeScript: 1 changed \(src\/b\.ts\)…\n/);
  assert.match(readFileSync(join(dir, 'dist/src/b.js'), 'utf8'), /a \+ 41/);

  writeFileSync(join(dir, 'src/a.ts'), 'export const a: number = "not a number";\n');
  const broken = build(dir);
  assert.notEqual(broken.status, 0, 'a type error fails the build');
  assert.match(broken.stdout + broken.stderr, /src\/a\.ts.*TS2322/);
  const again = build(dir);
  assert.notEqual(again.status, 0, 'still broken: tried again, not skipped');
  assert.match(again.stderr, /compiling TypeScript: 1 changed \(src\/a\.ts\)/);
});

test('npm run sim, npm test and npm run bench build through it', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts['sim'], 'node scripts/build.mjs && node dist/src/bin.js sim');
  assert.equal(scripts['build'], 'node scripts/build.mjs');
  assert.match(scripts['pretest']!, /npm run build && npm run lint:imports$/, 'builds, then the import-rule check');
  assert.match(scripts['bench']!, /^node scripts\/build\.mjs && /);
});

test('the bundle (dist/bundle/deskphone.js, what the installed unit runs) prints the version and runs a call manager and a phone that registers', async () => {
  const bundle = join(ROOT, 'dist/bundle/deskphone.js');
  assert.ok(statSync(bundle).isFile(), 'npm test\'s build made the bundle (esbuild is a devDependency)');
  const v = spawnSync(process.execPath, [bundle, '--version'], { cwd: tmpdir(), encoding: 'utf8', timeout: 20_000 });
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  const { port, dir, device, cm } = await startLineCallManager('470', 'Bundle', bundle);
  try {
    // A preloaded script writes the built-in modules the phone loaded when it exits.
    const builtins = join(dir, 'builtins.txt');
    const preload = join(dir, 'builtins.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(builtins)}, process.moduleLoadList.join('\\n')));\n`);
    const phone = startBin(['phone', '--board', 'board-configs/laptop-emulated.yaml', '--server', `127.0.0.1:${port}`, '--emulated',
      '--device', device, '--control', join(dir, 'phone.sock')], { NODE_OPTIONS: `--require ${preload}` }, bundle);
    const ok = await until(() => /^registered$/m.test(phone.out) && /Bundle\|$/m.test(phone.out), 20_000);
    await stop(phone);
    assert.ok(ok, `the bundled phone registers and shows its line:\n${phone.out.slice(-400)}\n${phone.err.slice(0, 400)}`);
    // The bundle is CommonJS and the phone avoids fs/promises and performance (scripts/build.mjs,
    // lib/fs/fs-async.ts, hal/bindings/system-clock.ts): none of these is loaded.
    const loaded = readFileSync(builtins, 'utf8').split('\n').filter((l) => l.startsWith('NativeModule ')).map((l) => l.slice(13));
    assert.ok(loaded.includes('net') && loaded.includes('dgram'), `the list is the phone's: ${loaded.length} modules`);
    for (const m of ['internal/modules/esm/module_job', 'fs/promises', 'internal/readline/interface', 'perf_hooks', 'internal/perf/performance'])
      assert.ok(!loaded.includes(m), `the bundled phone loaded ${m}`);
  } finally { await stop(cm); }
});
