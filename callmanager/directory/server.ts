/**
 * The call manager's directory over HTTP (docs/directory.md §3): `GET /directory?name=TEXT`
 * answers a CiscoIPPhoneDirectory (xml.ts) of the CM's lines whose name, label or number contains
 * TEXT; `presence=1` adds our <Presence> extension per entry. Built on node:http with the limits a
 * LAN service needs against hostile clients (docs/security.md §11): the CM's permit/deny, a
 * connection cap in total and per address, header size and URL length caps, header, request and
 * idle timeouts, GET/HEAD only, one request per connection. Nothing a client sends throws.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Acl, plainAddress } from '../acl.js';
import type { LineConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Presence } from '../presence.js';
import { parseDirectoryQuery } from './query.js';
import { directoryXml, matchingLines, MAX_ENTRIES, promptFor } from './xml.js';

/** The path the directory is served at. */
export const DIRECTORY_PATH = '/directory';

export interface DirectoryLimits {
  /** Longest request target (path + query), bytes; longer = 414. */
  maxUrl: number;
  /** All request headers together, bytes; more = 431 (node:http maxHeaderSize). */
  maxHeaderBytes: number;
  /** Time for the request headers to arrive, ms (node:http headersTimeout); then 408. */
  headersTimeoutMs: number;
  /** Time for the whole request, ms (node:http requestTimeout). */
  requestTimeoutMs: number;
  /** A connection with no traffic for this long is closed, ms. */
  idleTimeoutMs: number;
  /** Open connections in total and from one address; more are closed at once. */
  maxConnections: number;
  maxPerAddress: number;
}

export const DEFAULT_LIMITS: DirectoryLimits = {
  maxUrl: 1024, maxHeaderBytes: 8192, headersTimeoutMs: 5000, requestTimeoutMs: 10_000, idleTimeoutMs: 10_000,
  maxConnections: 64, maxPerAddress: 8,
};

export interface DirectoryServerOptions {
  lines: readonly LineConfig[];
  presenceOf(number: string): Presence;
  title: string;
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Who may query (server.permit/deny plus directory.http.permit/deny). */
  acl: Acl;
  log: Logger;
  limits?: Partial<DirectoryLimits>;
}

export class DirectoryServer {
  private readonly server: Server;
  private readonly limits: DirectoryLimits;
  private readonly perAddress = new Map<string, number>();
  private bound: { address: string; port: number } | undefined;

  constructor(private readonly opts: DirectoryServerOptions) {
    const l = this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.server = createServer({
      maxHeaderSize: l.maxHeaderBytes, headersTimeout: l.headersTimeoutMs, requestTimeout: l.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, l.headersTimeoutMs),
    }, (req, res) => this.request(req, res));
    this.server.maxConnections = l.maxConnections;
    this.server.setTimeout(l.idleTimeoutMs, (s: Socket) => s.destroy());
    this.server.on('connection', (s: Socket) => this.connection(s));
    this.server.on('clientError', (e: Error & { code?: string }, s: Socket) => this.clientError(e, s));
  }

  /** Starts listening; resolves with the bound address and port. */
  listen(): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => reject(new Error(`directory HTTP server on ${this.opts.host}:${this.opts.port}: ${e.message}`));
      this.server.once('error', fail);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', fail);
        const a = this.server.address();
        this.bound = typeof a === 'object' && a ? { address: a.address, port: a.port } : { address: this.opts.host, port: this.opts.port };
        this.server.on('error', (e) => this.opts.log.warn(`directory HTTP server: ${e.message}`));
        resolve(this.bound);
      });
    });
  }

  /** `http://HOST:PORT/directory`; a wildcard bind is named by loopback (the CM's own host). */
  get url(): string {
    const b = this.bound ?? { address: this.opts.host, port: this.opts.port };
    const host = b.address === '0.0.0.0' ? '127.0.0.1' : b.address === '::' ? '::1' : b.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${b.port}${DIRECTORY_PATH}`;
  }

  /** Stops listening and drops every open connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) { resolve(); return; }
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private connection(s: Socket): void {
    const peer = plainAddress(s.remoteAddress ?? '');
    if (!this.opts.acl.allows(peer)) {
      this.opts.log.debug?.(`directory: connection from ${peer} refused by permit/deny`);
      s.destroy();
      return;
    }
    const n = (this.perAddress.get(peer) ?? 0) + 1;
    if (n > this.limits.maxPerAddress) {
      this.opts.log.debug?.(`directory: ${peer} has ${n - 1} connections open already (at most ${this.limits.maxPerAddress}); closed`);
      s.destroy();
      return;
    }
    this.perAddress.set(peer, n);
    s.once('close', () => {
      const left = (this.perAddress.get(peer) ?? 1) - 1;
      if (left <= 0) this.perAddress.delete(peer); else this.perAddress.set(peer, left);
    });
  }

  /** A request node:http could not parse (too big, too slow, not HTTP): a short answer, then the connection closes. */
  private clientError(e: Error & { code?: string }, s: Socket): void {
    const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    this.opts.log.debug?.(`directory: bad request from ${s.remoteAddress ?? '?'}: ${e.code ?? e.message}`);
    if (s.writable && e.code !== 'ECONNRESET') s.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else s.destroy();
  }

  private request(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => {});
    req.on('error', () => {});
    res.shouldKeepAlive = false;
    try {
      this.answer(req, res);
    } catch (e) {
      this.opts.log.warn(`directory: ${req.method} ${String(req.url).slice(0, 80)}: ${(e as Error).message}`);
      if (!res.headersSent) this.text(res, 500, 'internal error');
      else res.destroy();
    }
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.text(res, 405, `method ${req.method ?? '?'} not allowed: the directory answers GET and HEAD`);
    }
    const target = req.url ?? '';
    if (Buffer.byteLength(target) > this.limits.maxUrl) return this.text(res, 414, `request target over ${this.limits.maxUrl} bytes`);
    if (!target.startsWith('/')) return this.text(res, 400, 'request target must be a path, e.g. /directory?name=ann');
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    if (path !== DIRECTORY_PATH) return this.text(res, 404, `nothing at ${path.slice(0, 64)}: the directory is at ${DIRECTORY_PATH}`);
    const query = parseDirectoryQuery(q < 0 ? '' : target.slice(q + 1));
    if (typeof query === 'string') return this.text(res, 400, query);
    const found = matchingLines(this.opts.lines, query.name);
    const rows = found.slice(0, MAX_ENTRIES).map((l) => ({
      name: l.name, number: l.number, ...(query.presence ? { presence: this.opts.presenceOf(l.number) } : {}),
    }));
    const body = directoryXml(this.opts.title, promptFor(rows.length, found.length, query.name), rows);
    res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
    res.end(body);
  }

  private text(res: ServerResponse, status: number, message: string): void {
    const body = `${message}\n`;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
}
