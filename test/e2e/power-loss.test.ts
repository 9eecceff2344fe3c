/**
 * Power-loss test (docs/state.md §4): a child process (test/support/power-loss-child.ts) writes
 * phone state, CDRs, a forward and voicemail messages in a loop; it is killed with SIGKILL at a
 * random moment, and everything is read back through the same loaders a restarted phone and CM
 * use. After every kill: no damaged file (phone record, database, WAV) and no lost committed
 * record (one the child had reported on stdout, after its write returned).
 *
 * 200 kills in `npm test`; POWER_LOSS_KILLS=1000 node dist/test/e2e/power-loss.test.js runs more
 * and prints the figures. The random moments come from a seeded generator (POWER_LOSS_SEED).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { PhoneStateKeeper } from '../../firmware/phone/phone-state.js';
import { FileStateStore } from '../../src/node/file-state-store.js';
import { CmStore } from '../../callmanager/store/database.js';
import { loadVoicemail } from '../../callmanager/store/voicemail-index.js';
import { messageAudio } from '../support/power-loss-child.js';
import { prng } from '../support/prng.js';

const CHILD = fileURLToPath(new URL('../support/power-loss-child.js', import.meta.url));
const KILLS = Number(process.env.POWER_LOSS_KILLS ?? 200);
/** The child is killed this long (uniform, ms) after it says it is ready: past its first writes, inside the loop. */
const MAX_DELAY_MS = 250;


interface Committed { hist: number; cdr: number; fwd: number; vm: Map<string, number>; heard: Set<string>; deleted: Set<string> }

/** Runs the child until killed `delayMs` after ready; returns what it reported as committed. */
function runAndKill(dir: string, base: number, delayMs: number, c: Committed): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, '--child', dir, String(base)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = ''; let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [kind, a, b] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        if (kind === 'ready') setTimeout(() => p.kill('SIGKILL'), delayMs);
        else if (kind === 'hist') c.hist = Number(a);
        else if (kind === 'cdr') c.cdr = Number(a);
        else if (kind === 'fwd') c.fwd = Number(a);
        else if (kind === 'vm') c.vm.set(b!, Number(a));
        else if (kind === 'heard') c.heard.add(a!);
        else if (kind === 'deleting') c.vm.delete(a!); // a deletion under way: present or gone are both right
        else if (kind === 'del') c.deleted.add(a!);
      }
    });
    // 'close', not 'exit': stdout may still hold the last lines when 'exit' fires (Node child_process docs).
    p.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`power-loss child exited ${code}: ${err}`))));
  });
}

interface Check { corrupt: string[]; lost: string[]; temps: number }

/** Reads everything back as a restarted phone and CM would; empties the mailbox for the next round. */
async function readBack(dir: string, c: Committed): Promise<Check> {
  const corrupt: string[] = []; const lost: string[] = [];
  let temps = 0;
  const warn = (m: string) => {
    if (/unfinished temporary/.test(m)) temps++; // an interrupted write's temporary file: expected, never read
    else if (/damaged|cut short|not JSON|quick_check/.test(m)) corrupt.push(m);
  };
  const keeper = new PhoneStateKeeper(await FileStateStore.open(join(dir, 'phone')), new VirtualClock(), { warn },
    () => { throw new Error('read only'); });
  const phone = await keeper.load();
  const top = phone ? Number(phone.history[0]?.number) : -1;
  if (c.hist >= 0 && !(top >= c.hist)) lost.push(`phone history: newest ${top}, committed ${c.hist}`);
  if (phone && Number(phone.lastDialled) !== top) corrupt.push(`phone record mixes writes: lastDialled ${phone.lastDialled}, newest history ${top}`);
  const db = await CmStore.open(join(dir, 'cm.sqlite'), { info: () => {}, warn });
  try {
    const ids = new Set(db.cdrs(1_000_000).map((r) => r.id));
    for (let id = 1; id <= c.cdr; id++) if (!ids.has(id)) { lost.push(`CDR ${id}`); break; }
    const fwd = Number(db.forwards().find((f) => f.line === '101')?.target ?? -1);
    if (c.fwd >= 0 && fwd < c.fwd) lost.push(`forward: ${fwd}, committed ${c.fwd}`);
    const msgs = await loadVoicemail(join(dir, 'voicemail'), db, { info: () => {}, warn });
    const byFile = new Map(msgs.map((m) => [join(dir, 'voicemail', m.row.file), m]));
    for (const [file, n] of c.vm) {
      const m = byFile.get(file);
      if (!m) { lost.push(`voicemail ${file}`); continue; }
      const want = messageAudio(n);
      if (m.samples.length !== want.length || m.samples.some((v, i) => v !== want[i])) corrupt.push(`voicemail ${file}: audio differs`);
      if (c.heard.has(file) && !m.row.heard) lost.push(`heard flag of ${file}`);
    }
    for (const file of c.deleted) if (byFile.has(file)) lost.push(`deletion of ${file}`);
    for (const m of msgs) { unlinkSync(join(dir, 'voicemail', m.row.file)); db.deleteVoicemail(m.row.id); }
  } finally { db.close(); }
  c.vm.clear(); c.heard.clear(); c.deleted.clear();
  return { corrupt, lost, temps };
}

test(`power loss: ${KILLS} kills -9 while writing phone state, CDRs, forwards and voicemail: 0 corrupt, 0 lost`, { timeout: 60_000 + KILLS * 5_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-power-loss-'));
  const seed = Number(process.env.POWER_LOSS_SEED ?? 13);
  const rand = prng(seed);
  const c: Committed = { hist: -1, cdr: 0, fwd: -1, vm: new Map(), heard: new Set(), deleted: new Set() };
  const started = Date.now();
  let corrupt = 0; let lost = 0; let writes = 0; let temps = 0;
  const problems: string[] = [];
  try {
    for (let k = 0; k < KILLS; k++) {
      const before = c.cdr;
      await runAndKill(dir, k * 100_000, rand() * MAX_DELAY_MS, c);
      writes += c.cdr - before;
      const r = await readBack(dir, c);
      corrupt += r.corrupt.length; lost += r.lost.length; temps += r.temps;
      for (const p of [...r.corrupt, ...r.lost]) console.log(`kill ${k + 1}: ${p}`);
      if ((k + 1) % 100 === 0) console.log(`power loss: ${k + 1} kills so far, ${corrupt} corrupt, ${lost} lost, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (problems.length < 10) problems.push(...r.corrupt.map((p) => `kill ${k + 1}: corrupt: ${p}`), ...r.lost.map((p) => `kill ${k + 1}: lost: ${p}`));
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
  const s = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`power loss: ${KILLS} kills (seed ${seed}), ${writes} loop rounds committed, ${corrupt} corrupt, ${lost} lost, ${temps} interrupted voicemail writes cleaned up, ${s} s`);
  assert.ok(writes > KILLS / 2, `the child must get into its loop before most kills (${writes} rounds in ${KILLS} runs)`);
  assert.deepEqual(problems, []);
  assert.equal(corrupt, 0);
  assert.equal(lost, 0);
});
