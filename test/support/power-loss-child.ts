/**
 * The writer of the power-loss test (test/e2e/power-loss.test.ts): run as
 * `node power-loss-child.js --child DIR BASE`, it writes phone state, CDRs, a forward, voicemail
 * messages (added, marked heard, deleted) in a loop through the real stores, and prints one line
 * per write once the write has returned — a record is committed when its line is out. Without
 * `--child` it does nothing (node --test loads every file under dist/test).
 */
import { join } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { PhoneStateKeeper, type PhoneSnapshot } from '../../firmware/phone/phone-state.js';
import type { HistoryEntry } from '../../firmware/phone/history.js';
import { FileStateStore } from '../../src/node/file-state-store.js';
import { CmStore } from '../../callmanager/store/database.js';
import { VoicemailStore, type VoiceMessage } from '../../callmanager/features/voicemail-store.js';

export const MAILBOX = '100';
/** Samples of message `n`: its length and content say which message it is. */
export function messageAudio(n: number): Int16Array {
  const a = new Int16Array(800 + (n % 7) * 400);
  for (let i = 0; i < a.length; i++) a[i] = ((n * 31 + i) % 2000) - 1000;
  return a;
}

async function child(dir: string, base: number): Promise<void> {
  const out = (line: string) => new Promise<void>((r) => process.stdout.write(`${line}\n`, () => r()));
  const clock = new SystemClock();
  const log = { info: () => {}, warn: (m: string) => process.stderr.write(`${m}\n`) };
  const history: HistoryEntry[] = [];
  const snap: PhoneSnapshot = { history, lastDialled: '', missedUnseen: 0, lastServer: '127.0.0.1:2000' };
  const keeper = new PhoneStateKeeper(await FileStateStore.open(join(dir, 'phone')), clock, log, () => snap, 0);
  const db = await CmStore.open(join(dir, 'cm.sqlite'), log);
  const vm = new VoicemailStore(join(dir, 'voicemail'), log, db);
  const mine: VoiceMessage[] = [];
  await out('ready');
  for (let i = 0; ; i++) {
    const n = base + i;
    history.unshift({ kind: 'placed', number: String(n), name: 'x'.repeat(n % 40), at: new Date(1_700_000_000_000 + n) });
    if (history.length > 20) history.length = 20;
    snap.lastDialled = String(n);
    keeper.changed();
    await keeper.flush();
    await out(`hist ${n}`);
    const id = db.addCdr({ callId: n, caller: '101', callee: '100', started: n, answered: n + 1, ended: n + 2, durationMs: 1, outcome: 'answered' });
    await out(`cdr ${id}`);
    db.setForward('101', String(n));
    await out(`fwd ${n}`);
    const m = vm.add(MAILBOX, String(n), messageAudio(n), 8000, new Date(1_700_000_000_000 + n * 1000));
    await m.saved;
    mine.push(m);
    await out(`vm ${n} ${m.file!}`);
    if (i % 3 === 2) {
      const h = mine[mine.length - 2]!;
      vm.markHeard(MAILBOX, h);
      await vm.idle();
      await out(`heard ${h.file!}`);
    }
    if (i % 5 === 4) {
      const d = mine.splice(0, 1)[0]!;
      await out(`deleting ${d.file!}`); // from here on its file may be gone: the user asked for that
      vm.delete(MAILBOX, d);
      await vm.idle();
      await out(`del ${d.file!}`);
    }
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  child(process.argv[at + 1]!, Number(process.argv[at + 2])).catch((e: Error) => { process.stderr.write(`power-loss child: ${e.stack}\n`); process.exit(1); });
}
