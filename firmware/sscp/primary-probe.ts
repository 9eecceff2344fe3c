/**
 * Fallback to the primary CM over SSCP, the UDP twin of firmware/sccp/primary-probe.ts: while
 * registered to a backup, the station asks at each keepalive whether the primary answers again.
 * The probe is one sequenced KeepAlive from a fresh socket (so a fresh source port): a CM that does
 * not know the sender answers a KeepAlive with one Reset(ReRegister) (docs/sscp.md §5 "Keepalive",
 * docs/security.md §5), and a CM that does answers KeepAliveAck. Any decodable answer from the
 * primary's address and port means it is up. Nothing is retransmitted and no state stays behind.
 */
import { lookup } from 'node:dns/promises';
import { isIP, isIPv6 } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { SscpEndpoint } from './transport.js';

export interface SscpProbeOptions { host: string; port: number; device: string; clock: Clock; timeoutMs: number }

/** Resolves true when the SSCP call manager at host:port answers a KeepAlive within `timeoutMs`. */
export async function sscpReachable(o: SscpProbeOptions): Promise<boolean> {
  let address: string;
  try { address = isIP(o.host) ? o.host : (await lookup(o.host)).address; } catch { return false; }
  let answered: () => void = () => {};
  const heard = new Promise<void>((r) => { answered = r; });
  const peer = { address, port: o.port };
  const ep = new SscpEndpoint({ clock: o.clock, bind: { address: isIPv6(address) ? '::' : '0.0.0.0' }, peer, device: o.device,
    onMessage: () => answered() });
  let timer: TimerHandle | undefined;
  try {
    await ep.start();
    ep.sendOnce({ name: 'KeepAlive', fields: {} }, peer);
    const timedOut = new Promise<boolean>((r) => { timer = o.clock.setTimeout(() => r(false), o.timeoutMs); });
    return await Promise.race([heard.then(() => true), timedOut]);
  } catch {
    return false; // no socket, or the send failed (no route): not reachable now
  } finally {
    o.clock.clearTimeout(timer);
    await ep.close();
  }
}
