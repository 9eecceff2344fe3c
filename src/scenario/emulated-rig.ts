/**
 * Builds the rig a scenario runs on: the embedded software call manager (or an external one) and
 * one emulated phone per scenario phone, all on real loopback sockets and the system clock.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import { createEmulatedPhone, type EmulatedPhone } from '../node/emulated-phone.js';
import type { Logger } from '../node/logger.js';
import { traceTo } from '../../firmware/station/trace.js';
import type { Scenario } from './schema.js';
import type { ScenarioRig } from './rig.js';

export interface EmulatedRig extends ScenarioRig {
  phones: ReadonlyMap<string, EmulatedPhone>;
  callManager?: CallManagerHandle;
  server: { host: string; port: number };
  /** Where `protocol: sscp` phones register (UDP). */
  sscpServer: { host: string; port: number };
}

/** A path from a scenario: relative to the scenario's directory, else to the current directory. */
export function resolveScenarioPath(s: Pick<Scenario, 'baseDir'>, p: string): string {
  const local = resolve(s.baseDir, p);
  return existsSync(local) ? local : resolve(p);
}

export async function buildEmulatedRig(s: Scenario, log: Logger): Promise<EmulatedRig> {
  const clock = new SystemClock();
  let callManager: CallManagerHandle | undefined;
  let server: { host: string; port: number };
  let sscpServer: { host: string; port: number };
  if ('embedded' in s.callmanager) {
    const config = loadCallManagerConfig(resolveScenarioPath(s, s.callmanager.embedded));
    callManager = await startCallManager({ config, host: '127.0.0.1', port: 0, sscpPort: 0, clock,
      log: { info: (m) => log.debug(`cm: ${m}`), warn: (m) => log.warn(`cm: ${m}`) },
      ...(log.enabled?.('trace') && log.trace ? { trace: traceTo((l) => log.trace!(`cm: ${l}`)) } : {}) });
    server = { host: '127.0.0.1', port: callManager.port };
    sscpServer = { host: '127.0.0.1', port: callManager.sscp!.port };
  } else {
    const m = /^\[?([^\]]+)\]?:(\d+)$/.exec(s.callmanager.external)!;
    server = { host: m[1]!, port: Number(m[2]) };
    sscpServer = { host: m[1]!, port: s.callmanager.sscpPort };
  }
  const phones = new Map<string, EmulatedPhone>();
  try {
    for (const [name, p] of Object.entries(s.phones)) {
      const phone = await createEmulatedPhone({
        name, deviceName: p.device.toUpperCase(), boardFile: resolveScenarioPath(s, p.board),
        servers: [p.protocol === 'sscp' ? sscpServer : server], protocol: p.protocol, clock, micFrequency: p.tone, log,
      });
      phones.set(name, phone);
      await phone.start();
    }
  } catch (e) {
    for (const ph of phones.values()) await ph.close().catch(() => {});
    await callManager?.close();
    throw e;
  }
  return {
    phones, callManager, server, sscpServer,
    async close() {
      for (const ph of phones.values()) await ph.close().catch((e: Error) => log.warn(`${ph.name}: close: ${e.message}`));
      await callManager?.close();
    },
  };
}
