/**
 * Crash-safe replacement of a small file (docs/state.md §2): the new content goes to a temporary
 * file in the same directory, which is fsync'ed, then renamed over the target (rename(2) replaces
 * atomically within one filesystem), and the directory is fsync'ed so the rename itself is on the
 * disk. A reader therefore sees the old content or the new one, never a torn mix, after a crash
 * or a power loss at any moment.
 *
 * With `keepPrevious` the old content is first renamed to `<file>.prev` (metadata only, no data
 * written): a later reader that finds the current copy damaged by something outside this
 * sequence (an editor, a failing card) still has the last good one.
 */
import { closeFd, listDir, makeDirs, openFd, renamePath, syncFd, unlinkPath, writeFd } from './fs-async.js';
import { basename, dirname, join } from 'node:path';

export interface DurableWriteOptions {
  /** Rename the current content to `<file>.prev` before the new one takes its place. */
  keepPrevious?: boolean;
  /** File mode of a new file (default 0o644). */
  mode?: number;
}

/** Suffix of temporary files; a crash can leave one behind, `removeStaleTemps` clears them. */
export const TEMP_SUFFIX = '.tmp';
export const PREVIOUS_SUFFIX = '.prev';

let seq = 0;

/** Writes `data` to `file` crash-safely (see the module comment); creates the directory if needed. */
export async function writeFileDurably(file: string, data: Uint8Array | string, opts: DurableWriteOptions = {}): Promise<void> {
  const dir = dirname(file);
  await makeDirs(dir);
  // pid + a counter: two writers (or two writes in flight) never share a temporary file.
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${++seq}${TEMP_SUFFIX}`);
  const fd = await openFd(tmp, 'w', opts.mode ?? 0o644);
  try {
    await writeFd(fd, data);
    await syncFd(fd);
  } catch (e) {
    await closeFd(fd).catch(() => {});
    await unlinkPath(tmp).catch(() => {});
    throw new Error(`cannot write ${file} (temporary ${tmp}): ${(e as Error).message}`);
  }
  await closeFd(fd);
  try {
    if (opts.keepPrevious) {
      await renamePath(file, file + PREVIOUS_SUFFIX).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
    }
    await renamePath(tmp, file);
  } catch (e) {
    await unlinkPath(tmp).catch(() => {});
    throw new Error(`cannot replace ${file}: ${(e as Error).message}`);
  }
  await syncDirectory(dir);
}

/** fsync of a directory: makes renames and unlinks inside it durable (POSIX fsync(2) on a dir fd). */
export async function syncDirectory(dir: string): Promise<void> {
  const fd = await openFd(dir, 'r');
  try { await syncFd(fd); } finally { await closeFd(fd); }
}

/** Removes temporary files a crash left in `dir` (names ending in TEMP_SUFFIX); returns their names. */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  let names: string[];
  try { names = await listDir(dir); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const stale = names.filter((n) => n.startsWith('.') && n.endsWith(TEMP_SUFFIX));
  for (const n of stale) await unlinkPath(join(dir, n)).catch(() => {});
  return stale;
}
