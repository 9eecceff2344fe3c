/** Voicemail files and their index (callmanager/store/voicemail-index.ts): the start-up reconciliation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmStore } from '../../../callmanager/store/database.js';
import { loadVoicemail, voicemailFileName } from '../../../callmanager/store/voicemail-index.js';
import { VoicemailStore } from '../../../callmanager/features/voicemail-store.js';
import { wavFile } from '../../../firmware/media/wav.js';

const tone = (n: number) => Int16Array.from({ length: n }, (_, i) => (i * 37) % 3000);

test('messages, their heard state and deletions survive a reopen; files and rows that disagree are repaired', async () => {
  const root = mkdtempSync(join(tmpdir(), 'deskphone-vm-'));
  const dir = join(root, 'voicemail');
  const warn: string[] = [];
  const log = { info: () => {}, warn: (m: string) => warn.push(m) };
  try {
    const db = await CmStore.open(join(root, 'cm.sqlite'), log);
    const vm = new VoicemailStore(dir, log, db);
    const m1 = vm.add('100', '101', tone(800), 8000, new Date('2026-01-01T10:00:00Z'));
    const m2 = vm.add('100', '102', tone(1600), 8000, new Date('2026-01-01T10:01:00Z'));
    const m3 = vm.add('101', '100', tone(400), 8000, new Date('2026-01-01T10:02:00Z'));
    vm.markHeard('100', m1);
    vm.delete('101', m3);
    await vm.idle();
    assert.ok(!existsSync(m3.file!));
    // Damage: a file without a row (written, then the crash), a row without a file, garbage, a cut-off WAV, a stale temp.
    writeFileSync(join(dir, voicemailFileName('100', new Date('2026-01-01T11:00:00Z'), 'ab12')), wavFile(tone(240), 8000));
    rmSync(m2.file!);
    writeFileSync(join(dir, voicemailFileName('100', new Date('2026-01-01T12:00:00Z'), 'cd34')), 'garbage');
    const cut = wavFile(tone(1000), 8000).subarray(0, 44 + 300);
    writeFileSync(join(dir, voicemailFileName('101', new Date('2026-01-01T13:00:00Z'), 'ef56')), cut);
    writeFileSync(join(dir, '.100-x.wav.1.2.tmp'), 'partial');
    const loaded = await loadVoicemail(dir, db, log);
    assert.deepEqual(loaded.map((m) => [m.row.mailbox, m.row.caller, m.samples.length, m.row.heard]),
      [['100', '101', 800, true], ['100', '', 240, false], ['101', '', 150, false]]);
    assert.ok(warn.some((w) => /removed 1 unfinished temporary file/.test(w)));
    assert.ok(warn.some((w) => new RegExp(`has no file .*${m2.file!.split('/').pop()!.replace(/\./g, '\\.')}; dropped`).test(w)), warn.join('\n'));
    assert.ok(warn.some((w) => /cd34\.wav is damaged \(not a RIFF\/WAVE file\); renamed to .*\.bad/.test(w)), warn.join("\n"));
    assert.ok(warn.some((w) => /ef56\.wav is cut short; keeping the 150 samples/.test(w)));
    assert.ok(warn.some((w) => /ab12\.wav had no index entry; adopted as a new message for mailbox 100/.test(w)));
    assert.ok(readdirSync(dir).some((n) => n.endsWith('.wav.bad')));
    // A second start finds nothing to repair: the index and the files agree now.
    warn.length = 0;
    const again = await loadVoicemail(dir, db, log);
    assert.equal(again.length, 3);
    assert.deepEqual(warn, []);
    const vm2 = new VoicemailStore(dir, log, db, again);
    assert.equal(vm2.newCount('100'), 1);
    assert.equal(vm2.messages('100')[0]!.from, '101');
    db.close();
  } finally { rmSync(root, { recursive: true, force: true }); }
});

test('a missing voicemail directory is an empty mailbox set', async () => {
  const root = mkdtempSync(join(tmpdir(), 'deskphone-vm-'));
  try {
    const db = await CmStore.open(':memory:', { info: () => {}, warn: () => {} });
    assert.deepEqual(await loadVoicemail(join(root, 'none'), db, { info: () => {}, warn: () => {} }), []);
    mkdirSync(join(root, 'none'));
    db.close();
  } finally { rmSync(root, { recursive: true, force: true }); }
});
