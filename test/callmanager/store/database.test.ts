/** The call manager's SQLite storage (callmanager/store/database.ts): pragmas, migrations, recovery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmStore, MEMORY } from '../../../callmanager/store/database.js';
import { SCHEMA_VERSION } from '../../../callmanager/store/migrations.js';
import { openSqlite } from '../../../hal/bindings/sqlite.js';

const logs = () => { const warn: string[] = []; return { warn, log: { info: () => {}, warn: (m: string) => warn.push(m) } }; };
const fresh = () => mkdtempSync(join(tmpdir(), 'deskphone-db-'));

test('a new database is in WAL mode with synchronous=FULL at the current schema version; rows survive a reopen', async () => {
  const dir = fresh();
  try {
    const path = join(dir, 'cm', 'cm.sqlite');
    const a = await CmStore.open(path, logs().log);
    a.setForward('100', '102'); a.setForward('100', '101'); a.setForward('102', '100'); a.clearForward('102');
    a.saveDevice('SEP000000000100', true, '101');
    const id = a.addCdr({ callId: 7, caller: '101', callee: '100', started: 1000, answered: 2000, ended: 5000, durationMs: 3000, outcome: 'answered' });
    a.close();
    const raw = await openSqlite(path);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    raw.close();
    const b = await CmStore.open(path, logs().log);
    assert.deepEqual(b.forwards(), [{ line: '100', target: '101' }]);
    assert.deepEqual(b.devices(), [{ name: 'SEP000000000100', dnd: true, lastDialed: '101' }]);
    assert.deepEqual(b.cdrs(), [{ id, callId: 7, caller: '101', callee: '100', started: 1000, answered: 2000, ended: 5000, durationMs: 3000, outcome: 'answered' }]);
    b.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('synchronous is FULL on every connection the store opens', async () => {
  const s = await CmStore.open(MEMORY, logs().log);
  // FULL = 2 (sqlite.org/pragma.html#pragma_synchronous); read through the store's own connection.
  assert.equal((s as unknown as { db: { pragma(q: string, o: object): unknown } }).db.pragma('synchronous', { simple: true }), 2);
  s.close();
});

for (const [what, damage] of [
  ['a garbage file', (p: string) => writeFileSync(p, 'this is not a database, just text\n'.repeat(200))],
  ['an empty-headed truncated file', (p: string) => truncateSync(p, 100)],
] as const) {
  test(`${what} is reported once, moved aside, and an empty database takes its place`, async () => {
    const dir = fresh();
    try {
      const path = join(dir, 'cm.sqlite');
      const a = await CmStore.open(path, logs().log);
      a.setForward('100', '101');
      a.close();
      assert.ok(statSync(path).size > 100);
      damage(path);
      const { warn, log } = logs();
      const b = await CmStore.open(path, log);
      assert.equal(warn.length, 1, warn.join('\n'));
      assert.match(warn[0]!, new RegExp(`storage: ${path.replace(/[/.]/g, '\\$&')} is damaged \\(.+\\); moved to .*corrupt-.*, starting with an empty database`));
      assert.deepEqual(b.forwards(), []);
      b.setForward('100', '102');
      b.close();
      assert.ok(readdirSync(dir).some((n) => n.startsWith('cm.sqlite.corrupt-')));
      const c = await CmStore.open(path, logs().log);
      assert.deepEqual(c.forwards(), [{ line: '100', target: '102' }]);
      c.close();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
}

test('a database of a newer schema is left untouched and the CM runs on memory', async () => {
  const dir = fresh();
  try {
    const path = join(dir, 'cm.sqlite');
    const raw = await openSqlite(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const { warn, log } = logs();
    const s = await CmStore.open(path, log);
    assert.equal(s.path, MEMORY);
    assert.match(warn[0]!, new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this call manager's ${SCHEMA_VERSION}; left untouched, running with memory storage`));
    s.close();
    const again = await openSqlite(path);
    assert.equal(again.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
    again.close();
    assert.ok(existsSync(path));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
