/**
 * The phone's StateStore (hal/api/storage.ts) on a directory, /var/lib/deskphone on a Pi
 * (docs/state.md): one file per record, `<dir>/<key>.json`, replaced crash-safely (temporary
 * file, fsync, rename, fsync of the directory: lib/fs/durable-file.ts) with the previous content
 * kept as `<key>.json.prev`. Temporary files left by a crash are removed when the store opens.
 * `open` fails, naming the directory, when it cannot be created or written.
 */
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { StateStore, StoredCopy } from '../../hal/api/storage.js';
import { PREVIOUS_SUFFIX, removeStaleTemps, writeFileDurably } from '../../lib/fs/durable-file.js';
import { checkAccess, makeDirs, readText } from '../../lib/fs/fs-async.js';

export class FileStateStore implements StateStore {
  private constructor(readonly location: string) {}

  /** Opens (and creates) `dir`, clearing temporary files of an interrupted write. */
  static async open(dir: string): Promise<FileStateStore> {
    try {
      await makeDirs(dir);
      await checkAccess(dir, constants.W_OK);
      await removeStaleTemps(dir);
    } catch (e) {
      throw new Error(`state directory ${dir}: ${(e as Error).message} (hint: create it writable for this user, or pass --state-dir DIR)`);
    }
    return new FileStateStore(dir);
  }

  private file(key: string): string {
    if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`state record name "${key}": expected lower-case letters, digits and -`);
    return join(this.location, `${key}.json`);
  }

  async read(key: string): Promise<StoredCopy[]> {
    const out: StoredCopy[] = [];
    for (const where of [this.file(key), this.file(key) + PREVIOUS_SUFFIX]) {
      try { out.push({ where, text: await readText(where) }); } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code !== 'ENOENT') out.push({ where, error: err.message });
      }
    }
    return out;
  }

  async write(key: string, text: string): Promise<void> {
    return writeFileDurably(this.file(key), text, { keepPrevious: true });
  }
}


/**
 * The composition roots' way in: the store on `dir`, or none (with a warning naming the problem)
 * when the directory is unusable, so the phone still boots and registers, only forgetting.
 */
export async function openStateDir(dir: string | undefined, warn: (msg: string) => void): Promise<StateStore | undefined> {
  if (dir === undefined) return undefined;
  try { return await FileStateStore.open(dir); } catch (e) {
    warn(`${(e as Error).message}; running without saved state (call history and redial are forgotten on restart)`);
    return undefined;
  }
}
