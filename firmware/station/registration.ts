/**
 * The registration engine shared by the SCCP and SSCP stations: the list of up to three call
 * managers (CUCM groups hold up to three), failover (next CM, round robin), exponential backoff,
 * the register timeout, keepalive supervision, the SignallingEvent listeners and the registration
 * state. A protocol supplies only a RegistrationLink (open a session to one CM and send its
 * Register; close it) and calls `registered()` / `drop()` from its message mapping.
 */
import type { Clock, TimerHandle } from '../../hal/api/clock.js';
import type { RegistrationState, SignallingEvent } from './signalling.js';

export type StationLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StationLog = (level: StationLogLevel, msg: string, ctx?: Record<string, unknown>) => void;

export interface CmServer { host: string; port: number }

/** What a protocol supplies to the engine. */
export interface RegistrationLink {
  /** Opens a session to `server` and sends Register; `attempt` identifies it (see `isCurrent`). */
  open(server: CmServer, attempt: number): void;
  /** Releases the current session; `unregister` when the station was registered and is stopping. */
  close(opts: { unregister: boolean }): void | Promise<void>;
}

export interface RegistrationOptions {
  /** 'SCCP' | 'SSCP': the prefix of log lines. */
  protocol: string;
  servers: CmServer[];
  clock: Clock;
  log: StationLog;
  /** Backoff between attempts: initialMs, doubled per failure up to maxMs. */
  reconnect: { initialMs: number; maxMs: number };
  /** Longest wait after a rejection (RegisterReject), when longer than `reconnect.maxMs`. */
  rejectedMaxMs?: number;
  /** "host:port" of a server (default `${host}:${port}`). */
  formatServer?: (s: CmServer) => string;
  /** A zero-delay retry (Reset from the CM) reconnects at once instead of on a 0 ms timer. */
  retryZeroDelayAtOnce?: boolean;
}

/** Checks the 1..3 call managers; `owner` and `transport`/`hint` go into the error. */
export function checkServers(servers: CmServer[] | undefined, owner: string, transport: string, hint: string): void {
  if (!Array.isArray(servers) || servers.length < 1 || servers.length > 3) {
    throw new Error(`${owner}: servers must list 1..3 call managers, got ${servers?.length ?? 'none'}`);
  }
  for (const [i, s] of servers.entries()) {
    if (!s.host || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
      throw new Error(`${owner}: servers[${i}] ${JSON.stringify(s)} needs a host and a ${transport} port 1..65535 (${hint})`);
    }
  }
}

export class RegistrationEngine {
  private readonly listeners = new Set<(ev: SignallingEvent) => void>();
  private st: RegistrationState = 'unregistered';
  private running = false;
  private serverIndex = 0;
  private failures = 0;
  private attempt = 0;
  private retryTimer: TimerHandle | undefined;
  private registerTimer: TimerHandle | undefined;
  private keepAliveTimer: TimerHandle | undefined;
  private missedAcks = 0;
  private stopSupervision: (() => void) | undefined;

  constructor(private readonly opts: RegistrationOptions, private readonly link: RegistrationLink) {}

  get state(): RegistrationState { return this.st; }
  get isRunning(): boolean { return this.running; }
  /** "host:port" of the CM registered with or being tried. */
  get server(): string {
    const s = this.opts.servers[this.serverIndex]!;
    return this.opts.formatServer ? this.opts.formatServer(s) : `${s.host}:${s.port}`;
  }
  /** The CM registered with or being tried. */
  get current(): CmServer { return this.opts.servers[this.serverIndex]!; }
  /** True while `attempt` (from `open`) is the current one and the station runs. */
  isCurrent(attempt: number): boolean { return attempt === this.attempt && this.running; }

  onEvent(cb: (ev: SignallingEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  emit(ev: SignallingEvent): void {
    for (const cb of [...this.listeners]) {
      try { cb(ev); } catch (e) { this.opts.log('error', `SignallingEvent listener threw on ${ev.type}: ${(e as Error).message}`); }
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.clearSupervision();
    this.opts.clock.clearTimeout(this.retryTimer);
    const closing = this.link.close({ unregister: this.st === 'registered' });
    if (closing) await closing;
    this.setState('unregistered', 'stopped');
  }

  /** Register sent: drop the session (→ next CM) unless `registered()` comes within `ms`. */
  armRegisterTimeout(ms: number, reason: string): void {
    this.opts.clock.clearTimeout(this.registerTimer);
    this.registerTimer = this.opts.clock.setTimeout(() => this.drop('lost', reason), ms);
  }

  /** RegisterAck: the backoff starts over. `reason` goes into the registration event. */
  registered(reason?: string): void {
    this.opts.clock.clearTimeout(this.registerTimer);
    this.registerTimer = undefined;
    this.failures = 0;
    this.missedAcks = 0;
    this.setState('registered', reason);
  }

  /**
   * Station-driven keepalive (SCCP): every `intervalMs` sends one; after `maxMissed` unanswered
   * ones the CM counts as lost. `keepAliveAck()` answers.
   */
  superviseKeepalive(intervalMs: number, maxMissed: number, send: () => void, ackName: string): void {
    this.opts.clock.clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = this.opts.clock.setInterval(() => {
      if (this.missedAcks >= maxMissed) { this.drop('lost', `${maxMissed} ${ackName}s missed`); return; }
      this.missedAcks++;
      send();
    }, intervalMs);
  }

  keepAliveAck(): void { this.missedAcks = 0; }

  /** Registered with (or trying) a backup: not the first call manager of the list. */
  get onBackup(): boolean { return this.serverIndex !== 0; }
  get primary(): CmServer { return this.opts.servers[0]!; }
  /** Leaves the current (backup) CM for the primary at once; the caller has unregistered. */
  returnToPrimary(reason: string): void {
    this.serverIndex = 0;
    this.drop('lost', reason, { sameServer: true, delayMs: 0 });
  }

  /** A supervision run by the transport (SSCP reliable keepalive); `stop` is called on drop/stop. */
  supervise(stop: () => void): void {
    this.stopSupervision?.();
    this.stopSupervision = stop;
  }

  /** Ends the current session and schedules the next attempt: next CM (round robin), exponential backoff. */
  drop(state: 'lost' | 'rejected', reason: string, o: { sameServer?: boolean; delayMs?: number } = {}): void {
    this.clearSupervision();
    void this.link.close({ unregister: false });
    if (!this.running) return;
    this.opts.log(state === 'lost' ? 'warn' : 'error', `${this.opts.protocol} ${state} (${this.server}): ${reason}`, { server: this.server });
    this.setState(state, reason);
    const r = this.opts.reconnect;
    const cap = state === 'rejected' ? Math.max(r.maxMs, this.opts.rejectedMaxMs ?? 0) : r.maxMs;
    const delay = o.delayMs ?? Math.min(cap, r.initialMs * 2 ** this.failures);
    if (o.delayMs === undefined) this.failures++;
    if (!o.sameServer) this.serverIndex = (this.serverIndex + 1) % this.opts.servers.length;
    this.opts.clock.clearTimeout(this.retryTimer);
    this.attempt++;
    if (delay === 0 && this.opts.retryZeroDelayAtOnce) this.connect();
    else this.retryTimer = this.opts.clock.setTimeout(() => this.connect(), delay);
  }

  private setState(state: RegistrationState, reason?: string): void {
    this.st = state;
    this.emit({ type: 'registration', state, server: this.server, ...(reason !== undefined ? { reason } : {}) });
  }

  private clearSupervision(): void {
    this.opts.clock.clearTimeout(this.registerTimer);
    this.opts.clock.clearInterval(this.keepAliveTimer);
    this.registerTimer = this.keepAliveTimer = undefined;
    this.stopSupervision?.();
    this.stopSupervision = undefined;
  }

  private connect(): void {
    if (!this.running) return;
    const attempt = ++this.attempt;
    const server = this.opts.servers[this.serverIndex]!;
    this.setState('registering');
    this.link.open(server, attempt);
  }
}
