/**
 * The runner's side of the rig agent protocol (protocol.ts, docs/hil.md): one connection per
 * board, request/response by id, and a mirror of the board's state kept current by the agent's
 * pushed `state` events, so the runner's observations (LCD, lamps, ringer) read it without a
 * round trip. Hearing questions go to the board (its earpiece is analysed there).
 */
import { connect, type Socket } from 'node:net';
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { OnBoardHearing, PhoneUnderTest } from '../scenario/rig.js';
import type { HeardTone } from '../scenario/hearing.js';
import type { MusicVerdict } from '../scenario/music.js';
import {
  LineSplitter, MAX_RESPONSE_LINE, RIG_PROTOCOL_VERSION, type BoardInfo, type BoardState, type RigEvent, type RigResponse,
} from './protocol.js';

/** A request the agent answered with an error, or that could not be sent. */
export class RigAgentError extends Error {
  constructor(readonly agent: string, readonly op: string, readonly code: string, message: string) {
    super(`rig agent ${agent}: ${op}: ${message}${code ? ` (${code})` : ''}`);
    this.name = 'RigAgentError';
  }
}

import type { AgentAddress } from './address.js';

export { parseHostPort, type AgentAddress } from './address.js';

/** Per-request time limits: the agent answers at once except for taps/hook moves (debounce) and reset (re-registration). */
const REQUEST_TIMEOUT_MS = 10_000;
const RESET_TIMEOUT_MS = 30_000;

export class AgentConnection {
  info!: BoardInfo;
  state: BoardState = { screen: [], lamps: {}, ringer: 'off', offHook: false, station: 'unregistered' };
  /** Measured round trip of `hello` (ms): the runner adds a margin for it to every wait. */
  rttMs = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { op: string; resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly stateListeners = new Set<() => void>();
  private closed: Error | undefined;

  private constructor(private readonly sock: Socket, readonly label: string) {
    sock.setEncoding('utf8');
    sock.setNoDelay(true);
    const lines = new LineSplitter(MAX_RESPONSE_LINE, (l) => this.onLine(l), () => sock.destroy(new Error(`a line longer than ${MAX_RESPONSE_LINE} bytes`)));
    sock.on('data', (c: string) => lines.push(c));
    sock.on('error', (e) => { this.closed ??= e; });
    sock.on('close', () => {
      const why = this.closed ?? new Error('connection closed');
      this.closed = why;
      for (const [id, p] of this.pending) { clearTimeout(p.timer); p.reject(new RigAgentError(label, p.op, 'CLOSED', why.message)); this.pending.delete(id); }
    });
  }

  /** Connects, says hello with the token, and starts watching the board's state. */
  static async open(addr: AgentAddress, token: string, label = `${addr.host}:${addr.port}`): Promise<AgentConnection> {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = connect(addr.port, addr.host);
      s.once('connect', () => { s.off('error', reject); resolve(s); });
      s.once('error', (e) => reject(new RigAgentError(label, 'connect', '', `${e.message} (is "deskphone phone … --rig-listen" running there?)`)));
    });
    const c = new AgentConnection(sock, label);
    const t0 = performance.now();
    try {
      c.info = await c.request('hello', { version: RIG_PROTOCOL_VERSION, token }) as BoardInfo;
    } catch (e) { sock.destroy(); throw e; }
    c.rttMs = performance.now() - t0;
    c.state = await c.request('state') as BoardState;
    await c.request('watch', { on: true });
    return c;
  }

  request(op: string, args: Record<string, unknown> = {}, timeoutMs = op === 'reset' || op === 'restart' ? RESET_TIMEOUT_MS : REQUEST_TIMEOUT_MS): Promise<unknown> {
    if (this.closed) return Promise.reject(new RigAgentError(this.label, op, 'CLOSED', this.closed.message));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RigAgentError(this.label, op, 'TIMEOUT', `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { op, resolve, reject, timer });
      this.sock.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  onState(cb: () => void): () => void { this.stateListeners.add(cb); return () => { this.stateListeners.delete(cb); }; }

  /** Resolves when `pred(state)` holds, or rejects after `timeoutMs`. */
  waitFor(pred: (s: BoardState) => boolean, timeoutMs: number, what: string): Promise<void> {
    if (pred(this.state)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.onState(() => { if (pred(this.state)) { clearTimeout(timer); off(); resolve(); } });
      const timer = setTimeout(() => { off(); reject(new RigAgentError(this.label, 'wait', 'TIMEOUT', `${what} not seen within ${timeoutMs} ms (station: ${this.state.station})`)); }, timeoutMs);
    });
  }

  close(): void { this.sock.end(); this.sock.destroy(); }

  private onLine(line: string): void {
    let msg: RigResponse | RigEvent;
    try { msg = JSON.parse(line) as RigResponse | RigEvent; } catch { this.sock.destroy(new Error('the agent sent a line that is not JSON')); return; }
    if ('ev' in msg) {
      if (msg.ev === 'state') { this.state = msg.state; for (const cb of [...this.stateListeners]) cb(); }
      return;
    }
    const p = msg.id === null ? undefined : this.pending.get(msg.id);
    if (!p) {
      if (!msg.ok) this.closed ??= new Error(`${msg.error.message} (${msg.error.code})`);
      return;
    }
    this.pending.delete(msg.id!);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new RigAgentError(this.label, p.op, msg.error.code, msg.error.message));
  }
}

/** A scenario phone played by a board behind an agent. */
export class RemotePhone implements PhoneUnderTest {
  readonly ringerOffIsImmediate: boolean;
  readonly hearing: OnBoardHearing;
  /** Last raw audio fetched with fetchAudio() (heard() returns it). */
  private lastAudio = { samples: new Int16Array(0), sampleRate: 8000 };

  constructor(readonly name: string, readonly agent: AgentConnection, readonly micFrequency = agent.info.micFrequency) {
    this.ringerOffIsImmediate = agent.info.ringerSource === 'driver+wire';
    this.hearing = {
      tone: async (windowMs) => await agent.request('tone', { windowMs }) as HeardTone,
      present: async (freqs, ms) => await agent.request('hears', { freqs: [...freqs], ms }) as boolean,
      describe: async (extra) => await agent.request('describe', { extra: [...extra] }) as string,
      music: async (exclude, ms) => await agent.request('music', { exclude: [...exclude], ms }) as MusicVerdict,
    };
  }

  /** Network round trip plus the push period: how much later than on the board an observation arrives here. */
  get latencyMs(): number { return Math.ceil(this.agent.rttMs * 2) + 50; }

  async lift(): Promise<void> { await this.agent.request('hook', { offHook: true }); }
  async replace(): Promise<void> { await this.agent.request('hook', { offHook: false }); }
  async tap(key: string): Promise<void> { await this.agent.request('tap', { key }); }
  lcd(): string[] { return this.agent.state.screen; }
  softkeyCount(): number { return this.agent.info.softkeyCount; }
  lamps(): Record<string, LampMode> { return this.agent.state.lamps as Record<string, LampMode>; }
  ringer(): RingMode { return this.agent.state.ringer as RingMode; }
  receiveCodec(): string | undefined { return this.agent.state.codec; }
  async restart(): Promise<void> { await this.agent.request('restart'); }
  /** The raw audio last fetched with fetchAudio() (the runner asks `hearing` instead). */
  heard(_ms: number): { samples: Int16Array; sampleRate: number } { return this.lastAudio; }

  /** Raw earpiece audio (the last `ms`), e.g. to save a failing scenario's audio. */
  async fetchAudio(ms: number): Promise<{ samples: Int16Array; sampleRate: number }> {
    const r = await this.agent.request('audio', { ms }) as { sampleRate: number; samples: string };
    const bytes = Buffer.from(r.samples, 'base64');
    const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));
    this.lastAudio = { samples, sampleRate: r.sampleRate };
    return this.lastAudio;
  }
}
