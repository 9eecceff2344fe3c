/**
 * The SCCP phone's corporate directory (docs/directory.md §4): what CUCM and Asterisk setups serve
 * SCCP phones over HTTP, a CiscoIPPhoneDirectory document. `search(name)` fetches
 * `<directoryUrl>?name=<name>&presence=1` with a timeout on the injected clock and a size cap,
 * checks the status and content type, and parses the answer (xml-directory-parse.ts). A
 * `{cm}` in the URL stands for the host of the call manager the phone registers with.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { DirectoryEntry } from '../station/signalling.js';
import { DirectoryError, parseCiscoDirectory } from './xml-directory-parse.js';

export { DirectoryError } from './xml-directory-parse.js';

/** A directory answer is a few KiB (32 entries); more than this is not a directory (docs/directory.md §4). */
export const DEFAULT_MAX_BYTES = 64 * 1024;
/** How long a search may take before the phone says the directory did not answer. */
export const DEFAULT_TIMEOUT_MS = 5000;
/** The placeholder for the registered call manager's host. */
export const CM_PLACEHOLDER = '{cm}';

export type FetchFn = (url: string, init: { signal: AbortSignal; headers: Record<string, string>; redirect: 'error' }) => Promise<Response>;

export interface XmlDirectoryOptions {
  /** http(s) URL of the CiscoIPPhoneDirectory, e.g. http://{cm}:8080/directory. */
  url: string;
  clock: Clock;
  /** Host of the call manager the phone uses now (for `{cm}`). */
  cmHost: () => string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Default: the global fetch (tests inject one). */
  fetch?: FetchFn;
}

/** `template` with `{cm}` replaced by `cmHost` (bracketed when IPv6); undefined when it is no http(s) URL. */
export function resolveDirectoryUrl(template: string, cmHost: string): URL | undefined {
  const host = cmHost.includes(':') && !cmHost.startsWith('[') ? `[${cmHost}]` : cmHost;
  try {
    const u = new URL(template.split(CM_PLACEHOLDER).join(host));
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch { return undefined; }
}

/** The request URL of a search: the directory URL's own query kept, `name` and `presence=1` set. */
export function searchUrl(base: URL, name: string): string {
  const u = new URL(base.href);
  u.searchParams.set('name', name);
  u.searchParams.set('presence', '1');
  return u.href;
}

export class XmlDirectory {
  private readonly fetch: FetchFn;
  constructor(private readonly opts: XmlDirectoryOptions) {
    this.fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Entries whose name or number contains `name` ('' = all); rejects with a DirectoryError naming the URL. */
  async search(name: string): Promise<DirectoryEntry[]> {
    const base = resolveDirectoryUrl(this.opts.url, this.opts.cmHost());
    if (!base) throw new DirectoryError(this.opts.url, 'not an http:// or https:// URL');
    const url = searchUrl(base, name);
    const ms = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ac = new AbortController();
    const timer = this.opts.clock.setTimeout(() => ac.abort(new DirectoryError(url, `no answer within ${ms} ms`)), ms);
    try {
      const res = await this.fetch(url, { signal: ac.signal, headers: { Accept: 'text/xml' }, redirect: 'error' })
        .catch((e: Error) => { throw ac.signal.aborted ? ac.signal.reason as Error : new DirectoryError(url, `request failed: ${causeOf(e)}`); });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => {});
        throw new DirectoryError(url, `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
      }
      const type = res.headers.get('content-type') ?? '';
      if (type !== '' && !/^(text|application)\/xml\b/i.test(type)) {
        await res.body?.cancel().catch(() => {});
        throw new DirectoryError(url, `Content-Type "${type.slice(0, 40)}", expected text/xml`);
      }
      const bytes = await readCapped(res, url, this.opts.maxBytes ?? DEFAULT_MAX_BYTES, ac.signal);
      return parseCiscoDirectory(bytes, url, charsetOf(type));
    } finally {
      this.opts.clock.clearTimeout(timer);
    }
  }
}

/** The body, at most `max` bytes (Content-Length checked first, then the bytes as they come). */
async function readCapped(res: Response, url: string, max: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new DirectoryError(url, `answer of ${declared} bytes, at most ${max}`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  // A body that stalls is cut off by the timeout too (fetch's own abort covers only its streams).
  const stop = () => { reader.cancel(signal.reason).catch(() => {}); };
  signal.addEventListener('abort', stop, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal.aborted) throw signal.reason as Error;
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw new DirectoryError(url, `answer over ${max} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (signal.aborted) throw signal.reason as Error;
    throw e instanceof DirectoryError ? e : new DirectoryError(url, `reading the answer: ${causeOf(e as Error)}`);
  } finally {
    signal.removeEventListener('abort', stop);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out;
}

/** The charset parameter of a Content-Type, lower case; undefined when absent. */
function charsetOf(type: string): string | undefined {
  return /;\s*charset="?([\w-]+)"?/i.exec(type)?.[1]?.toLowerCase();
}

/** fetch wraps socket errors in "fetch failed" with the real one as `cause`. */
function causeOf(e: Error): string {
  const c = (e as Error & { cause?: Error & { code?: string } }).cause;
  return c ? `${c.code ?? ''} ${c.message}`.trim() : e.message;
}
