/**
 * The SSCP side of the software call manager (docs/sscp.md): one UDP socket (IPv4, IPv6, or both
 * when bound to "::") with the reliable datagram layer, SscpSessions keyed by device, registration
 * (refused with a reason for unknown devices or devices configured for SCCP only), keepalive
 * supervision (a registration expires after 3 intervals without traffic, §5), and refusal of
 * everything but Register from addresses without a registration. Calls go through the same
 * CallCore as SCCP phones, so SSCP↔SCCP calls need nothing special.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { SscpDecoded } from '../../firmware/sscp/codec.js';
import { SscpEndpoint, type SscpEndpointOptions, type SscpPeer } from '../../firmware/sscp/transport.js';
import type { CallCore } from '../calls.js';
import type { CallManagerConfig, DeviceConfig } from '../config.js';
import type { Logger } from '../log.js';
import { codecsOf, type SscpOutMessage } from './commands.js';
import { SscpSession, type SscpSessionHost } from './session.js';
import { Acl, plainAddress } from '../acl.js';
import { checkRegisterDigest } from '../../firmware/sscp/auth.js';
import { ReplyLimit } from './reply-limit.js';

export interface SscpServerOptions {
  config: CallManagerConfig;
  core: CallCore;
  clock: Clock;
  log: Logger;
  /** Where 'registered', 'rejected', 'refused', 'session-closed' events go (the CM handle's emitter). */
  events: EventEmitter;
  /** "::" = IPv6 and IPv4 (mapped) on one socket; "0.0.0.0" IPv4 only; or one address. */
  host: string;
  /** UDP port (docs/sscp.md §4: 5070 by convention; 0 in tests). */
  port: number;
  transport?: Pick<SscpEndpointOptions, 'retries' | 'initialRtoMs' | 'maxRtoMs' | 'jitter' | 'random' | 'trace'>;
}

export interface SscpServerHandle {
  port: number;
  address: string;
  /** Registered SSCP devices: device name → peer text. */
  registered(): Map<string, string>;
  /** What the listener keeps (bounded, docs/security.md §5): for tests and diagnostics. */
  state(): { transportPeers: number; replyLimitEntries: number; suppressedReplies: number; stats: SscpEndpoint['stats'] };
  close(): Promise<void>;
}

/** §5: "The CM expires a registration after 3 intervals without traffic from the phone." */
const EXPIRY_INTERVALS = 3;
/** How often registrations are checked for expiry (1 s resolution is plenty for 3 × keepalive). */
const SUPERVISION_MS = 1000;
/** A registration heard from within this many keepalive intervals is alive (docs/security.md §2). */
const ALIVE_INTERVALS = 2;
/** Register sids remembered per device so a recorded Register cannot be replayed (docs/security.md §4). */
const USED_SIDS = 8;

const peerKey = (p: SscpPeer): string => `${p.address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1')}|${p.port}`;
const fmt = (p: SscpPeer): string => (p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`);

export async function startSscpServer(o: SscpServerOptions): Promise<SscpServerHandle> {
  const { config, core, clock, log, events } = o;
  const byDevice = new Map<string, SscpSession>();
  const byPeer = new Map<string, SscpSession>();
  const globalAcl = new Acl(config.server);
  const deviceAcl = new Map(config.devices.map((d) => [d.name, new Acl(d)]));
  const usedSids = new Map<string, string[]>();
  const limit = new ReplyLimit(clock);
  const socket: Socket = createSocket(isIPv6(o.host) ? { type: 'udp6', ipv6Only: o.host !== '::' } : { type: 'udp4' });

  const host: SscpSessionHost = {
    config, core, log,
    localAddress: o.host === '::' || o.host === '0.0.0.0' || o.host === '' ? undefined : o.host,
    send(peer, device, msg) {
      endpoint.send({ ...msg, device }, peer).catch((e: Error) => {
        // Sends abandoned because the registration ended are expected; anything else is worth a warning.
        const gone = /forgotten|endpoint closed|registration ended|re-registered|unregistered|shutting down|keepalive|taken over/.test(e.message);
        (gone ? (log.debug ?? (() => {})) : log.warn).call(log, `${device} (${fmt(peer)}): SSCP ${msg.name} failed: ${e.message}`);
      });
    },
    unregister(session) { release(session, 'unregistered'); },
  };

  const endpoint = new SscpEndpoint({
    socket, clock, ...o.transport,
    acceptPeer: (from) => globalAcl.allows(from.address),
    admit: (from) => byPeer.has(peerKey(from)),
    onStranger: (m, from) => {
      try { onStranger(m, from); } catch (e) {
        log.warn(`SSCP ${m.name} from ${fmt(from)}: handling failed: ${(e as Error).message}`);
      }
    },
    onMessage: (m, from) => {
      try { onMessage(m, from); } catch (e) {
        log.warn(`SSCP ${m.name} from ${fmt(from)}: handling failed: ${(e as Error).message}`);
        events.emit('protocol-error', { protocol: 'sscp', device: m.device, detail: (e as Error).message, error: e });
      }
    },
    onDrop: (reason, from, err) => {
      if (reason === 'duplicate') return;
      log.debug?.(`SSCP datagram from ${fmt(from)} dropped (${reason})${err ? `: ${err.message}` : ''}`);
      if (reason === 'malformed' && err) events.emit('protocol-error', { protocol: 'sscp', peer: fmt(from), detail: err.message, error: err });
    },
  });

  function release(s: SscpSession, reason: string): void {
    if (byDevice.get(s.name) === s) byDevice.delete(s.name);
    if (byPeer.get(peerKey(s.peer)) === s) byPeer.delete(peerKey(s.peer));
    core.detach(s.name, s);
    endpoint.forgetPeer(s.peer, reason);
    log.info(`${s.name} (${s.peerText}): SSCP registration ended (${reason})`);
    events.emit('session-closed', { protocol: 'sscp', device: s.name, session: s.id, reason });
  }

  /** One answer to a sender we keep no state for: rate-limited, never retransmitted (false = suppressed). */
  function answerStranger(from: SscpPeer, device: string, msg: SscpOutMessage): boolean {
    if (!limit.allow(peerKey(from))) return false;
    try { endpoint.sendOnce({ ...msg, device }, from); } catch (e) { log.warn(`SSCP ${msg.name} to ${fmt(from)}: ${(e as Error).message}`); }
    return true;
  }

  function reject(from: SscpPeer, device: string | undefined, reason: string): void {
    const msg: SscpOutMessage = { name: 'RegisterReject', fields: { reason: reason.slice(0, 128) } };
    if (byPeer.has(peerKey(from))) host.send(from, device ?? '', msg);
    else if (!answerStranger(from, device ?? '', msg)) {
      log.debug?.(`SSCP Register from ${fmt(from)} (${device ?? 'no device id'}) rejected again: ${reason} (not answered: rate limit)`);
      return;
    }
    log.warn(`SSCP Register from ${fmt(from)} (${device ?? 'no device id'}) rejected: ${reason}`);
    events.emit('rejected', { protocol: 'sscp', device, reason, peer: fmt(from) });
  }

  /** Why `from` may not register `dev` now (docs/security.md §2-4), or undefined. */
  function refusal(dev: DeviceConfig, m: SscpDecoded, from: SscpPeer): string | undefined {
    const addr = plainAddress(from.address);
    if (!(deviceAcl.get(dev.name)?.allows(addr) ?? true)) return `Device ${dev.name} may not register from ${addr}`;
    if (dev.secret !== undefined) {
      if (!m.sid || !checkRegisterDigest(dev.secret, dev.name, m.sid, m.fields.authDigest)) return `Device ${dev.name}: authentication failed`;
      if (usedSids.get(dev.name)?.includes(m.sid)) return `Device ${dev.name}: Register replayed (sid ${m.sid} already used)`;
    }
    const s = byDevice.get(dev.name);
    if (s && plainAddress(s.peer.address) !== addr && clock.now() - s.lastRx < ALIVE_INTERVALS * config.server.keepalive * 1000) {
      return `Device ${dev.name} is registered and alive at another address`;
    }
    return undefined;
  }

  function register(m: SscpDecoded, from: SscpPeer): void {
    const name = (m.device ?? '').toUpperCase();
    if (!name) return reject(from, undefined, 'Register without a device id (envelope attribute "device")');
    const dev = config.devices.find((d) => d.name === name) as DeviceConfig | undefined;
    if (!dev) return reject(from, name, `Unknown device ${name}`);
    if (dev.protocol === 'sccp') return reject(from, name, `Device ${name} is configured for SCCP`);
    const why = refusal(dev, m, from);
    if (why) return reject(from, name, why);
    if (!byPeer.has(peerKey(from))) endpoint.accept(from, m);    // the first state kept for this sender
    if (dev.secret !== undefined && m.sid) usedSids.set(name, [m.sid, ...(usedSids.get(name) ?? [])].slice(0, USED_SIDS));
    const slots = typeof m.fields.softkeySlots === 'number' ? m.fields.softkeySlots : 0;
    const other = byPeer.get(peerKey(from));
    if (other && other.name !== name) release(other, `address taken over by ${name}`);
    let s = byDevice.get(name);
    if (s) {
      if (peerKey(s.peer) !== peerKey(from)) {
        log.info(`${name}: re-registered from ${fmt(from)} (was ${s.peerText}); the call state is kept`);
        byPeer.delete(peerKey(s.peer));
        endpoint.forgetPeer(s.peer, 're-registered elsewhere');
        s.peer = from;
      }
      s.softkeySlots = slots;
      s.lastRx = clock.now();
    } else {
      s = new SscpSession(dev, from, slots, host, clock.now());
      byDevice.set(name, s);
      core.attach(name, s);
    }
    byPeer.set(peerKey(from), s);
    core.setCapabilities(name, codecsOf(String(m.fields.codecs ?? '')));
    s.write('RegisterAck', { server: config.server.name, keepAliveS: config.server.keepalive,
      epochS: Math.floor(clock.wallTime().getTime() / 1000) });
    s.sendStatus();
    log.info(`${name} (${s.peerText}): registered over SSCP`);
    events.emit('registered', { protocol: 'sscp', device: name, session: s.id, peer: s.peerText });
  }

  /** A sender without a registration (no transport state is kept for it, docs/security.md §5). */
  function onStranger(m: SscpDecoded, from: SscpPeer): void {
    if (m.name === 'Register') return register(m, from);
    log.debug?.(`SSCP ${m.name} from ${fmt(from)} (${m.device ?? 'no device id'}) refused: not registered from this address`);
    events.emit('refused', { protocol: 'sscp', peer: fmt(from), device: m.device, message: m.name });
    // §5: a KeepAlive the CM cannot place is answered with Reset(ReRegister) — once, rate-limited.
    if (m.name === 'KeepAlive') answerStranger(from, m.device ?? '', { name: 'Reset', fields: { reason: 'ReRegister' } });
  }

  function onMessage(m: SscpDecoded, from: SscpPeer): void {
    if (m.name === 'Register') return register(m, from);
    const s = byPeer.get(peerKey(from));
    if (!s || (m.device !== undefined && m.device.toUpperCase() !== s.name)) {
      log.warn(`SSCP ${m.name} from ${fmt(from)} (${m.device ?? 'no device id'}) refused: not registered as ${m.device ?? 'that device'}`);
      events.emit('refused', { protocol: 'sscp', peer: fmt(from), device: m.device, message: m.name });
      return;
    }
    s.lastRx = clock.now();
    s.dispatch(m);
  }

  const limitMs = EXPIRY_INTERVALS * config.server.keepalive * 1000;
  const supervisor: TimerHandle = clock.setInterval(() => {
    const now = clock.now();
    for (const s of [...byDevice.values()]) {
      if (now - s.lastRx >= limitMs) release(s, `no traffic for ${EXPIRY_INTERVALS} × keepalive ${config.server.keepalive} s`);
    }
  }, SUPERVISION_MS);

  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error) => reject(new Error(`call manager: cannot listen for SSCP on UDP ${o.host}:${o.port}: ${e.message}` +
      ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (hint: another call manager running? set server.sscpPort)' : '')));
    socket.once('error', onErr);
    socket.bind(o.port, o.host, () => { socket.off('error', onErr); resolve(); });
  }).catch(async (e) => { clock.clearInterval(supervisor); await endpoint.close(); socket.close(); throw e; });
  const addr = socket.address();
  log.info(`call manager listening on ${fmt(addr)} (SSCP/UDP)`);

  return {
    port: addr.port,
    address: addr.address,
    registered: () => new Map([...byDevice.values()].map((s) => [s.name, s.peerText])),
    state: () => ({ transportPeers: endpoint.peers, replyLimitEntries: limit.tracked, suppressedReplies: limit.suppressed,
      stats: { ...endpoint.stats } }),
    async close() {
      clock.clearInterval(supervisor);
      for (const s of [...byDevice.values()]) release(s, 'call manager shutting down');
      await endpoint.close();
      await new Promise<void>((r) => socket.close(() => r()));
    },
  };
}
