/**
 * The call manager as one service: the protocol-neutral call core with the RTP proxy, and the
 * protocol servers feeding it — SCCP (sccp/server.ts), SSCP (sscp-server/server.ts, when a port
 * is configured), TSP third-party call control (tsp/, when `tsp` is configured) and the HTTP
 * directory (directory/, when `directory.http` is configured).
 * `startCallManager` is what the CLI (`deskphone callmanager`) and the simulator call.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../hal/api/clock.js';
import type { TraceSink } from '../firmware/station/trace.js';
import { CallCore } from './calls.js';
import { createMediaServices, type MediaServices } from './media/services.js';
import type { CallManagerConfig } from './config.js';
import { silentLogger, type Logger } from './log.js';
import { RtpProxy } from './rtp-proxy.js';
import { startSccpServer } from './sccp/server.js';
import { startSscpServer, type SscpServerHandle } from './sscp-server/server.js';
import { CallManagerThirdParty } from './third-party.js';
import { TspServer } from './tsp/server.js';
import { openCmStorage } from './store/storage.js';
import { CdrRecorder } from './store/cdr.js';
import type { CmStore } from './store/database.js';
import { startDirectory, type DirectoryHandle } from './directory/start.js';

export interface StartCallManagerOptions {
  config: CallManagerConfig;
  /** Listen address; default config.server.bind. */
  host?: string;
  /** Listen port; default config.server.port (use 0 in tests). */
  port?: number;
  /** TSP listen port; default config.tsp.port (use 0 in tests). Only used when `tsp` is configured. */
  tspPort?: number;
  clock: Clock;
  log?: Logger;
  /**
   * UDP port for SSCP phones (docs/sscp.md §4, 5070 by convention; 0 = any free port); default
   * config.server.sscpPort; when neither is set no SSCP listener is started.
   */
  sscpPort?: number;
  /** SSCP bind address; default config.server.sscpBind, else the SCCP listen address. "::" = IPv6 + IPv4. */
  sscpHost?: string;
  /** `--trace`: every SCCP, SSCP and TSP message sent and received, decoded (firmware/station/trace.ts). */
  trace?: TraceSink;
  /** Directory a relative `moh.file` is read from (the config file's); default the working directory. */
  configDir?: string;
  /** Directory HTTP port; default config.directory.http.port (0 = any). Only used when `directory.http` is configured. */
  directoryPort?: number;
}

export interface DeviceSummary {
  name: string;
  lines: string[];
  registered: boolean;
  peer?: string;
  /** State of the device's current call leg, 'idle' when none. */
  call: string;
}

export interface CallManagerHandle {
  /** The SCCP listener's port and address. */
  port: number;
  address: string;
  /** Closes every listener and session. */
  close(): Promise<void>;
  devices(): DeviceSummary[];
  /**
   * 'registered' {device, session, peer} · 'rejected' {device, reason, session} ·
   * 'session-closed' {device?, session, reason} · 'protocol-error' {device?, session, detail} ·
   * 'refused' {protocol, peer, reason} · 'foreign-streams' {device, session, activeStreams} (SCCP Register) ·
   * 'foreign-stream' {device, passThruPartyId} · 'foreign-streams-closed' {device, passThruPartyIds} (docs/security.md §8) ·
   * 'call' CallEvent (calls.ts).
   */
  events: EventEmitter;
  core: CallCore;
  /** The durable state (docs/state.md §2): forwards, DND, redial, voicemail index, CDRs. */
  storage: CmStore;
  /** The SSCP listener, when started (docs/sscp.md). */
  sscp?: { port: number; address: string; state: SscpServerHandle['state'] };
  /** Conference bridges, meet-me rooms and music on hold (docs/conference.md). */
  media: MediaServices;
  /** The RTP proxy (docs/rtp-proxy.md); idle until a call needs it. */
  rtpProxy: RtpProxy;
  /** The TSP third-party call control listener when `tsp` is configured (docs/tsp.md §3). */
  tsp?: { address: string; port: number; server: TspServer; control: CallManagerThirdParty };
  /** The directory HTTP server when `directory.http` is configured (docs/directory.md §3); `url` ends in /directory. */
  directory?: { address: string; port: number; url: string };
}

export async function startCallManager(opts: StartCallManagerOptions): Promise<CallManagerHandle> {
  const { config, clock } = opts;
  const log = opts.log ?? silentLogger;
  const events = new EventEmitter();
  // Forwards, DND, redial, voicemail and CDRs (docs/state.md §2); a damaged database is replaced, not fatal.
  const storage = await openCmStorage(config, log);
  const rtpProxy = new RtpProxy({ log });
  // Conference bridges, meet-me rooms and music on hold (docs/conference.md); a bad moh.file fails here.
  let media: MediaServices;
  try {
    media = createMediaServices(config, clock, { log, ...(opts.configDir !== undefined ? { baseDir: opts.configDir } : {}) });
  } catch (e) { storage.db.close(); throw e; }
  const core = new CallCore(config, clock, log, rtpProxy, storage, media);
  const cdrs = new CdrRecorder(core.events, storage.db, clock, log);
  core.events.on('call', (ev) => events.emit('call', ev));
  // docs/security.md §8: streams a phone holds from another CM's call, and their closing at on-hook.
  for (const e of ['foreign-stream', 'foreign-streams-closed']) core.events.on(e, (ev) => events.emit(e, ev));
  /** Stops the core and closes the database once its queued writes are done. */
  const closeCore = async () => {
    core.close();
    rtpProxy.close();
    cdrs.stop();
    await media.close();
    await core.fx.store.idle();
    storage.db.close();
  };
  const bindHost = opts.host ?? config.server.bind;
  const sccp = await startSccpServer({ config, core, clock, log, events, host: bindHost, port: opts.port ?? config.server.port,
    ...(opts.trace ? { trace: opts.trace } : {}) }).catch(async (e: Error) => { await closeCore(); throw e; });

  const sscpPort = opts.sscpPort ?? config.server.sscpPort;
  let sscp: SscpServerHandle | undefined;
  if (sscpPort !== undefined) {
    try {
      sscp = await startSscpServer({ config, core, clock, log, events, port: sscpPort, ...(opts.trace ? { transport: { trace: opts.trace } } : {}),
        host: opts.sscpHost ?? config.server.sscpBind ?? bindHost });
    } catch (e) {
      await sccp.close();
      await closeCore();
      throw e;
    }
  }
  let tsp: CallManagerHandle['tsp'];
  if (config.tsp) {
    const control = new CallManagerThirdParty(core, config);
    const tspServer = new TspServer({ control, clock, host: config.tsp.bind, port: opts.tspPort ?? config.tsp.port, log: (l) => log.info(l), ...(opts.trace ? { trace: opts.trace } : {}) });
    try {
      const a = await tspServer.listen();
      tsp = { ...a, server: tspServer, control };
      log.info(`TSP third-party call control listening on ${a.address}:${a.port} (${config.tsp.users.length} users)`);
    } catch (e) {
      await sscp?.close();
      await sccp.close();
      await closeCore();
      throw new Error(`call manager: ${(e as Error).message} (hint: change tsp.port in the config)`);
    }
  }
  let directory: DirectoryHandle | undefined;
  try {
    directory = await startDirectory(config, (n) => core.presenceOf(n), log, bindHost, opts.directoryPort);
  } catch (e) {
    if (tsp) await tsp.server.close();
    await sscp?.close();
    await sccp.close();
    await closeCore();
    throw e;
  }

  return {
    port: sccp.port,
    address: sccp.address,
    events,
    core,
    storage: storage.db,
    rtpProxy,
    media,
    ...(tsp ? { tsp } : {}),
    ...(directory ? { directory: { address: directory.address, port: directory.port, url: directory.url } } : {}),
    ...(sscp ? { sscp: { port: sscp.port, address: sscp.address, state: sscp.state } } : {}),
    devices: () => config.devices.map((d) => {
      const peer = sccp.peerOf(d.name) ?? sscp?.registered().get(d.name);
      return { name: d.name, lines: [...d.lines], registered: peer !== undefined, ...(peer !== undefined ? { peer } : {}), call: core.legState(d.name) };
    }),
    close: async () => {
      await directory?.close();
      await sscp?.close();
      if (tsp) await tsp.server.close();
      await sccp.close();
      await closeCore();
    },
  };
}
