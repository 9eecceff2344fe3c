/**
 * The phone's configs checked off its main thread (src/node/config-off-thread.ts): a worker thread
 * started from the program's entry returns what the main-thread check returns; a bad file is the
 * same ConfigError (file:line:col); the checked copy is used while the files and the build are
 * unchanged and is checked again after an edit; a corrupt copy is checked again, not trusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../../lib/config/config-error.js';
import { loadBoardConfig } from '../../../hal/board/load.js';
import { loadPhoneConfig } from '../../../src/node/phone-config.js';
import { cacheDir, checkConfigsOffThread } from '../../../src/node/config-off-thread.js';
import { setProgramEntry } from '../../../src/node/program-entry.js';
import { ROOT } from '../../support/run-bin.js';

const BOARD = join(ROOT, 'board-configs/laptop-emulated.yaml');
const PHONE = join(ROOT, 'config/phone.example.yaml');
/** The bundle the installed unit runs (scripts/build.mjs); its entry and chunk names are the build hash. */
const BUNDLE = join(ROOT, 'dist/bundle/deskphone.js');

function scratch(): { dir: string; env: NodeJS.ProcessEnv; board: string; log: string[]; say: (m: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dp-cfg-'));
  const board = join(dir, 'board.yaml');
  writeFileSync(board, readFileSync(BOARD, 'utf8'));
  const log: string[] = [];
  return { dir, env: { XDG_CACHE_HOME: join(dir, 'cache') }, board, log, say: (m) => log.push(m) };
}

test('cacheDir: systemd CacheDirectory= first, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(cacheDir({ CACHE_DIRECTORY: '/var/cache/deskphone', XDG_CACHE_HOME: '/x' }), '/var/cache/deskphone');
  assert.equal(cacheDir({ XDG_CACHE_HOME: '/x' }), '/x/deskphone');
  assert.match(cacheDir({}) ?? '', /\/\.cache\/deskphone$/);
});

test('without a program entry (the CLI inside another program) the check runs on this thread and keeps no copy', async () => {
  const s = scratch();
  try {
    const c = await checkConfigsOffThread({ board: s.board }, s.say, s.env);
    assert.deepEqual(c.board(), loadBoardConfig(s.board));
    assert.deepEqual(s.log, ['config check: on this thread']);
    assert.equal(existsSync(join(s.dir, 'cache')), false);
  } finally { rmSync(s.dir, { recursive: true, force: true }); }
});

test('from the bundle: checked in a worker thread, then the checked copy until a file changes', { skip: !existsSync(BUNDLE) && 'no dist/bundle (esbuild not installed)' }, async () => {
  setProgramEntry(pathToFileURL(BUNDLE).href);
  const s = scratch();
  try {
    const first = await checkConfigsOffThread({ board: s.board, phone: PHONE }, s.say, s.env);
    assert.deepEqual(first.board(), loadBoardConfig(s.board), 'the worker returns what a main-thread check returns');
    assert.deepEqual(first.phone(), loadPhoneConfig(PHONE));
    assert.deepEqual(s.log, ['config check: in a worker thread']);
    assert.equal(readdirSync(join(s.dir, 'cache/deskphone')).filter((f) => f.endsWith('.json')).length, 1, 'one checked copy kept');

    const second = await checkConfigsOffThread({ board: s.board, phone: PHONE }, s.say, s.env);
    assert.deepEqual([second.board(), second.phone()], [first.board(), first.phone()]);
    assert.match(s.log[1]!, /^config check: checked copy .*checked-configs-[0-9a-f]{16}\.json$/);

    // An edit (the LCD's name) is checked again and the new value is what comes back.
    writeFileSync(s.board, readFileSync(BOARD, 'utf8').replace(/name: .*/, 'name: Edited desk'));
    const edited = await checkConfigsOffThread({ board: s.board, phone: PHONE }, s.say, s.env);
    assert.equal(s.log[2], 'config check: in a worker thread');
    assert.equal(edited.board()?.board.name, 'Edited desk');

    // A corrupt copy is not trusted: checked again and rewritten.
    const copy = join(s.dir, 'cache/deskphone', readdirSync(join(s.dir, 'cache/deskphone')).find((f) => f.endsWith('.json'))!);
    writeFileSync(copy, '{"key": "');
    await checkConfigsOffThread({ board: s.board, phone: PHONE }, s.say, s.env);
    assert.equal(s.log[3], 'config check: in a worker thread');
    assert.equal(JSON.parse(readFileSync(copy, 'utf8')).outcomes.board.value.board.name, 'Edited desk');
  } finally { rmSync(s.dir, { recursive: true, force: true }); }
});

test('a bad board file from the worker is the ConfigError a main-thread check throws, from its accessor only, and nothing is kept', { skip: !existsSync(BUNDLE) && 'no dist/bundle (esbuild not installed)' }, async () => {
  setProgramEntry(pathToFileURL(BUNDLE).href);
  const s = scratch();
  try {
    writeFileSync(s.board, readFileSync(BOARD, 'utf8').replace(/^display:/m, 'displya:'));
    let expected: ConfigError | undefined;
    try { loadBoardConfig(s.board); } catch (e) { expected = e as ConfigError; }
    assert.ok(expected instanceof ConfigError);
    const checked = await checkConfigsOffThread({ board: s.board, phone: PHONE }, s.say, s.env);
    assert.deepEqual(checked.phone(), loadPhoneConfig(PHONE), 'the good file still comes back');
    assert.throws(() => checked.board(), (e: unknown) => {
      assert.ok(e instanceof ConfigError, `a ConfigError, not ${String(e)}`);
      assert.deepEqual(e.problems, expected!.problems);
      assert.match(e.message, /board\.yaml:\d+:\d+: /);
      return true;
    });
    assert.equal(existsSync(join(s.dir, 'cache/deskphone')) && readdirSync(join(s.dir, 'cache/deskphone')).some((f) => f.endsWith('.json')), false);
  } finally { rmSync(s.dir, { recursive: true, force: true }); }
});

test('a missing file from the worker names the file', { skip: !existsSync(BUNDLE) && 'no dist/bundle (esbuild not installed)' }, async () => {
  setProgramEntry(pathToFileURL(BUNDLE).href);
  const s = scratch();
  try {
    const checked = await checkConfigsOffThread({ board: join(s.dir, 'nope.yaml') }, s.say, s.env);
    assert.throws(() => checked.board(), (e: unknown) => e instanceof ConfigError && e.message.includes('nope.yaml'));
  } finally { rmSync(s.dir, { recursive: true, force: true }); }
});
