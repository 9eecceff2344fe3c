/**
 * The call manager's database schema, as numbered migrations (docs/state.md §2). SQLite's
 * `PRAGMA user_version` holds the number of migrations applied; opening a database applies the
 * missing ones in one transaction each. A migration, once shipped, is never edited: a change to
 * the schema is a new entry at the end.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: forwards, per-device state, voicemail index, call detail records.
  `CREATE TABLE forward (
     line TEXT PRIMARY KEY,
     target TEXT NOT NULL
   );
   CREATE TABLE device (
     name TEXT PRIMARY KEY,
     dnd INTEGER NOT NULL DEFAULT 0,
     last_dialed TEXT
   );
   CREATE TABLE voicemail (
     id INTEGER PRIMARY KEY,
     mailbox TEXT NOT NULL,
     caller TEXT NOT NULL,
     at INTEGER NOT NULL,
     file TEXT NOT NULL UNIQUE,
     samples INTEGER NOT NULL,
     sample_rate INTEGER NOT NULL,
     heard INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX voicemail_by_mailbox ON voicemail (mailbox, at);
   CREATE TABLE cdr (
     id INTEGER PRIMARY KEY,
     call_id INTEGER NOT NULL,
     caller TEXT NOT NULL,
     callee TEXT NOT NULL,
     started INTEGER NOT NULL,
     answered INTEGER,
     ended INTEGER NOT NULL,
     duration_ms INTEGER NOT NULL,
     outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'no-answer', 'busy'))
   );
   CREATE INDEX cdr_by_start ON cdr (started);`,
  // 2: forward busy / forward no answer per line (docs/features.md §2 "Forward busy / no answer").
  `CREATE TABLE forward_cond (
     line TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('busy', 'noAnswer')),
     target TEXT NOT NULL,
     PRIMARY KEY (line, kind)
   );`,
];

/** The schema version this call manager writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;
