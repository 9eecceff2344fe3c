/**
 * The SCCP side of the software call manager: a TCP listener (SCCP = TCP 2000, docs/sccp.md §1)
 * with one SccpSession per station, a registry of which session owns which device, and the call
 * core. `startCallManager` is what the CLI (`deskphone callmanager`) and the simulator call.
 */
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Clock } from '../../hal/api/clock.js';
import { CallCore } from '../calls.js';
import type { CallManagerConfig, DeviceConfig } from '../config.js';
import { silentLogger, type Logger } from '../station.js';
import { SccpSession, type SessionHost } from './session.js';
import { startSscpServer, type SscpServerHandle } from '../sscp-server/server.js';
import { RtpProxy } from '../rtp-proxy.js';
import { CallManagerThirdParty } from '../third-party.js';
import { TspServer } from '../tsp/server.js';
import type { TraceSink } from '../../firmware/station/trace.js';
import { Acl, plainAddress } from '../acl.js';
import { openCmStorage } from '../store/storage.js';
import { CdrRecorder } from '../store/cdr.js';
import type { CmStore } from '../store/database.js';

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
  port: number;
  address: string;
  /** Closes every session and the listener. */
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
  /** The RTP proxy (docs/rtp-proxy.md); idle until a call needs it. */
  rtpProxy: RtpProxy;
  /** The TSP third-party call control listener when `tsp` is configured (docs/tsp.md §3). */
  tsp?: { address: string; port: number; server: TspServer; control: CallManagerThirdParty };
}

export async function startCallManager(opts: StartCallManagerOptions): Promise<CallManagerHandle> {
  const { config, clock } = opts;
  const log = opts.log ?? silentLogger;
  const events = new EventEmitter();
  // Forwards, DND, redial, voicemail and CDRs (docs/state.md §2); a damaged database is replaced, not fatal.
  const storage = await openCmStorage(config, log);
  const rtpProxy = new RtpProxy({ log });
  const core = new CallCore(config, clock, log, rtpProxy, storage);
  const cdrs = new CdrRecorder(core.events, storage.db, clock, log);
  core.events.on('call', (ev) => events.emit('call', ev));
  const closeStorage = async () => {
    cdrs.stop();
    await core.fx.store.idle();
    storage.db.close();
  };
  // docs/security.md §8: streams a phone holds from another CM's call, and their closing at on-hook.
  for (const e of ['foreign-stream', 'foreign-streams-closed']) core.events.on(e, (ev) => events.emit(e, ev));
  const sessions = new Set<SccpSession>();
  const owner = new Map<string, SccpSession>();
  const perAddress = new Map<string, number>();
  const globalAcl = new Acl(config.server);
  const deviceAcl = new Map(config.devices.map((d) => [d.name, new Acl(d)]));
  const server = createServer();

  const host: SessionHost = {
    config, clock, log, core, localPort: 0, ...(opts.trace ? { trace: opts.trace } : {}),
    claim(session: SccpSession, device: DeviceConfig) {
      const addr = plainAddress(session.socket.remoteAddress ?? '');
      if (!(deviceAcl.get(device.name)?.allows(addr) ?? true)) return `${device.name} may not register from ${addr} (device permit/deny)`;
      const old = owner.get(device.name);
      if (old && old !== session) {
        // docs/security.md §2: a live registration is only replaced from the same address.
        const same = plainAddress(old.socket.remoteAddress ?? '') === addr;
        if (!same && old.alive()) return `${device.name} is registered and alive at ${old.peer}`;
        log.info(`${device.name}: re-registered from ${session.peer}; closing the old session from ${old.peer}`);
        old.close('replaced by a new registration');
      }
      owner.set(device.name, session);
      return undefined;
    },
    released(session: SccpSession, reason: string) {
      sessions.delete(session);
      const name = session.device?.name;
      if (name && owner.get(name) === session) {
        owner.delete(name);
        core.detach(name, session);
      }
      log.info(`${name ?? `session ${session.id}`}: session closed (${reason})`);
      events.emit('session-closed', { device: name, session: session.id, reason });
    },
    emit(event: string, payload: unknown) { events.emit(event, payload); },
  };

  server.on('connection', (socket: Socket) => {
    // docs/security.md §3: permit/deny and connection caps are checked before any byte is read.
    const addr = plainAddress(socket.remoteAddress ?? '');
    const refuse = !globalAcl.allows(addr) ? 'denied by server permit/deny'
      : sessions.size >= config.server.maxConnections ? `${sessions.size} connections (server.maxConnections)`
        : (perAddress.get(addr) ?? 0) >= config.server.maxConnectionsPerAddress
          ? `${perAddress.get(addr)} connections from this address (server.maxConnectionsPerAddress)` : undefined;
    if (refuse) {
      log.debug?.(`SCCP connection from ${addr}:${socket.remotePort} refused: ${refuse}`);
      events.emit('refused', { protocol: 'sccp', peer: `${addr}:${socket.remotePort}`, reason: refuse });
      socket.destroy();
      return;
    }
    perAddress.set(addr, (perAddress.get(addr) ?? 0) + 1);
    socket.once('close', () => {
      const n = (perAddress.get(addr) ?? 1) - 1;
      if (n > 0) perAddress.set(addr, n); else perAddress.delete(addr);
    });
    socket.setNoDelay(true);
    sessions.add(new SccpSession(socket, host));
  });
  server.on('error', (e) => log.warn(`call manager listener: ${e.message}`));

  const bindHost = opts.host ?? config.server.bind;
  const bindPort = opts.port ?? config.server.port;
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error) => reject(new Error(`call manager: cannot listen on ${bindHost}:${bindPort}: ${e.message}` +
      ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (hint: another call manager running? use --port)' : '')));
    server.once('error', onErr);
    server.listen(bindPort, bindHost, () => { server.off('error', onErr); resolve(); });
  }).catch(async (e: Error) => { core.close(); rtpProxy.close(); await closeStorage(); throw e; });
  const addr = server.address() as AddressInfo;
  (host as { localPort: number }).localPort = addr.port;
  log.info(`call manager listening on ${addr.address}:${addr.port} (SCCP), ${config.devices.length} devices configured`);
  const sscpPort = opts.sscpPort ?? config.server.sscpPort;
  let sscp: SscpServerHandle | undefined;
  if (sscpPort !== undefined) {
    try {
      sscp = await startSscpServer({ config, core, clock, log, events, port: sscpPort, ...(opts.trace ? { transport: { trace: opts.trace } } : {}),
        host: opts.sscpHost ?? config.server.sscpBind ?? bindHost });
    } catch (e) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      core.close(); rtpProxy.close(); await closeStorage();
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      core.close(); rtpProxy.close(); await closeStorage();
      throw new Error(`call manager: ${(e as Error).message} (hint: change tsp.port in the config)`);
    }
  }

  return {
    port: addr.port,
    address: addr.address,
    events,
    core,
    storage: storage.db,
    rtpProxy,
    ...(tsp ? { tsp } : {}),
    ...(sscp ? { sscp: { port: sscp.port, address: sscp.address, state: sscp.state } } : {}),
    devices: () => config.devices.map((d) => {
      const s = owner.get(d.name);
      const peer = s?.peer ?? sscp?.registered().get(d.name);
      return { name: d.name, lines: [...d.lines], registered: peer !== undefined, ...(peer !== undefined ? { peer } : {}), call: core.legState(d.name) };
    }),
    close: async () => {
      await sscp?.close();
      if (tsp) await tsp.server.close();
      for (const s of [...sessions]) s.close('call manager shutting down');
      core.close();
      rtpProxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeStorage();
    },
  };
}
