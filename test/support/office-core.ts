/**
 * A CallCore on callmanager/examples/office.yaml with fake station sinks and a virtual clock, for
 * the feature unit tests (test/callmanager/features/). `storage: true` adds an in-memory database.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { CallCore } from '../../callmanager/calls.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import { parseCallManagerConfig, type CallManagerConfig } from '../../callmanager/config.js';
import { CmStore } from '../../callmanager/store/database.js';
import type { CmStorage } from '../../callmanager/store/storage.js';
import { silentLogger } from '../../callmanager/log.js';
import { RecordingSink as Sink } from './recording-sink.js';

export const OFFICE = fileURLToPath(new URL('../../../callmanager/examples/office.yaml', import.meta.url));
/** Device names of office.yaml: Alice 100 (mailbox), Bob 101 (rings 4 s), Carol 102, Dana 103 (SSCP), Erik 104 (group 51). */
export const ALICE = 'SEP000000000100'; export const BOB = 'SEP000000000101'; export const CAROL = 'SEP000000000102';
export const DANA = 'SEP000000000103'; export const ERIK = 'SEP000000000104';
export const ALL = [ALICE, BOB, CAROL, DANA, ERIK] as const;

export { Sink };

export function officeConfig(): CallManagerConfig { return parseCallManagerConfig(readFileSync(OFFICE, 'utf8'), OFFICE); }

export async function memoryStorage(): Promise<CmStorage> {
  return { db: await CmStore.open(':memory:', silentLogger), voicemailDir: undefined, messages: [] };
}

export function office(opts: { storage?: CmStorage; config?: CallManagerConfig } = {}) {
  const clock = new VirtualClock();
  const core = new CallCore(opts.config ?? officeConfig(), clock, undefined, undefined, opts.storage);
  const s = Object.fromEntries(ALL.map((n) => [n, new Sink()])) as Record<(typeof ALL)[number], Sink>;
  for (const [n, sink] of Object.entries(s)) core.attach(n, sink);
  return { clock, core, s };
}

export const digits = (core: CallCore, dev: string, n: string) => { for (const d of n) core.keypad(dev, d as KeypadKey); };
export const settle = () => new Promise((r) => setImmediate(r));
