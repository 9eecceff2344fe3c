/**
 * The phone's configs read and checked off its main thread. Checking needs yaml and zod (with the
 * board's and the phone config's schemas), which cost a running phone ~4 MB of resident memory and
 * its start ~50 ms (docs/media.md "Whole phone"). A worker thread loads them, checks both files and
 * hands back plain data; when it exits its heap goes with it, so the phone that runs for months
 * never holds the schema library. Problems come back as the same ConfigError (file:line:col: key:
 * message, exit 2) as a check on the main thread.
 *
 * A worker costs a start ~100 ms itself, so what it returned is kept as a checked copy in the
 * cache directory (systemd's CacheDirectory=, else $XDG_CACHE_HOME/deskphone or ~/.cache/deskphone),
 * keyed by both files' text and the program's build (the bundle's entry and chunk names, which
 * carry content hashes), compared in full. The next start with the same files and the same build
 * reads the copy and starts no worker; any edit, or another build, checks again. Without a bundle
 * (the compiled tree of a checkout) there is no build and every start checks.
 *
 * The key is the text itself, not a SHA-256 of it: node:crypto would start OpenSSL in the phone
 * for this one comparison, ~1 MB of resident memory for as long as the phone runs (docs/media.md,
 * "Memory: what an idle phone holds"); the files are a few kB, read byte for byte (latin1).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigProblem } from '../../lib/config/config-error.js';
import type { BoardConfig } from '../../hal/board/schema.js';
import type { PhoneConfigFile } from './phone-config.js';
import { programEntry, WORKER_ARG, type WorkerTask } from './program-entry.js';

export interface ConfigFiles { board?: string | undefined; phone?: string | undefined }

export const CONFIG_TASK = 'check-configs';

/** One file's check: its checked data, or its problems (a ConfigError's) or another error's message. */
type Outcome<T> = { value: T } | { problems?: ConfigProblem[]; message: string };
/** What the worker posts back: each file's outcome. */
interface Outcomes { phone?: Outcome<PhoneConfigFile>; board?: Outcome<BoardConfig> }

/**
 * The checked files. Each accessor returns its file's data or throws that file's error, so the
 * caller keeps its order of checks: `deskphone phone` reports a bad phone config, then a bad
 * command-line value, then a bad board file, as it did when it read them one by one.
 */
export interface Checked {
  phone(): PhoneConfigFile | undefined;
  board(): BoardConfig | undefined;
}

function outcomeOf<T>(load: () => T): Outcome<T> {
  try { return { value: load() }; } catch (e) {
    return e instanceof ConfigError ? { problems: e.problems, message: e.message } : { message: (e as Error)?.message ?? String(e) };
  }
}

function valueOf<T>(o: Outcome<T> | undefined): T | undefined {
  if (o === undefined) return undefined;
  if ('value' in o) return o.value;
  throw o.problems ? new ConfigError(o.problems) : new Error(o.message);
}

const checkedFrom = (o: Outcomes): Checked => ({ phone: () => valueOf(o.phone), board: () => valueOf(o.board) });

/** Reads and checks the files; the work itself (in the worker, or inline). */
export async function checkConfigs(files: ConfigFiles): Promise<Outcomes> {
  const out: Outcomes = {};
  if (files.phone !== undefined) {
    const { loadPhoneConfig } = await import('./phone-config.js');
    out.phone = outcomeOf(() => loadPhoneConfig(files.phone!));
  }
  if (files.board !== undefined) {
    const { loadBoardConfig } = await import('../../hal/board/load.js');
    out.board = outcomeOf(() => loadBoardConfig(files.board!));
  }
  return out;
}

/** The worker's side (bin.ts runs it when its workerData names CONFIG_TASK). */
export async function runConfigTask(files: ConfigFiles, post: (r: Outcomes) => void): Promise<void> {
  post(await checkConfigs(files));
}

/** The cache directory of checked copies; undefined when no home or cache directory is known. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['CACHE_DIRECTORY']) return env['CACHE_DIRECTORY'].split(':')[0];       // systemd.exec(5) CacheDirectory=
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'deskphone');
  let home: string;
  try { home = homedir(); } catch { return undefined; }
  return home ? join(home, '.cache', 'deskphone') : undefined;
}

/** The bundle the program runs from, as text: its entry's text and its chunks' names; undefined without a bundle. */
function buildKey(entry: URL): string | undefined {
  try {
    const file = fileURLToPath(entry);
    const chunks = readdirSync(join(dirname(file), 'chunks')).sort();
    return `${readFileSync(file, 'latin1')}\0${chunks.join('\n')}`;
  } catch { return undefined; }
}

/** 16 hex digits naming the copy's file after the configs' paths: two FNV-1a 32-bit hashes (offset bases 0x811c9dc5 and its complement, prime 0x01000193). */
function nameHash(text: string): string {
  let a = 0x811c9dc5, b = ~0x811c9dc5 >>> 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** A checked copy: the worker's outcomes (each one a value: copies are kept only of good files). */
interface CopyFile { key: string; outcomes: Outcomes }

/** The checked copy for `files` and its key; `read` is the copy when its key matches. */
function checkedCopy(files: ConfigFiles, build: string, dir: string): { path: string; key: string; read(): Outcomes | undefined } | undefined {
  const parts = [build];
  let names = '';
  for (const f of [files.phone, files.board]) {
    const abs = f === undefined ? '' : resolvePath(f);
    names += `${abs}\0`;
    parts.push(abs);
    if (f !== undefined) {
      try { parts.push(readFileSync(abs, 'latin1')); } catch { return undefined; }  // unreadable: the check says why
    } else parts.push('');
  }
  const key = parts.join('\0');
  const path = join(dir, `checked-configs-${nameHash(names)}.json`);
  return {
    path, key,
    read() {
      try {
        const c = JSON.parse(readFileSync(path, 'utf8')) as CopyFile;
        return c.key === key && typeof c.outcomes === 'object' && c.outcomes !== null ? c.outcomes : undefined;
      } catch { return undefined; }                                              // none yet, or unreadable: check again
    },
  };
}

/** Writes the copy atomically (rename); a cache that cannot be written only costs the next start a check. */
function keepCopy(path: string, key: string, outcomes: Outcomes, log?: (m: string) => void): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, outcomes } satisfies CopyFile), { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) { log?.(`config check: could not keep the checked copy ${path}: ${(e as Error).message}`); }
}

/**
 * The checked configs for `files`: the checked copy when one matches, else checked in a worker
 * thread started from the program's entry (program-entry.ts) and kept, or inline when there is no
 * entry (the CLI inside a test). A bad file throws its ConfigError from its accessor (Checked);
 * this rejects only when the worker itself failed. `log` hears where the configs came from.
 */
export async function checkConfigsOffThread(files: ConfigFiles, log?: (m: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<Checked> {
  const entry = programEntry();
  if (!entry) { log?.('config check: on this thread'); return checkedFrom(await checkConfigs(files)); }
  const build = buildKey(entry);
  const dir = build ? cacheDir(env) : undefined;
  const copy = build && dir ? checkedCopy(files, build, dir) : undefined;
  const kept = copy?.read();
  if (kept) { log?.(`config check: checked copy ${copy!.path}`); return checkedFrom(kept); }
  const outcomes = await inWorker(entry, files);
  log?.('config check: in a worker thread');
  if (copy && [outcomes.phone, outcomes.board].every((o) => o === undefined || 'value' in o)) keepCopy(copy.path, copy.key, outcomes, log);
  return checkedFrom(outcomes);
}

/** node:worker_threads is imported here, when a check needs a worker: a start that reads the checked copy never loads it. */
async function inWorker(entry: URL, files: ConfigFiles): Promise<Outcomes> {
  const { Worker } = await import('node:worker_threads');
  return new Promise<Outcomes>((resolve, reject) => {
    const task: WorkerTask<ConfigFiles> = { deskphoneTask: CONFIG_TASK, input: files };
    const worker = new Worker(entry, { workerData: task, argv: [WORKER_ARG], stdout: false, stderr: false });
    let settled = false;
    const settle = (f: () => void): void => { if (!settled) { settled = true; f(); } };
    worker.once('message', (r: Outcomes) => settle(() => resolve(r)));
    worker.once('error', (e) => settle(() => reject(new Error(`checking ${[files.phone, files.board].filter(Boolean).join(' and ')} in a worker thread failed: ${e.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`the config-check worker thread exited (code ${code}) before it answered`))));
  });
}
