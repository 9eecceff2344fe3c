/**
 * The phone's configs read and checked off its main thread. Checking needs yaml and zod (with the
 * board's and the phone config's schemas), which cost a running phone ~4 MB of resident memory and
 * its start ~50 ms (docs/media.md "Whole phone"). A worker thread loads them, checks both files and
 * hands back plain data; when it exits its heap goes with it, so the phone that runs for months
 * never holds the schema library. Problems come back as the same ConfigError (file:line:col: key:
 * message, exit 2) as a check on the main thread.
 *
 * A worker costs a start ~150 ms itself, so what it returned is kept as a checked copy in the
 * cache directory (systemd's CacheDirectory=, else $XDG_CACHE_HOME/deskphone or ~/.cache/deskphone),
 * keyed by a hash of both files' text and of the program's build (the bundle's entry and chunk
 * names, which carry content hashes). The next start with the same files and the same build reads
 * the copy and starts no worker; any edit, or another build, checks again. Without a bundle (the
 * compiled tree of a checkout) there is no build hash and every start checks.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, type ConfigProblem } from '../../lib/config/config-error.js';
import type { BoardConfig } from '../../hal/board/schema.js';
import type { PhoneConfigFile } from './phone-config.js';
import { programEntry, type WorkerTask } from './program-entry.js';

export interface ConfigFiles { board?: string | undefined; phone?: string | undefined }
export interface CheckedConfigs { board?: BoardConfig; phone?: PhoneConfigFile }

export const CONFIG_TASK = 'check-configs';

/** What the worker posts back: the checked configs, or the first file's problems. */
type Reply = { ok: true; configs: CheckedConfigs } | { ok: false; problems?: ConfigProblem[]; message: string };

/** Reads and checks the files (the phone config first, as on the main thread); the work itself. */
export async function checkConfigs(files: ConfigFiles): Promise<CheckedConfigs> {
  const out: CheckedConfigs = {};
  if (files.phone !== undefined) out.phone = (await import('./phone-config.js')).loadPhoneConfig(files.phone);
  if (files.board !== undefined) out.board = (await import('../../hal/board/load.js')).loadBoardConfig(files.board);
  return out;
}

/** The worker's side (bin.ts runs it when its workerData names CONFIG_TASK). */
export async function runConfigTask(files: ConfigFiles, post: (r: Reply) => void): Promise<void> {
  try {
    post({ ok: true, configs: await checkConfigs(files) });
  } catch (e) {
    post(e instanceof ConfigError ? { ok: false, problems: e.problems, message: e.message } : { ok: false, message: (e as Error)?.message ?? String(e) });
  }
}

/** The cache directory of checked copies; undefined when no home or cache directory is known. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['CACHE_DIRECTORY']) return env['CACHE_DIRECTORY'].split(':')[0];       // systemd.exec(5) CacheDirectory=
  if (env['XDG_CACHE_HOME']) return join(env['XDG_CACHE_HOME'], 'deskphone');
  let home: string;
  try { home = homedir(); } catch { return undefined; }
  return home ? join(home, '.cache', 'deskphone') : undefined;
}

/** Hash of the bundle the program runs from: its entry's text and its chunks' names; undefined without a bundle. */
function buildHash(entry: URL): string | undefined {
  try {
    const file = fileURLToPath(entry);
    const chunks = readdirSync(join(dirname(file), 'chunks')).sort();
    return createHash('sha256').update(readFileSync(file)).update(chunks.join('\n')).digest('hex');
  } catch { return undefined; }
}

interface CopyFile { key: string; configs: CheckedConfigs }

/** The checked copy for `files` and its key; `read` is the copy when its key matches. */
function checkedCopy(files: ConfigFiles, build: string, dir: string): { path: string; key: string; read(): CheckedConfigs | undefined } | undefined {
  const h = createHash('sha256').update(build);
  const names = createHash('sha256');
  for (const f of [files.phone, files.board]) {
    const abs = f === undefined ? '' : resolvePath(f);
    names.update(`${abs}\0`);
    h.update(`${abs}\0`);
    if (f !== undefined) {
      try { h.update(readFileSync(abs)); } catch { return undefined; }          // unreadable: the check says why
    }
    h.update('\0');
  }
  const key = h.digest('hex');
  const path = join(dir, `checked-configs-${names.digest('hex').slice(0, 16)}.json`);
  return {
    path, key,
    read() {
      try {
        const c = JSON.parse(readFileSync(path, 'utf8')) as CopyFile;
        return c.key === key && typeof c.configs === 'object' && c.configs !== null ? c.configs : undefined;
      } catch { return undefined; }                                              // none yet, or unreadable: check again
    },
  };
}

/** Writes the copy atomically (rename); a cache that cannot be written only costs the next start a check. */
function keepCopy(path: string, key: string, configs: CheckedConfigs, log?: (m: string) => void): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, configs } satisfies CopyFile), { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) { log?.(`config check: could not keep the checked copy ${path}: ${(e as Error).message}`); }
}

/**
 * The checked configs for `files`: the checked copy when one matches, else checked in a worker
 * thread started from the program's entry (program-entry.ts) and kept, or inline when there is no
 * entry (the CLI inside a test). Throws ConfigError for a bad file, an Error naming the worker when
 * it failed. `log` hears where the configs came from.
 */
export async function checkConfigsOffThread(files: ConfigFiles, log?: (m: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<CheckedConfigs> {
  const entry = programEntry();
  if (!entry) { log?.('config check: on this thread'); return checkConfigs(files); }
  const build = buildHash(entry);
  const dir = build ? cacheDir(env) : undefined;
  const copy = build && dir ? checkedCopy(files, build, dir) : undefined;
  const kept = copy?.read();
  if (kept) { log?.(`config check: checked copy ${copy!.path}`); return kept; }
  const configs = await inWorker(entry, files);
  log?.('config check: in a worker thread');
  if (copy) keepCopy(copy.path, copy.key, configs, log);
  return configs;
}

function inWorker(entry: URL, files: ConfigFiles): Promise<CheckedConfigs> {
  return new Promise<CheckedConfigs>((resolve, reject) => {
    const task: WorkerTask<ConfigFiles> = { deskphoneTask: CONFIG_TASK, input: files };
    const worker = new Worker(entry, { workerData: task, argv: [], stdout: false, stderr: false });
    let settled = false;
    const settle = (f: () => void): void => { if (!settled) { settled = true; f(); } };
    worker.once('message', (r: Reply) => settle(() => {
      if (r.ok) resolve(r.configs);
      else reject(r.problems ? new ConfigError(r.problems) : new Error(r.message));
    }));
    worker.once('error', (e) => settle(() => reject(new Error(`checking ${[files.phone, files.board].filter(Boolean).join(' and ')} in a worker thread failed: ${e.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`the config-check worker thread exited (code ${code}) before it answered`))));
  });
}
