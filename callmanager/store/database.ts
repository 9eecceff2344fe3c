/**
 * The call manager's durable state in SQLite (docs/state.md §2): forwards, DND and the redial
 * number per device, the voicemail index (new/heard) and call detail records.
 *
 * - WAL journal: a commit appends to the -wal file, readers never see a half-written
 *   transaction, and a crash at any moment leaves the last committed state (sqlite.org/wal.html).
 * - synchronous=FULL: each commit is fsync'ed before it returns, so a committed forward, heard
 *   flag or CDR also survives a power loss (NORMAL may lose the last commits then). The CM commits
 *   a handful of times per call, never per media packet, so the extra fsync costs nothing visible.
 * - The schema is versioned with user_version (migrations.ts).
 * - A damaged file (not a database, malformed, failing quick_check) is reported once, moved aside
 *   as `<file>.corrupt-<time>` with its -wal/-shm, and an empty database takes its place: the CM
 *   starts. A database of a newer schema is left untouched and the CM runs on memory.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite, type SqliteDatabase } from '../../hal/bindings/sqlite.js';
import type { Logger } from '../station.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export const MEMORY = ':memory:';

export interface ForwardRow { line: string; target: string }
export type CondForwardKind = 'busy' | 'noAnswer';
export interface CondForwardRow { line: string; kind: CondForwardKind; target: string }
export interface DeviceRow { name: string; dnd: boolean; lastDialed: string | undefined }
export interface VoicemailRow { id: number; mailbox: string; caller: string; at: number; file: string; samples: number; sampleRate: number; heard: boolean }
export type CdrOutcome = 'answered' | 'no-answer' | 'busy';
export interface CdrRow {
  id?: number; callId: number; caller: string; callee: string;
  /** Wall-clock milliseconds. */
  started: number; answered: number | undefined; ended: number;
  /** Talk time (answer to end), 0 when not answered. */
  durationMs: number; outcome: CdrOutcome;
}

class SchemaTooNew extends Error {}

export class CmStore {
  private constructor(readonly path: string, private readonly db: SqliteDatabase) {}

  /** Opens `path` (':memory:' = nothing kept), migrating it; recovers from a damaged file (see above). */
  static async open(path: string, log: Logger): Promise<CmStore> {
    if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
    try {
      return new CmStore(path, prepare(await openSqlite(path)));
    } catch (e) {
      if (e instanceof SchemaTooNew) {
        log.warn(`storage: ${path}: ${e.message}; left untouched, running with memory storage (nothing is kept)`);
        return new CmStore(MEMORY, prepare(await openSqlite(MEMORY)));
      }
      if (path === MEMORY || !isCorruption(e)) throw new Error(`storage: cannot open ${path}: ${(e as Error).message}`);
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      log.warn(`storage: ${path} is damaged (${(e as Error).message}); moved to ${aside}, starting with an empty database`);
      for (const ext of ['', '-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, aside + ext);
      return new CmStore(path, prepare(await openSqlite(path)));
    }
  }

  close(): void { if (this.db.open) this.db.close(); }

  // ---- forwards -------------------------------------------------------------------------------

  forwards(): ForwardRow[] { return this.db.prepare('SELECT line, target FROM forward ORDER BY line').all() as ForwardRow[]; }
  setForward(line: string, target: string): void {
    this.db.prepare('INSERT INTO forward (line, target) VALUES (?, ?) ON CONFLICT (line) DO UPDATE SET target = excluded.target').run(line, target);
  }
  clearForward(line: string): void { this.db.prepare('DELETE FROM forward WHERE line = ?').run(line); }
  /** Forward busy / no answer (migration 2). */
  condForwards(): CondForwardRow[] { return this.db.prepare('SELECT line, kind, target FROM forward_cond ORDER BY line, kind').all() as CondForwardRow[]; }
  setCondForward(line: string, kind: CondForwardKind, target: string): void {
    this.db.prepare('INSERT INTO forward_cond (line, kind, target) VALUES (?, ?, ?) ON CONFLICT (line, kind) DO UPDATE SET target = excluded.target').run(line, kind, target);
  }
  clearCondForward(line: string, kind: CondForwardKind): void { this.db.prepare('DELETE FROM forward_cond WHERE line = ? AND kind = ?').run(line, kind); }

  // ---- devices --------------------------------------------------------------------------------

  devices(): DeviceRow[] {
    return (this.db.prepare('SELECT name, dnd, last_dialed FROM device').all() as { name: string; dnd: number; last_dialed: string | null }[])
      .map((r) => ({ name: r.name, dnd: r.dnd !== 0, lastDialed: r.last_dialed ?? undefined }));
  }
  saveDevice(name: string, dnd: boolean, lastDialed: string | undefined): void {
    this.db.prepare('INSERT INTO device (name, dnd, last_dialed) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET dnd = excluded.dnd, last_dialed = excluded.last_dialed')
      .run(name, dnd ? 1 : 0, lastDialed ?? null);
  }

  // ---- voicemail index ------------------------------------------------------------------------

  voicemails(): VoicemailRow[] {
    return (this.db.prepare('SELECT id, mailbox, caller, at, file, samples, sample_rate, heard FROM voicemail ORDER BY at, id').all() as
      { id: number; mailbox: string; caller: string; at: number; file: string; samples: number; sample_rate: number; heard: number }[])
      .map((r) => ({ id: r.id, mailbox: r.mailbox, caller: r.caller, at: r.at, file: r.file, samples: r.samples, sampleRate: r.sample_rate, heard: r.heard !== 0 }));
  }
  addVoicemail(r: Omit<VoicemailRow, 'id'>): number {
    const res = this.db.prepare('INSERT INTO voicemail (mailbox, caller, at, file, samples, sample_rate, heard) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.mailbox, r.caller, r.at, r.file, r.samples, r.sampleRate, r.heard ? 1 : 0);
    return Number(res.lastInsertRowid);
  }
  markHeard(id: number): void { this.db.prepare('UPDATE voicemail SET heard = 1 WHERE id = ?').run(id); }
  deleteVoicemail(id: number): void { this.db.prepare('DELETE FROM voicemail WHERE id = ?').run(id); }

  // ---- call detail records --------------------------------------------------------------------

  addCdr(c: CdrRow): number {
    const res = this.db.prepare('INSERT INTO cdr (call_id, caller, callee, started, answered, ended, duration_ms, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.callId, c.caller, c.callee, c.started, c.answered ?? null, c.ended, c.durationMs, c.outcome);
    return Number(res.lastInsertRowid);
  }
  /** The newest `limit` records, oldest first. */
  cdrs(limit = 1000): CdrRow[] {
    return (this.db.prepare('SELECT * FROM (SELECT id, call_id, caller, callee, started, answered, ended, duration_ms, outcome FROM cdr ORDER BY id DESC LIMIT ?) ORDER BY id').all(limit) as
      { id: number; call_id: number; caller: string; callee: string; started: number; answered: number | null; ended: number; duration_ms: number; outcome: CdrOutcome }[])
      .map((r) => ({ id: r.id, callId: r.call_id, caller: r.caller, callee: r.callee, started: r.started, answered: r.answered ?? undefined,
        ended: r.ended, durationMs: r.duration_ms, outcome: r.outcome }));
  }
}

/** Pragmas, integrity check and migrations; closes `db` and throws when any fails. */
function prepare(db: SqliteDatabase): SqliteDatabase {
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new SchemaTooNew(`schema version ${version} is newer than this call manager's ${SCHEMA_VERSION}`);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** SQLITE_NOTADB (26) / SQLITE_CORRUPT (11) and their extended codes (sqlite.org/rescode.html). */
function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code);
}
