/**
 * The hardware-in-the-loop ScenarioRig (docs/hil.md): the scenario's phones are boards behind rig
 * agents, matched by device name; an embedded call manager runs here, on the test host, where the
 * rig file says the boards look for it; before the first step every board is reset (fresh
 * firmware above the pins) and must register. Wired boards take their inputs and lamps/ringer
 * from the test host's GPIO lines (wired.ts).
 */
import { SystemClock } from '../../hal/bindings/system-clock.js';
import type { GpioController } from '../../hal/api/gpio.js';
import type { Clock } from '../../hal/api/clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import type { Logger } from '../node/logger.js';
import { resolveScenarioPath, scenarioCmConfig } from '../scenario/emulated-rig.js';
import type { PhoneUnderTest, ScenarioRig } from '../scenario/rig.js';
import type { Scenario } from '../scenario/schema.js';
import { AgentConnection, RemotePhone, parseHostPort } from './client.js';
import type { RigBoard, RigFile } from './rig-file.js';
import { WiredPhone } from './wired.js';

export interface RigBench {
  readonly rig: RigFile & { boards: Record<string, RigBoard> };
  readonly boards: ReadonlyMap<string, { cfg: RigBoard; conn: AgentConnection }>;
  close(): void;
}

export interface BenchOptions {
  /** The test host's GPIO chips for wired boards; default: the host's own chips through hal/bindings. */
  hostGpio?: (chip: string) => Promise<GpioController>;
  clock?: Clock;
  log: Logger;
}

/** Connects to every board's agent once for the whole run. */
export async function connectBench(rig: RigBench['rig']): Promise<RigBench> {
  const boards = new Map<string, { cfg: RigBoard; conn: AgentConnection }>();
  try {
    for (const [name, cfg] of Object.entries(rig.boards)) {
      const conn = await AgentConnection.open(parseHostPort(cfg.agent, `${rig.file}: boards.${name}.agent`), cfg.token, `${name} (${cfg.agent})`);
      if (cfg.device && cfg.device.toUpperCase() !== conn.info.device.toUpperCase()) {
        conn.close();
        throw new Error(`${rig.file}: boards.${name}: the board registers as ${conn.info.device}, the rig file says ${cfg.device}`);
      }
      boards.set(name, { cfg, conn });
    }
  } catch (e) {
    for (const b of boards.values()) b.conn.close();
    throw e;
  }
  return { rig, boards, close: () => { for (const b of boards.values()) b.conn.close(); } };
}

async function defaultHostGpio(chip: string, clock: Clock): Promise<GpioController> {
  const { openLibgpiodGpio, openCliGpio } = await import('../../hal/bindings/gpio-chardev.js');
  try { return await openLibgpiodGpio({ clock, chip }); } catch { return openCliGpio({ clock, chip }); }
}

export async function buildAgentRig(s: Scenario, bench: RigBench, o: BenchOptions): Promise<ScenarioRig> {
  const clock = o.clock ?? new SystemClock();
  // Scenario phone → board, by the device name the board registers as.
  const cast = new Map<string, { board: string; conn: AgentConnection; cfg: RigBoard }>();
  for (const [name, p] of Object.entries(s.phones)) {
    const found = [...bench.boards].find(([, b]) => b.conn.info.device.toUpperCase() === p.device.toUpperCase());
    if (!found) {
      const have = [...bench.boards].map(([n, b]) => `${n}=${b.conn.info.device}`).join(', ');
      throw new Error(`${s.file}: phone ${name} (${p.device}) has no board in ${bench.rig.file} (boards: ${have || 'none'})`);
    }
    const [board, { conn, cfg }] = found;
    if (conn.info.protocol !== p.protocol) {
      throw new Error(`${s.file}: phone ${name} speaks ${p.protocol} but board ${board} runs ${conn.info.protocol} (start it with --protocol ${p.protocol})`);
    }
    cast.set(name, { board, conn, cfg });
  }
  let callManager: CallManagerHandle | undefined;
  const cm = bench.rig.callmanager;
  // The embedded CM keeps its database and voicemail in a temporary directory of this run (docs/state.md).
  const stateDir = mkdtempSync(join(tmpdir(), 'deskphone-rig-cm-'));
  let startCm: (() => Promise<CallManagerHandle>) | undefined;
  if ('embedded' in s.callmanager) {
    const config = scenarioCmConfig(s, s.callmanager.embedded, stateDir);
    const configDir = dirname(resolveScenarioPath(s, s.callmanager.embedded)); // a relative moh.file starts here
    startCm = () => startCallManager({ config, configDir, host: cm.host, port: cm.port, sscpPort: cm.sscpPort,
      ...(cm.directoryPort !== undefined ? { directoryPort: cm.directoryPort } : {}), clock,
      log: { info: (m) => o.log.debug(`cm: ${m}`), warn: (m) => o.log.warn(`cm: ${m}`) } })
      .catch((e: Error) => { throw new Error(`embedded call manager on ${cm.host}:${cm.port} (SSCP UDP ${cm.sscpPort}, ${bench.rig.file} callmanager): ${e.message}`); });
    callManager = await startCm().catch((e: Error) => { rmSync(stateDir, { recursive: true, force: true }); throw e; });
  }
  const wired: WiredPhone[] = [];
  try {
    // Boards the scenario does not use go quiet; fresh firmware on every board it uses, all
    // registered before the first step.
    const used = new Set([...cast.values()].map((c) => c.board));
    for (const [name, b] of bench.boards) if (!used.has(name)) await b.conn.request('standby');
    await Promise.all([...cast.values()].map(async ({ conn }) => {
      await conn.request('reset');
      await conn.waitFor((st) => st.station === 'registered', bench.rig.registerTimeout,
        `registration with ${'embedded' in s.callmanager ? `the embedded call manager on ${cm.host}:${cm.port}` : s.callmanager.external} (the board uses ${conn.info.server})`);
    }));
    const phones = new Map<string, PhoneUnderTest>();
    for (const [name, { conn, cfg }] of cast) {
      const remote = new RemotePhone(name, conn, conn.info.micFrequency || s.phones[name]!.tone);
      if (cfg.wired) {
        const gpio = await (o.hostGpio ?? ((c) => defaultHostGpio(c, clock)))(cfg.wired.chip);
        const w = await WiredPhone.open(remote, cfg.wired, gpio, clock);
        wired.push(w);
        phones.set(name, w);
      } else {
        phones.set(name, remote);
      }
    }
    return {
      phones,
      ...(startCm ? { async restartCallManager() { await callManager?.close(); callManager = await startCm!(); } } : {}),
      async close() {
        for (const w of wired) await w.close();
        // Handsets back on the cradle so the bench is idle between runs.
        for (const { conn } of cast.values()) if (conn.state.offHook) await conn.request('hook', { offHook: false }).catch(() => {});
        await callManager?.close();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const w of wired) await w.close();
    await callManager?.close();
    rmSync(stateDir, { recursive: true, force: true });
    throw e;
  }
}
