/**
 * Protocol tracing (`--trace`), shared by SCCP, SSCP and TSP on both ends (stations and the call
 * manager): each message sent or received, decoded, as one line like Asterisk's `skinny debug`:
 *   SCCP → 127.0.0.1:2000 Register deviceName="SEP000000000001" userId=0 instance=1 ...
 */
export type TraceProtocol = 'SCCP' | 'SSCP' | 'TSP';
export type TraceDirection = 'send' | 'recv';
/** Receives every message of one endpoint; absent = tracing off (no formatting cost). */
export type TraceSink = (proto: TraceProtocol, dir: TraceDirection, peer: string, name: string, fields: Readonly<Record<string, unknown>>) => void;

/** Longest rendering of one field value before it is cut (a softkey template is kilobytes). */
const MAX_VALUE_CHARS = 160;

function value(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  let s: string;
  try { s = typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? String(v) : JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…(${s.length} chars)` : s;
}

/** One trace line: protocol, arrow (→ sent, ← received), peer, message name, fields as key=value. */
export function formatTrace(proto: TraceProtocol, dir: TraceDirection, peer: string, name: string, fields: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${value(v)}`);
  return `${proto} ${dir === 'send' ? '→' : '←'} ${peer} ${name}${parts.length ? ` ${parts.join(' ')}` : ''}`;
}

/** A TraceSink writing formatted lines to `write` (a logger's trace level). */
export function traceTo(write: (line: string) => void): TraceSink {
  return (proto, dir, peer, name, fields) => write(formatTrace(proto, dir, peer, name, fields));
}
