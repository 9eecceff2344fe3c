/**
 * TSP server (docs/tsp.md §3): the TCP service the AddPac TSP DLL / Smart Messenger talks to.
 * Each connection is a session that must `Action % Login` before Dial/Drop; it then receives
 * Notify lines for its own user's terminals only. Frames are handled strictly in order, so
 * Responses come back in request order; Notifies may interleave between them.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeTspFrame, normaliseDialAddress, TSP_MAX_FRAME, TspFramer, tspTrace, type TspFrame } from './codec.js';
import type { TraceSink } from '../../firmware/station/trace.js';
import type { ThirdPartyControl, TspResult } from './control.js';

export interface TspServerOptions {
  control: ThirdPartyControl;
  /** Default 127.0.0.1: third-party control is a local service unless configured otherwise. */
  host?: string;
  /** Default 0 (any free port); the AddPac deployments have no fixed port, see docs/tsp.md §3. */
  port?: number;
  maxFrame?: number;
  /** Failed logins before the session is closed (default 3). */
  maxAuthFailures?: number;
  /** Sessions at once (default 64). */
  maxSessions?: number;
  log?: (line: string) => void;
  /** `--trace`: every frame received and sent (secrets masked). */
  trace?: TraceSink;
}

interface Session { socket: Socket; user?: string; unsubscribe?: () => void; failures: number; chain: Promise<void> }

const fail = (reason: string): TspFrame => ({ kind: 'Response', result: 'Fail', reason });
const ok: TspFrame = { kind: 'Response', result: 'Success' };

export class TspServer {
  private readonly server: Server;
  private readonly live = new Set<Session>();
  private readonly opts: Required<Omit<TspServerOptions, 'log' | 'trace'>> & Pick<TspServerOptions, 'log' | 'trace'>;

  constructor(opts: TspServerOptions) {
    this.opts = { host: '127.0.0.1', port: 0, maxFrame: TSP_MAX_FRAME, maxAuthFailures: 3, maxSessions: 64, ...opts };
    this.server = createServer((s) => this.accept(s));
  }

  /** Starts listening; resolves with the bound address (port 0 → the chosen port). */
  listen(): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (e) => reject(new Error(`TSP listen on ${this.opts.host}:${this.opts.port}: ${e.message}`)));
      this.server.listen(this.opts.port, this.opts.host, () => {
        const a = this.server.address();
        if (a && typeof a === 'object') resolve({ address: a.address, port: a.port });
      });
    });
  }

  get sessions(): number { return this.live.size; }

  async close(): Promise<void> {
    for (const s of this.live) this.end(s);
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private log(s: Session, line: string): void {
    this.opts.log?.(`tsp ${s.socket.remoteAddress}:${s.socket.remotePort}${s.user ? ` (${s.user})` : ''}: ${line}`);
  }

  private accept(socket: Socket): void {
    const s: Session = { socket, failures: 0, chain: Promise.resolve() };
    socket.on('error', (e) => this.log(s, `socket error ${e.message}`));
    socket.on('close', () => this.end(s));
    if (this.live.size >= this.opts.maxSessions) {
      socket.end(encodeTspFrame(fail(`too many sessions (max ${this.opts.maxSessions})`)));
      return;
    }
    this.live.add(s);
    socket.setNoDelay(true);
    const framer = new TspFramer(this.opts.maxFrame);
    socket.on('data', (chunk) => {
      for (const item of framer.push(chunk)) {
        if ('error' in item) {
          this.log(s, item.error.message);
          const reply = fail(item.error.message);
          s.chain = s.chain.then(() => this.write(s, reply));
          if (item.fatal) s.chain = s.chain.then(() => { socket.end(); });
          continue;
        }
        const frame = item.frame;
        if (this.opts.trace) { const t = tspTrace(frame); this.opts.trace('TSP', 'recv', `${socket.remoteAddress}:${socket.remotePort}`, t.name, t.fields); }
        s.chain = s.chain.then(() => this.handle(s, frame)).then((r) => this.write(s, r), (e: Error) => {
          this.log(s, `control error: ${e.message}`);
          this.write(s, fail(`internal error: ${e.message}`));
        });
      }
    });
  }

  private write(s: Session, f: TspFrame): void {
    if (!s.socket.destroyed && s.socket.writable) {
      if (this.opts.trace) { const t = tspTrace(f); this.opts.trace('TSP', 'send', `${s.socket.remoteAddress}:${s.socket.remotePort}`, t.name, t.fields); }
      s.socket.write(encodeTspFrame(f));
    }
  }

  private end(s: Session): void {
    s.unsubscribe?.();
    s.unsubscribe = undefined;
    if (this.live.delete(s)) s.socket.destroy();
  }

  private async handle(s: Session, f: TspFrame): Promise<TspFrame> {
    if (f.kind !== 'Action') return fail(`expected an Action, got ${f.kind} (only the server sends ${f.kind})`);
    if (f.action === 'Login') {
      if (s.user !== undefined) return fail(`already authenticated as ${s.user} (Action % Logout first)`);
      if (await this.opts.control.authenticate(f.user, f.secret)) {
        s.user = f.user;
        s.failures = 0;
        s.unsubscribe = this.opts.control.onCallState(f.user, (ev) => this.write(s, { kind: 'Notify', ...ev }));
        this.log(s, 'authenticated');
        return ok;
      }
      s.failures++;
      this.log(s, `authentication failed for ${f.user} (${s.failures}/${this.opts.maxAuthFailures})`);
      if (s.failures >= this.opts.maxAuthFailures) {
        setImmediate(() => s.socket.end());
        return fail(`authentication failed; closing after ${s.failures} attempts`);
      }
      return fail('authentication failed');
    }
    const user = s.user;
    if (user === undefined) return fail(`not authenticated: send a Login action before ${f.action}`);
    let r: TspResult;
    switch (f.action) {
      case 'Logout':
        s.unsubscribe?.();
        s.unsubscribe = undefined;
        s.user = undefined;
        return ok;
      case 'Dial': {
        const address = normaliseDialAddress(f.address);
        if (!address) return fail(`cannot dial ${JSON.stringify(f.address)}: expected digits, * # and a leading +`);
        r = await this.opts.control.dial(user, address);
        break;
      }
      case 'Drop':
        r = await this.opts.control.drop(user, f.callId);
        break;
    }
    this.log(s, `${f.action} → ${r.ok ? 'Success' : `Fail ${r.reason ?? ''}`}`);
    return r.ok ? ok : fail(r.reason ?? `${f.action} refused`);
  }
}
