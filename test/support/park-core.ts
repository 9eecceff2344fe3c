/** A CallCore on callmanager/examples/park.yaml with fake station sinks, a virtual clock and a fake music on hold. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { CallCore } from '../../callmanager/calls.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import type { KeypadKey } from '../../callmanager/inputs.js';
import type { MediaServices } from '../../callmanager/media/services.js';
import type { MohStreamSpec } from '../../callmanager/media/moh.js';
import { RecordingSink as Sink } from './recording-sink.js';

export const EXAMPLE = fileURLToPath(new URL('../../../callmanager/examples/park.yaml', import.meta.url));
export const ALICE = 'SEP000000000100'; export const BOB = 'SEP000000000101'; export const CAROL = 'SEP000000000102';
export const DAVE = 'SEP000000000113'; export const EVE = 'SEP000000000114'; export const DANA = 'SEP000000000210';

export { Sink };

/** Records what the features ask of music on hold. */
export class FakeMoh {
  started: Array<MohStreamSpec & { id: number }> = [];
  stopped: number[] = [];
  private next = 1;
  async start(spec: MohStreamSpec) { const id = this.next++; this.started.push({ ...spec, id }); return { id, localAddress: '127.0.0.1', localPort: 30000 + id }; }
  async stop(id: number) { this.stopped.push(id); }
}

export function setup(edit?: (yaml: string) => string) {
  const clock = new VirtualClock();
  const text = readFileSync(EXAMPLE, 'utf8');
  const cfg = parseCallManagerConfig(edit ? edit(text) : text, EXAMPLE);
  const moh = new FakeMoh();
  const core = new CallCore(cfg, clock, undefined, undefined, undefined, fakeServices(moh));
  const s: Record<string, Sink> = {};
  for (const d of cfg.devices) { s[d.name] = new Sink(); core.attach(d.name, s[d.name]!); }
  return { clock, core, s, moh };
}
export const digits = (core: CallCore, dev: string, n: string) => { for (const d of n) core.keypad(dev, d as KeypadKey); };
/** `a` calls `number`, its owner `b` answers. */
export function connect(core: CallCore, a: string, number: string, b: string): void { core.offHook(a); digits(core, a, number); core.offHook(b); }
/** Lets promise callbacks (the fake music's start) run. */
export const settle = () => new Promise<void>((r) => setImmediate(r));

/** Media services with only music on hold (the fake); no meet-me rooms, and no conference bridge is made here. */
function fakeServices(moh: FakeMoh): MediaServices {
  return {
    maxParticipants: 6, moh: moh as unknown as MediaServices['moh'],
    conference: () => { throw new Error('park-core: no conference bridges in this fixture'); },
    isMeetme: () => false, meetme: () => undefined, close: async () => {},
  };
}
