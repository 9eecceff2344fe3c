/** RTP/RTCP socket pair: RTP on an even port, RTCP on the next odd one (RFC 3550 §11). */
import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

/** Attempts to find a free even/odd port pair before giving up. */
const PAIR_ATTEMPTS = 32;
/** Highest even port whose +1 still exists (16-bit UDP ports). */
const MAX_EVEN_PORT = 65534;

/**
 * dgram's address lookup for every unconnected send(): an IP literal (all our media endpoints, checked
 * by startTransmit) answers at once instead of through dns.lookup, which defers even a literal to
 * process.nextTick (one tick and a closure per packet). Names still go to dns.lookup.
 */
export function literalLookup(host: string, family: unknown, cb: (err: NodeJS.ErrnoException | null, address: string, family: number) => void): void {
  const v = isIP(host);
  if (v) cb(null, host, v);
  else dnsLookup(host, family as number, cb);
}

function bindOne(type: 'udp4' | 'udp6', address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket({ type, reuseAddr: false, lookup: literalLookup as unknown as dgram.SocketOptions['lookup'] });
    sock.once('error', (e) => { sock.close(); reject(e); });
    sock.bind(port, address, () => { sock.removeAllListeners('error'); resolve(sock); });
  });
}

const closeSock = (s: dgram.Socket): Promise<void> => new Promise((r) => s.close(() => r()));

/**
 * Binds [rtp, rtcp] on `address`: an ephemeral even port and port+1. Retries with a new ephemeral
 * port while the port is odd or port+1 is taken. `operation` names the caller in the error.
 */
export async function bindRtpPair(address: string, operation: string): Promise<[dgram.Socket, dgram.Socket]> {
  const type = isIP(address) === 6 ? 'udp6' : 'udp4';
  let lastErr: unknown;
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    let rtp: dgram.Socket;
    try { rtp = await bindOne(type, address, 0); } catch (e) { lastErr = e; break; }   // the address itself is unusable
    const port = rtp.address().port;
    if (port % 2 !== 0 || port >= MAX_EVEN_PORT) { await closeSock(rtp); continue; }
    try {
      return [rtp, await bindOne(type, address, port + 1)];
    } catch (e) {
      lastErr = e;                                  // port+1 taken: try another pair
      await closeSock(rtp);
    }
  }
  throw new Error(`media: ${operation}: cannot bind an even/odd UDP port pair on ${address}: ` +
    `${(lastErr as Error | undefined)?.message ?? `no even port in ${PAIR_ATTEMPTS} attempts`} ` +
    `(hint: check the bind address is an address of this host)`, { cause: lastErr });
}
