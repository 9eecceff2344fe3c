/**
 * The SCCP side of the software call manager: a TCP listener (SCCP = TCP 2000, docs/sccp.md §1)
 * with one SccpSession per station and a registry of which session owns which device, feeding the
 * shared call core. The call manager as a whole (SSCP, TSP, RTP proxy too) is composed in
 * callmanager/start.ts.
 */
import type { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Clock } from '../../hal/api/clock.js';
import type { CallCore } from '../calls.js';
import type { CallManagerConfig, DeviceConfig } from '../config.js';
import type { Logger } from '../log.js';
import { SccpSession, type SessionHost } from './session.js';
import type { TraceSink } from '../../firmware/station/trace.js';
import { Acl, plainAddress } from '../acl.js';

export interface SccpServerOptions {
  config: CallManagerConfig;
  core: CallCore;
  clock: Clock;
  log: Logger;
  /** Where 'registered', 'rejected', 'session-closed', 'protocol-error', 'refused', 'foreign-streams' go. */
  events: EventEmitter;
  host: string;
  /** TCP port (0 in tests). */
  port: number;
  /** `--trace`: every SCCP message sent and received, decoded (firmware/station/trace.ts). */
  trace?: TraceSink;
}

export interface SccpServerHandle {
  port: number;
  address: string;
  /** "ip:port" of the session that owns `device`, when it is registered over SCCP. */
  peerOf(device: string): string | undefined;
  /** Closes every session and the listener. */
  close(): Promise<void>;
}

export async function startSccpServer(opts: SccpServerOptions): Promise<SccpServerHandle> {
  const { config, clock, log, core, events } = opts;

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

  const bindHost = opts.host;
  const bindPort = opts.port;
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error) => reject(new Error(`call manager: cannot listen on ${bindHost}:${bindPort}: ${e.message}` +
      ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (hint: another call manager running? use --port)' : '')));
    server.once('error', onErr);
    server.listen(bindPort, bindHost, () => { server.off('error', onErr); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  (host as { localPort: number }).localPort = addr.port;
  log.info(`call manager listening on ${addr.address}:${addr.port} (SCCP), ${config.devices.length} devices configured`);
  return {
    port: addr.port,
    address: addr.address,
    peerOf: (device) => owner.get(device)?.peer,
    close: async () => {
      for (const s of [...sessions]) s.close('call manager shutting down');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
