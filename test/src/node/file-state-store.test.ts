/** The phone's state directory (src/node/file-state-store.ts, lib/fs/durable-file.ts) on a real filesystem. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStateStore, openStateDir } from '../../../src/node/file-state-store.js';
import { PhoneStateKeeper } from '../../../firmware/phone/phone-state.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'deskphone-state-'));

test('write replaces the record and keeps the previous one as .prev; no temporary file stays', async () => {
  const dir = fresh();
  try {
    const s = await FileStateStore.open(join(dir, 'sub'));
    await s.write('phone', 'one');
    await s.write('phone', 'two');
    assert.equal(readFileSync(join(dir, 'sub', 'phone.json'), 'utf8'), 'two');
    assert.equal(readFileSync(join(dir, 'sub', 'phone.json.prev'), 'utf8'), 'one');
    assert.deepEqual(readdirSync(join(dir, 'sub')).sort(), ['phone.json', 'phone.json.prev']);
    assert.deepEqual((await s.read('phone')).map((c) => c.text), ['two', 'one']);
    await assert.rejects(s.write('../x', 'y'), /state record name/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('open removes temporary files of an interrupted write; a torn current file falls back to .prev with one warning', async () => {
  const dir = fresh();
  try {
    const s = await FileStateStore.open(dir);
    const snap = { history: [], lastDialled: '101', missedUnseen: 0, lastServer: '' };
    const k = new PhoneStateKeeper(s, new VirtualClock(), { warn: () => {} }, () => snap, 0);
    k.changed(); await k.flush();
    snap.lastDialled = '102'; k.changed(); await k.flush();
    writeFileSync(join(dir, '.phone.json.123.1.tmp'), '{"version":1,"hist');
    writeFileSync(join(dir, 'phone.json'), readFileSync(join(dir, 'phone.json'), 'utf8').slice(0, 20)); // truncated
    const warns: string[] = [];
    const s2 = await FileStateStore.open(dir);
    assert.ok(!existsSync(join(dir, '.phone.json.123.1.tmp')));
    const got = await new PhoneStateKeeper(s2, new VirtualClock(), { warn: (m) => warns.push(m) }, () => snap).load();
    assert.equal(got?.lastDialled, '101');
    assert.equal(warns.length, 2, warns.join('\n'));
    assert.match(warns[0]!, new RegExp(`${join(dir, 'phone.json').replace(/[/.]/g, '\\$&')} is damaged \\(not JSON`));
    assert.match(warns[1]!, /using the previous copy .*phone\.json\.prev/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('an unusable state directory is reported and the phone runs without saved state', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, async () => {
  const dir = fresh();
  try {
    chmodSync(dir, 0o500);
    const warns: string[] = [];
    assert.equal(await openStateDir(join(dir, 'x'), (m) => warns.push(m)), undefined);
    assert.match(warns[0]!, /state directory .*x: .*running without saved state/);
  } finally { chmodSync(dir, 0o700); rmSync(dir, { recursive: true, force: true }); }
});

test('a state directory path that is a file is reported and the phone runs without saved state', async () => {
  const dir = fresh();
  try {
    writeFileSync(join(dir, 'file'), '');
    const warns: string[] = [];
    assert.equal(await openStateDir(join(dir, 'file'), (m) => warns.push(m)), undefined);
    assert.match(warns[0]!, /state directory .*file: .*hint: create it writable/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
