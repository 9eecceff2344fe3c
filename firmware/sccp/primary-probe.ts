/**
 * Fallback to the primary CM, as a 7960 does: while registered to a backup, the station checks at
 * each keepalive whether the primary accepts TCP again, and when it does and the phone is idle
 * (no call, no media stream) it re-registers there (docs/security.md §8).
 */
import { connect } from 'node:net';

/** Resolves true when `host:port` accepts a TCP connection within `timeoutMs` (the probe is closed at once). */
export function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean): void => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
