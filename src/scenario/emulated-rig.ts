/**
 * Builds the rig a scenario runs on: the embedded software call manager (or an external one) and
 * one emulated phone per scenario phone, all on real loopback sockets and the system clock.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig, type CallManagerConfig } from '../../callmanager/config.js';
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
  /** This run's state directory: each phone's saved state, the embedded CM's database and voicemail (docs/state.md). */
  stateDir: string;
}

/** A path from a scenario: relative to the scenario's directory, else to the current directory. */
export function resolveScenarioPath(s: Pick<Scenario, 'baseDir'>, p: string): string {
  const local = resolve(s.baseDir, p);
  return existsSync(local) ? local : resolve(p);
}

/** The embedded CM's config for a run: its database and voicemail in the run's state directory (docs/state.md). */
export function scenarioCmConfig(s: Scenario, file: string, stateDir: string): CallManagerConfig {
  const config = loadCallManagerConfig(resolveScenarioPath(s, file));
  config.storage.path = join(stateDir, 'callmanager.sqlite');
  config.voicemail.dir = join(stateDir, 'voicemail');
  return config;
}

/**
 * Every run starts from empty state in a fresh temporary directory, removed at close: the phones
 * keep their state there (so `restart: alice` keeps call history like a real phone), and the
 * embedded CM its database and voicemail (so `restart: callmanager` keeps forwards, DND, messages).
 */
export async function buildEmulatedRig(s: Scenario, log: Logger): Promise<EmulatedRig> {
  const clock = new SystemClock();
  const stateDir = mkdtempSync(join(tmpdir(), 'deskphone-scenario-'));
  let callManager: CallManagerHandle | undefined;
  let server: { host: string; port: number };
  let sscpServer: { host: string; port: number };
  let startCm: ((port: number, sscpPort: number, directoryPort: number) => Promise<CallManagerHandle>) | undefined;
  if ('embedded' in s.callmanager) {
    const config = scenarioCmConfig(s, s.callmanager.embedded, stateDir);
    const configDir = dirname(resolveScenarioPath(s, s.callmanager.embedded)); // a relative moh.file starts here
    startCm = (port, sscpPort, directoryPort) => startCallManager({ config, configDir, host: '127.0.0.1', port, sscpPort, directoryPort, clock,
      log: { info: (m) => log.debug(`cm: ${m}`), warn: (m) => log.warn(`cm: ${m}`) },
      ...(log.enabled?.('trace') && log.trace ? { trace: traceTo((l) => log.trace!(`cm: ${l}`)) } : {}) });
    callManager = await startCm(0, 0, 0);
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
        servers: [p.protocol === 'sscp' ? sscpServer : server], protocol: p.protocol, clock, micFrequency: p.tone,
        stateDir: join(stateDir, name), log,
        // SCCP phones get the embedded CM's directory (docs/directory.md §4), as `directoryUrl` in a phone config would.
        stack: {
          ...(p.protocol === 'sccp' && callManager?.directory ? { directoryUrl: callManager.directory.url } : {}),
          ...(p.phoneBook ? { phoneBook: p.phoneBook } : {}),
        },
      });
      phones.set(name, phone);
      await phone.start();
    }
  } catch (e) {
    for (const ph of phones.values()) await ph.close().catch(() => {});
    await callManager?.close();
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
  const rig: EmulatedRig = {
    phones, callManager, server, sscpServer, stateDir,
    async close() {
      for (const ph of phones.values()) await ph.close().catch((e: Error) => log.warn(`${ph.name}: close: ${e.message}`));
      await rig.callManager?.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  if (startCm) {
    // The CM stops as on SIGTERM (its sessions close, the phones see the connection go) and starts
    // again on the same ports from its database; the phones register again by themselves.
    rig.restartCallManager = async () => {
      await rig.callManager?.close();
      rig.callManager = await startCm!(server.port, sscpServer.port, rig.callManager?.directory?.port ?? 0);
    };
  }
  return rig;
}
