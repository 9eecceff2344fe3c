/**
 * Voicemail audio on disk and its index in the database (docs/state.md §2 "Voicemail"). Each
 * message is a WAV file in the voicemail directory, written crash-safely (lib/fs/durable-file.ts)
 * before its row is committed, and removed before its row is; so after a crash at any moment a
 * file may lack its row (adopted on start as a new message) or a row its file (dropped), and the
 * start-up pass below puts the two back in agreement, warning about each repair.
 */
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWav, wavFile, WavFormatError } from '../../firmware/media/wav.js';
import { removeStaleTemps, writeFileDurably } from '../../lib/fs/durable-file.js';
import type { Logger } from '../station.js';
import type { CmStore, VoicemailRow } from './database.js';

export interface StoredMessage { row: VoicemailRow; samples: Int16Array }

/** `<mailbox>-<ISO time with - for : and .>-<tag>.wav`: the name alone says whose message it is and when. */
const NAME = /^([0-9*#]{1,23})-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)-([0-9a-z]+)\.wav$/;

export function voicemailFileName(mailbox: string, at: Date, tag: string): string {
  return `${mailbox}-${at.toISOString().replace(/[:.]/g, '-')}-${tag}.wav`;
}

function timeOfName(iso: string): number {
  // 2026-01-02T03-04-05-678Z → 2026-01-02T03:04:05.678Z
  return Date.parse(iso.replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));
}

/**
 * Reads every message of `dir` and reconciles it with the rows of `db`: rows without a readable
 * file are dropped, files without a row are adopted as new messages, damaged files are renamed
 * `<name>.bad` (kept for inspection, never read again). Returns the messages, oldest first.
 */
export async function loadVoicemail(dir: string, db: CmStore, log: Logger): Promise<StoredMessage[]> {
  const stale = await removeStaleTemps(dir);
  if (stale.length) log.warn(`voicemail: removed ${stale.length} unfinished temporary file(s) in ${dir} (writes a crash interrupted before their rename)`);
  let names: string[] = [];
  try { names = (await readdir(dir)).filter((n) => n.endsWith('.wav')); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`voicemail: cannot list ${dir}: ${(e as Error).message}`);
  }
  const files = new Set(names);
  const out: StoredMessage[] = [];
  const seen = new Set<string>();
  const read = async (name: string): Promise<{ samples: Int16Array; sampleRate: number } | undefined> => {
    const path = join(dir, name);
    let parsed;
    try { parsed = parseWav(await readFile(path), path); } catch (e) { parsed = e instanceof WavFormatError ? e.reason : (e as Error).message; }
    if (typeof parsed === 'string') {
      log.warn(`voicemail: ${path} is damaged (${parsed}); renamed to ${name}.bad and left out`);
      await rename(path, `${path}.bad`).catch(() => {});
      return undefined;
    }
    if (parsed.truncated) {
      // Rewritten whole (crash-safely) so the header matches: the next start reads it without a repair.
      log.warn(`voicemail: ${path} is cut short; keeping the ${parsed.samples.length} samples present`);
      await writeFileDurably(path, wavFile(parsed.samples, parsed.sampleRate));
    }
    return parsed;
  };
  for (const row of db.voicemails()) {
    seen.add(row.file);
    const audio = files.has(row.file) ? await read(row.file) : undefined;
    if (!audio) {
      if (!files.has(row.file)) log.warn(`voicemail: message ${row.id} of mailbox ${row.mailbox} has no file ${join(dir, row.file)}; dropped from the index`);
      db.deleteVoicemail(row.id);
      continue;
    }
    out.push({ row: { ...row, samples: audio.samples.length, sampleRate: audio.sampleRate }, samples: audio.samples });
  }
  for (const name of names.sort()) {
    if (seen.has(name)) continue;
    const m = NAME.exec(name);
    if (!m) { log.warn(`voicemail: ${join(dir, name)} is not named <mailbox>-<time>-<tag>.wav; left alone`); continue; }
    const audio = await read(name);
    if (!audio) continue;
    const row: Omit<VoicemailRow, 'id'> = { mailbox: m[1]!, caller: '', at: timeOfName(m[2]!), file: name, samples: audio.samples.length, sampleRate: audio.sampleRate, heard: false };
    const id = db.addVoicemail(row);
    log.warn(`voicemail: ${join(dir, name)} had no index entry; adopted as a new message for mailbox ${row.mailbox}`);
    out.push({ row: { ...row, id }, samples: audio.samples });
  }
  return out.sort((a, b) => a.row.at - b.row.at || a.row.id - b.row.id);
}

/** Removes a message's file (first, see the module comment), then its row. */
export async function deleteVoicemailFile(dir: string, file: string): Promise<void> {
  await unlink(join(dir, file)).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
}
