/**
 * TSP server (docs/tsp.md §3): the TCP service the AddPac TSP DLL / Smart Messenger talks to.
 * Each connection is a session that must `Action % Login` before Dial/Drop; it then receives
 * Notify lines for its own user's terminals only. Frames are handled strictly in order, so
 * Responses come back in request order; Notifies may interleave between them.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { LoginLockout } from './lockout.js';
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
  /** Sessions at once from one address (default 8). */
  maxSessionsPerAddress?: number;
  /** A session that has not logged in is closed after this long without a frame (ms, default 30 s). */
  loginIdleMs?: number;
  /** A logged-in session is closed after this long without a frame (ms, default 1 h). */
  idleMs?: number;
  /** Failed logins from one address before it is locked out (default 5); the lockout doubles each time. */
  lockoutAfter?: number;
  /** First lockout (ms, default 1 s), doubled per further failure, at most `lockoutMaxMs` (default 5 min). */
  lockoutMs?: number;
  lockoutMaxMs?: number;
  /** Time source for idle timers and the lockout (default the system clock). */
  clock?: Clock;
  log?: (line: string) => void;
  /** `--trace`: every frame received and sent (secrets masked). */
  trace?: TraceSink;
}

interface Session {
  socket: Socket; address: string; user?: string; unsubscribe?: () => void; failures: number; chain: Promise<void>;
  idle?: TimerHandle;
}

const fail = (reason: string): TspFrame => ({ kind: 'Response', result: 'Fail', reason });
const ok: TspFrame = { kind: 'Response', result: 'Success' };

export class TspServer {
  private readonly server: Server;
  private readonly live = new Set<Session>();
  /** Every socket accepted, including refused ones still flushing their refusal: close() ends them all. */
  private readonly sockets = new Set<Socket>();
  private readonly perAddress = new Map<string, number>();
  private readonly lockout: LoginLockout;
  private readonly clock: Clock;
  private readonly opts: Required<Omit<TspServerOptions, 'log' | 'clock' | 'trace'>> & Pick<TspServerOptions, 'log' | 'trace'>;

  constructor(opts: TspServerOptions) {
    this.opts = { host: '127.0.0.1', port: 0, maxFrame: TSP_MAX_FRAME, maxAuthFailures: 3, maxSessions: 64,
      maxSessionsPerAddress: 8, loginIdleMs: 30_000, idleMs: 3_600_000, lockoutAfter: 5, lockoutMs: 1000,
      lockoutMaxMs: 300_000, ...opts };
    this.clock = opts.clock ?? new SystemClock();
    this.lockout = new LoginLockout(this.clock, { after: this.opts.lockoutAfter, firstMs: this.opts.lockoutMs, maxMs: this.opts.lockoutMaxMs });
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
  /** Open TCP connections, including refused ones still being torn down. */
  get connections(): number { return this.sockets.size; }

  /** Stops listening and ends every connection, logged in or not, so shutdown never waits on a client. */
  async close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    for (const s of [...this.live]) this.end(s);
    for (const sock of [...this.sockets]) sock.destroy();
    this.lockout.clear();
    await closed;
  }

  private log(s: Session, line: string): void {
    this.opts.log?.(`tsp ${s.socket.remoteAddress}:${s.socket.remotePort}${s.user ? ` (${s.user})` : ''}: ${line}`);
  }

  private accept(socket: Socket): void {
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const s: Session = { socket, address, failures: 0, chain: Promise.resolve() };
    this.sockets.add(socket);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    socket.on('error', (e) => this.log(s, `socket error ${e.message}`));
    socket.on('close', () => {
      this.sockets.delete(socket);
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n > 0) this.perAddress.set(address, n); else this.perAddress.delete(address);
      this.end(s);
    });
    const refuse = this.live.size >= this.opts.maxSessions ? `too many sessions (max ${this.opts.maxSessions})`
      : (this.perAddress.get(address) ?? 0) > this.opts.maxSessionsPerAddress
        ? `too many sessions from ${address} (max ${this.opts.maxSessionsPerAddress})` : undefined;
    if (refuse) {
      // Answer once, then destroy: a client that never reads must not hold the descriptor.
      this.log(s, `refused: ${refuse}`);
      socket.end(encodeTspFrame(fail(refuse)), () => socket.destroy());
      socket.setTimeout(1000, () => socket.destroy());
      return;
    }
    this.live.add(s);
    socket.setNoDelay(true);
    this.touch(s);
    const framer = new TspFramer(this.opts.maxFrame);
    socket.on('data', (chunk) => {
      this.touch(s);
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

  /** (Re)arms the idle timer: short before login, long after. */
  private touch(s: Session): void {
    this.clock.clearTimeout(s.idle);
    const ms = s.user === undefined ? this.opts.loginIdleMs : this.opts.idleMs;
    s.idle = this.clock.setTimeout(() => {
      this.log(s, `idle for ${Math.round(ms / 1000)} s${s.user === undefined ? ' without logging in' : ''}; closing`);
      this.write(s, fail(`idle timeout (${Math.round(ms / 1000)} s)`));
      this.end(s);
    }, ms);
  }

  private write(s: Session, f: TspFrame): void {
    if (!s.socket.destroyed && s.socket.writable) {
      if (this.opts.trace) { const t = tspTrace(f); this.opts.trace('TSP', 'send', `${s.socket.remoteAddress}:${s.socket.remotePort}`, t.name, t.fields); }
      s.socket.write(encodeTspFrame(f));
    }
  }

  private end(s: Session): void {
    this.clock.clearTimeout(s.idle);
    s.idle = undefined;
    s.unsubscribe?.();
    s.unsubscribe = undefined;
    if (this.live.delete(s)) s.socket.destroy();
  }

  private async handle(s: Session, f: TspFrame): Promise<TspFrame> {
    if (f.kind !== 'Action') return fail(`expected an Action, got ${f.kind} (only the server sends ${f.kind})`);
    if (f.action === 'Login') {
      if (s.user !== undefined) return fail(`already authenticated as ${s.user} (Action % Logout first)`);
      const wait = this.lockout.remainingMs(s.address);
      if (wait > 0) {
        this.log(s, `login refused: ${s.address} locked out for ${Math.ceil(wait / 1000)} s after failed logins`);
        return fail(`too many failed logins from ${s.address}; retry in ${Math.ceil(wait / 1000)} s`);
      }
      if (await this.opts.control.authenticate(f.user, f.secret)) {
        s.user = f.user;
        s.failures = 0;
        this.lockout.succeeded(s.address);
        this.touch(s);
        s.unsubscribe = this.opts.control.onCallState(f.user, (ev) => this.write(s, { kind: 'Notify', ...ev }));
        this.log(s, 'authenticated');
        return ok;
      }
      s.failures++;
      this.lockout.failed(s.address);
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
