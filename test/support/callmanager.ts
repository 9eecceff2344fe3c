/** Shared setup for call-manager tests: the example config, a virtual clock, a CM on port 0. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../hal/emul/virtual-clock.js';
import { parseCallManagerConfig, type CallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import { RawStation } from './raw-station.js';

/** The example config, resolved from the compiled file under dist/test/. */
export const EXAMPLE = fileURLToPath(new URL('../../../callmanager/examples/two-phones.yaml', import.meta.url));

export function exampleConfig(): CallManagerConfig {
  return parseCallManagerConfig(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
}

export const ALICE = 'SEP000000000100';
export const BOB = 'SEP000000000101';
export const CAROL = 'SEP000000000102';

export interface Rig { cm: CallManagerHandle; clock: VirtualClock; stations: RawStation[]; logs: string[];
  station(name?: string, codecs?: number[]): Promise<RawStation>; stop(): Promise<void> }

export async function rig(config: CallManagerConfig = exampleConfig()): Promise<Rig> {
  const clock = new VirtualClock({ startDate: new Date('2026-03-14T15:09:26Z') });
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(`I ${m}`), warn: (m: string) => logs.push(`W ${m}`) };
  const cm = await startCallManager({ config, host: '127.0.0.1', port: 0, clock, log });
  const stations: RawStation[] = [];
  return {
    cm, clock, stations, logs,
    async station(name?: string, codecs?: number[]) {
      const s = await RawStation.connect(cm.port);
      stations.push(s);
      if (name) await s.register(name, codecs);
      return s;
    },
    async stop() { for (const s of stations) s.close(); await cm.close(); },
  };
}

/** Dial a number digit by digit (KeypadButton kpButton = digit, docs/sccp.md §4 "Keypad"). */
export function dialDigits(s: RawStation, digits: string): void {
  for (const d of digits) s.send('KeypadButton', { kpButton: Number(d), lineInstance: 1, callReference: 0 });
}

/** Registers Alice and Bob, Alice calls 101 (EnblocCall), and waits until Bob's ringer is on (InsideRing 2). */
export async function aliceRingsBob(r: Rig): Promise<{ a: RawStation; b: RawStation }> {
  const a = await r.station(ALICE);
  const b = await r.station(BOB);
  a.send('EnblocCall', { calledParty: '101', lineInstance: 1 });
  await b.next('SetRinger', (f) => f.ringMode === 2);
  return { a, b };
}
