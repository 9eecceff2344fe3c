/**
 * `deskphone tsp dial NUMBER | drop [CALLID] | watch`: a TSP client (docs/tsp.md) — click-to-dial
 * from a shell. Connects to the call manager's TSP port, logs in, sends the action, prints the
 * response; `watch` (and `dial --watch`) then prints Notify lines until Ctrl-C.
 */
import { connect, type Socket } from 'node:net';
import { encodeTspFrame, TspFramer, tspTrace, type TspFrame } from '../callmanager/tsp/codec.js';
import { formatTrace } from '../firmware/station/trace.js';
import { LOG_OPTIONS, parseCommandLine, usageError } from './command-line.js';
import { summaryOf } from './cli.js';
import { createLogger, levelFromOptions, type FullLogger } from './node/logger.js';

/** deskphone's default TSP port (docs/tsp.md §3). */
export const DEFAULT_TSP_PORT = 5001;
const DEFAULT_TSP_HOST = '127.0.0.1';
/** Give up on a silent server after this long (login and action each get one Response, docs/tsp.md §3). */
const RESPONSE_TIMEOUT_MS = 10_000;

const SPEC = {
  name: 'tsp', summary: summaryOf('tsp'), args: '<ACTION> [ARG]',
  options: {
    host: { type: 'string', default: DEFAULT_TSP_HOST, arg: 'H', help: 'the call manager\'s TSP address' },
    port: { type: 'string', short: 'p', default: String(DEFAULT_TSP_PORT), arg: 'N', help: 'the call manager\'s TSP port (tsp.port of its config)' },
    user: { type: 'string', short: 'u', arg: 'U', help: 'TSP user, one of tsp.users of the call manager config (or env DESKPHONE_TSP_USER)' },
    secret: { type: 'string', short: 's', arg: 'S', help: 'the user\'s secret (or env DESKPHONE_TSP_SECRET)' },
    watch: { type: 'boolean', short: 'w', default: false, help: 'with dial: keep printing call events until Ctrl-C' },
    ...LOG_OPTIONS,
  },
  epilog: 'Actions:\n  dial NUMBER   the user\'s phone calls NUMBER (click-to-dial)\n  drop [CALLID] hang up the user\'s call\n  watch         print the user\'s call events until Ctrl-C',
} as const;

class TspClient {
  private readonly framer = new TspFramer();
  private readonly queue: TspFrame[] = [];
  private wake: (() => void) | undefined;
  closedReason: string | undefined;
  onNotify: ((f: Extract<TspFrame, { kind: 'Notify' }>) => void) | undefined;

  constructor(private readonly sock: Socket, private readonly log: FullLogger, private readonly peer: string) {
    sock.on('data', (d) => {
      for (const it of this.framer.push(d)) {
        if ('error' in it) { log.warn(`bad frame from the server ignored: ${it.error.message}`); continue; }
        this.trace('recv', it.frame);
        if (it.frame.kind === 'Notify' && this.onNotify) this.onNotify(it.frame);
        else if (it.frame.kind === 'Response') this.queue.push(it.frame);
        this.wake?.();
      }
    });
    sock.on('close', () => { this.closedReason ??= 'the call manager closed the connection'; this.wake?.(); });
    sock.on('error', (e) => { this.closedReason = e.message; this.wake?.(); });
  }

  send(f: TspFrame): void { this.trace('send', f); this.sock.write(encodeTspFrame(f)); }

  private trace(dir: 'send' | 'recv', f: TspFrame): void {
    if (!this.log.enabled('trace')) return;
    const t = tspTrace(f);
    this.log.trace(formatTrace('TSP', dir, this.peer, t.name, t.fields));
  }

  async response(what: string): Promise<Extract<TspFrame, { kind: 'Response' }>> {
    const deadline = Date.now() + RESPONSE_TIMEOUT_MS;
    for (;;) {
      const f = this.queue.shift();
      if (f && f.kind === 'Response') return f;
      if (this.closedReason) throw new Error(`no response to ${what}: ${this.closedReason}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response to ${what} within ${RESPONSE_TIMEOUT_MS / 1000} s`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.wake = () => { clearTimeout(t); r(); }; });
      this.wake = undefined;
    }
  }

  /** Resolves when the connection ends. */
  closed(): Promise<void> {
    return new Promise((r) => { if (this.sock.destroyed) r(); else this.sock.once('close', () => r()); });
  }
  end(): void { this.sock.end(); }
}

function connectTo(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    s.once('connect', () => { s.removeAllListeners('error'); resolve(s); });
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.destroy();
      const hint = e.code === 'ECONNREFUSED'
        ? `nothing listens on ${host}:${port}. Is \`deskphone callmanager\` running with TSP enabled? Add to its config:\n` +
          `  tsp:\n    port: ${port}\n    users:\n      - { name: alice, secret: s3cret, device: SEP000000000100 }\n` +
          `(the call manager prints "TSP listening on ..." at start; use --host/--port to match)`
        : `check --host/--port (${e.code ?? 'error'})`;
      reject(new Error(`cannot connect to the TSP port ${host}:${port}: ${e.message}\n${hint}`));
    });
  });
}

const notifyLine = (f: Extract<TspFrame, { kind: 'Notify' }>): string =>
  `${f.event} ${f.terminalId} ${f.callState} call ${f.callId}: ${f.callerName || '-'} <${f.callerId}> → ${f.calleeName || '-'} <${f.calleeId}>`;

export async function tspMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(SPEC, argv);
  const [cmd, arg] = positionals;
  const known = cmd === 'dial' || cmd === 'drop' || cmd === 'watch';
  if (!known || (cmd === 'dial' && !arg) || (cmd === 'watch' && arg !== undefined)) {
    return usageError('tsp', !known ? `unknown action "${cmd}" (actions: dial NUMBER, drop [CALLID], watch)` : cmd === 'dial' ? 'dial needs a NUMBER' : 'watch takes no argument');
  }
  const host = values.host;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return usageError('tsp', `--port ${values.port}: expected a TCP port 1..65535`);
  const log = createLogger(levelFromOptions(values));
  const user = values.user ?? process.env['DESKPHONE_TSP_USER'];
  const secret = values.secret ?? process.env['DESKPHONE_TSP_SECRET'];
  if (!user || secret === undefined) {
    return usageError('tsp', `no ${!user ? 'user' : 'secret'}: pass --user/--secret or set DESKPHONE_TSP_USER/DESKPHONE_TSP_SECRET ` +
      '(the users are listed under tsp.users in the call manager config)');
  }

  let client: TspClient;
  try { client = new TspClient(await connectTo(host, port), log, `${host}:${port}`); } catch (e) {
    console.error(`deskphone tsp: ${(e as Error).message}`);
    return 1;
  }
  const watching = cmd === 'watch' || !!values.watch;
  if (watching) client.onNotify = (f) => console.log(notifyLine(f));
  try {
    client.send({ kind: 'Action', action: 'Login', user, secret });
    const login = await client.response('Login');
    if (login.result !== 'Success') {
      console.error(`deskphone tsp: login as ${user} at ${host}:${port} refused: ${login.reason ?? 'Fail'}`);
      client.end();
      return 1;
    }
    if (cmd !== 'watch') {
      client.send(cmd === 'dial' ? { kind: 'Action', action: 'Dial', address: arg! }
        : arg !== undefined ? { kind: 'Action', action: 'Drop', callId: arg } : { kind: 'Action', action: 'Drop' });
      const r = await client.response(cmd === 'dial' ? 'Dial' : 'Drop');
      if (r.result !== 'Success') {
        console.error(`deskphone tsp: ${cmd}${arg ? ` ${arg}` : ''} failed: ${r.reason ?? 'Fail'}`);
        client.end();
        return 1;
      }
      console.log(`${cmd}${arg ? ` ${arg}` : ''}: Success`);
    }
  } catch (e) {
    console.error(`deskphone tsp: ${(e as Error).message} (${host}:${port})`);
    client.end();
    return 1;
  }
  if (!watching) { client.send({ kind: 'Action', action: 'Logout' }); client.end(); return 0; }
  console.log(`watching call state of ${user} at ${host}:${port} (Ctrl-C to stop)`);
  const stop = (): void => client.end();
  process.once('SIGINT', stop); process.once('SIGTERM', stop);
  await client.closed();
  process.off('SIGINT', stop); process.off('SIGTERM', stop);
  return 0;
}
