/**
 * A rig agent's address as written on a command line or in a rig file (docs/hil.md). Apart from
 * the client (client.ts) so that `deskphone phone` parses --rig-listen without loading the rig
 * protocol's request schema (zod).
 */
export interface AgentAddress { host: string; port: number }

/** "host:port" or "[v6]:port"; port 0 (any free port) only where a listener may take it. */
export function parseHostPort(s: string, what: string, opts: { allowZero?: boolean } = {}): AgentAddress {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
  if (!m || Number(m[2]) < (opts.allowZero ? 0 : 1) || Number(m[2]) > 65535) throw new Error(`${what} "${s}": expected HOST:PORT (e.g. 127.0.0.1:7700)`);
  return { host: m[1]!, port: Number(m[2]) };
}
