/**
 * The rig agent (`deskphone phone … --rig-listen ADDR:PORT`): serves one BoardUnderTest over the
 * JSON-lines protocol of protocol.ts (docs/hil.md). Off unless started; binds where it is told
 * (the CLI defaults to loopback); a connection that does not open with `hello` and the right token
 * within HELLO_TIMEOUT_MS is refused and closed. Tone analysis runs here, on the board, with the
 * scenario runner's own classifier (src/scenario/hearing.ts); raw audio only on request.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../hal/api/clock.js';
import { describeHeard, identifyTone, present } from '../scenario/hearing.js';
import { musicHeard } from '../scenario/music.js';
import type { Logger } from '../node/logger.js';
import type { BoardUnderTest } from './board-under-test.js';
import {
  HELLO_TIMEOUT_MS, LineSplitter, MAX_REQUEST_LINE, RIG_PROTOCOL_VERSION, requestSchema,
  type BoardState, type RigErrorCode, type RigRequest,
} from './protocol.js';

/** How often the agent looks for state changes to push to watching clients (ms). */
const WATCH_PERIOD_MS = 20;
/** Window of the `describe` report: the same 200 ms the runner's failure report uses (docs/scenarios.md). */
const DESCRIBE_MS = 200;

export interface RigAgentOptions {
  board: BoardUnderTest;
  host: string;
  port: number;
  token: string;
  clock: Clock;
  log: Logger;
  /** Default HELLO_TIMEOUT_MS. */
  helloTimeoutMs?: number;
}

export interface RigAgent {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

class RequestError extends Error {
  constructor(readonly code: RigErrorCode, message: string) { super(message); }
}

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8'), y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startRigAgent(o: RigAgentOptions): Promise<RigAgent> {
  if (o.token.length < 8) throw new Error('rig agent: the token must have at least 8 characters (--rig-token / --rig-token-file)');
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => serve(sock));
  // One board, one driver of it: requests from every connection run in order.
  let queue: Promise<unknown> = Promise.resolve();

  function serve(sock: Socket): void {
    sockets.add(sock);
    const peer = `${sock.remoteAddress}:${sock.remotePort}`;
    let authed = false;
    let watchTimer: ReturnType<Clock['setInterval']> | undefined;
    let lastPushed = '';
    const send = (obj: unknown): void => { if (!sock.destroyed) sock.write(`${JSON.stringify(obj)}\n`); };
    const fail = (id: number | null, code: RigErrorCode, message: string): void => send({ id, ok: false, error: { code, message } });
    const refuse = (id: number | null, code: RigErrorCode, message: string): void => {
      o.log.warn(`rig agent: refused ${peer}: ${message}`);
      fail(id, code, message);
      sock.end();
    };
    const helloMs = o.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
    const helloTimer = o.clock.setTimeout(() => { if (!authed) refuse(null, 'AUTH', `no hello with a token within ${helloMs} ms`); }, helloMs);
    const stopWatch = (): void => { if (watchTimer !== undefined) o.clock.clearInterval(watchTimer); watchTimer = undefined; };
    const push = (): void => {
      let state: BoardState;
      try { state = o.board.state(); } catch (e) { o.log.warn(`rig agent: reading the board failed: ${(e as Error).message}`); return; }
      const text = JSON.stringify(state);
      if (text !== lastPushed) { lastPushed = text; send({ ev: 'state', state }); }
    };
    sock.setEncoding('utf8');
    sock.setNoDelay(true);
    const lines = new LineSplitter(MAX_REQUEST_LINE, (line) => {
      let raw: unknown;
      try { raw = JSON.parse(line); } catch (e) { return fail(null, 'BAD_REQUEST', `not JSON: ${(e as Error).message}`); }
      const parsed = requestSchema.safeParse(raw);
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : null;
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const msg = `${issue.path.join('.') || 'request'}: ${issue.message}`;
        return authed ? fail(id, 'BAD_REQUEST', msg) : refuse(id, 'AUTH', `the first request must be hello with a token (${msg})`);
      }
      const req = parsed.data;
      if (!authed) {
        if (req.op !== 'hello') return refuse(req.id, 'AUTH', 'the first request must be hello with a token');
        if (!tokensEqual(req.token, o.token)) return refuse(req.id, 'AUTH', 'wrong token');
        if (req.version !== RIG_PROTOCOL_VERSION) return refuse(req.id, 'VERSION', `protocol version ${req.version} is not spoken here (agent speaks ${RIG_PROTOCOL_VERSION})`);
        authed = true;
        o.clock.clearTimeout(helloTimer);
        o.log.info(`rig agent: ${peer} connected`);
        return send({ id: req.id, ok: true, result: { version: RIG_PROTOCOL_VERSION, ...o.board.info() } });
      }
      if (req.op === 'hello') return fail(req.id, 'BAD_REQUEST', 'hello was already said on this connection');
      if (req.op === 'watch') {
        stopWatch();
        if (req.on) { lastPushed = ''; push(); watchTimer = o.clock.setInterval(push, WATCH_PERIOD_MS); }
        return send({ id: req.id, ok: true, result: null });
      }
      const run = queue.then(() => handle(req));
      queue = run.catch(() => {});
      run.then((result) => send({ id: req.id, ok: true, result: result ?? null }), (e: unknown) => {
        if (e instanceof RequestError) fail(req.id, e.code, e.message);
        else fail(req.id, 'FAILED', `${req.op}: ${(e as Error).message}`);
      });
    }, () => refuse(null, 'BAD_REQUEST', `request line longer than ${MAX_REQUEST_LINE} bytes`));
    sock.on('data', (chunk: string) => lines.push(chunk));
    sock.on('error', (e) => o.log.debug(`rig agent: ${peer}: ${e.message}`));
    sock.on('close', () => { stopWatch(); o.clock.clearTimeout(helloTimer); sockets.delete(sock); });
  }

  const keyCheck = (key: string): void => {
    const keys = o.board.info().keys;
    if (!keys.includes(key)) throw new RequestError('NO_SUCH_KEY', `no key "${key}" on this board (keys: ${keys.join(' ')})`);
  };

  async function handle(req: Exclude<RigRequest, { op: 'hello' | 'watch' }>): Promise<unknown> {
    const b = o.board;
    switch (req.op) {
      case 'tap': keyCheck(req.key); return b.tap(req.key, req.holdMs);
      case 'press': keyCheck(req.key); return b.press(req.key);
      case 'release': keyCheck(req.key); return b.release(req.key);
      case 'hook': return b.setHook(req.offHook);
      case 'headset':
        try { return await b.setHeadset(req.plugged); } catch (e) { throw new RequestError('UNSUPPORTED', (e as Error).message); }
      case 'state': return b.state() satisfies BoardState;
      case 'tone': { const { samples, sampleRate } = b.earpiece(req.windowMs); return identifyTone(samples, sampleRate); }
      case 'hears': { const { samples, sampleRate } = b.earpiece(req.ms); return present(samples, sampleRate, req.freqs); }
      case 'describe': { const { samples, sampleRate } = b.earpiece(DESCRIBE_MS); return describeHeard(samples, sampleRate, req.extra); }
      case 'music': { const { samples, sampleRate } = b.earpiece(req.ms); return musicHeard(samples, sampleRate, req.exclude); }
      case 'audio': {
        const { samples, sampleRate } = b.earpiece(req.ms);
        return { sampleRate, encoding: 's16le', samples: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64') };
      }
      case 'reset': await b.reset(); return b.info();
      case 'standby': return b.standby();
      case 'restart': await b.restart(); return b.info();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  o.log.info(`rig agent: listening on ${addr.address}:${addr.port}`);
  return {
    address: addr.address, port: addr.port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
