/**
 * Opens the call manager's storage for a config (docs/state.md §2): the database at
 * `storage.path` (default ':memory:', nothing kept: tests and the simulator) and the voicemail
 * directory, `voicemail.dir`, else `voicemail/` beside a database file. The voicemail index is
 * reconciled with the directory before the call core starts, so message lamps are right at once.
 */
import { dirname, join } from 'node:path';
import type { CallManagerConfig } from '../config.js';
import type { Logger } from '../station.js';
import { CmStore, MEMORY } from './database.js';
import { loadVoicemail, type StoredMessage } from './voicemail-index.js';

export interface CmStorage {
  db: CmStore;
  /** Where voicemail WAV files go; undefined = audio kept in memory only. */
  voicemailDir: string | undefined;
  /** Messages found at start, oldest first. */
  messages: StoredMessage[];
}

export function voicemailDirOf(config: CallManagerConfig): string | undefined {
  const path = config.storage.path;
  return config.voicemail.dir ?? (path === MEMORY ? undefined : join(dirname(path), 'voicemail'));
}

export async function openCmStorage(config: CallManagerConfig, log: Logger): Promise<CmStorage> {
  const db = await CmStore.open(config.storage.path, log);
  const voicemailDir = voicemailDirOf(config);
  try {
    const messages = voicemailDir ? await loadVoicemail(voicemailDir, db, log) : [];
    if (config.storage.path !== MEMORY) {
      log.info(`storage: ${config.storage.path} (${db.forwards().length} forwards, ${messages.length} voicemail messages${voicemailDir ? ` in ${voicemailDir}` : ''})`);
    }
    return { db, voicemailDir, messages };
  } catch (e) {
    db.close();
    throw e;
  }
}
