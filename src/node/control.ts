/**
 * The running phone's local control socket (a unix stream socket, /run/deskphone/control.sock
 * under systemd: RuntimeDirectory=deskphone), asked by `deskphone status`. One request per
 * connection: the client writes `status\n`, the phone answers one JSON line and closes. The
 * socket answers questions only (it changes nothing), so it is readable by every local user
 * (mode 0666) and `deskphone status` needs no sudo. Protocol and fields: docs/install.md.
 */
import { chmodSync, existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RecentProblem } from './recent-log.js';

export interface PhoneStatus {
  pid: number;
  uptimeS: number;
  device: string;
  protocol: 'sccp' | 'sscp';
  registration: { state: string; server: string };
  callManagers: string[];
  calls: { line: number; callRef: number; state: string; direction: string | undefined; number: string; name: string }[];
  audio: { role: 'capture' | 'playback'; device: string; open: boolean }[];
  lastErrors: RecentProblem[];
}

const SOCKET = 'control.sock';
/** Where the unit's RuntimeDirectory=deskphone puts it. */
export const SYSTEM_CONTROL_PATH = '/run/deskphone/control.sock';

/** Candidate paths, most specific first: systemd's runtime directory, /run/deskphone, the user's runtime dir, /tmp. */
export function controlPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const uid = process.getuid?.() ?? 0;
  const out: string[] = [];
  const runtime = env['RUNTIME_DIRECTORY']?.split(':')[0];
  if (runtime) out.push(join(runtime, SOCKET));
  out.push(SYSTEM_CONTROL_PATH);
  if (env['XDG_RUNTIME_DIR']) out.push(join(env['XDG_RUNTIME_DIR'], 'deskphone', SOCKET));
  out.push(join(tmpdir(), `deskphone-${uid}`, SOCKET));
  return [...new Set(out)];
}

/** The first candidate whose directory exists or can be made by us. */
export function defaultControlPath(env: NodeJS.ProcessEnv = process.env): string {
  for (const p of controlPaths(env)) {
    try { mkdirSync(dirname(p), { recursive: true, mode: 0o755 }); return p; } catch { /* not ours: try the next */ }
  }
  return controlPaths(env).at(-1)!;
}

/** A socket at `path` answers (another phone is running there). */
export function answers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(path);
    const t = setTimeout(() => { c.destroy(); resolve(false); }, timeoutMs);
    c.once('connect', () => { clearTimeout(t); c.destroy(); resolve(true); });
    c.once('error', () => { clearTimeout(t); resolve(false); });
  });
}

export class ControlBusyError extends Error {}

/**
 * Listens on `path` and answers `status` with `snapshot()`. A stale socket file (no one answers)
 * is replaced; a live one is a ControlBusyError (another phone has it).
 */
export async function startControlServer(path: string, snapshot: () => PhoneStatus): Promise<{ path: string; close(): Promise<void> }> {
  if (existsSync(path)) {
    if (!statSync(path).isSocket()) throw new ControlBusyError(`${path} exists and is not a socket: remove it or choose another --control PATH`);
    if (await answers(path)) throw new ControlBusyError(`${path}: another deskphone phone is running there (deskphone status --control ${path} shows it); choose another --control PATH`);
    unlinkSync(path);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const server: Server = createServer((c) => {
    let request = '';
    c.setEncoding('utf8');
    c.setTimeout(2000, () => c.destroy());
    c.on('error', () => {});
    c.on('data', (d: string) => {
      request += d;
      if (!request.includes('\n') && request.length < 64) return;
      const word = request.split('\n')[0]!.trim();
      const answer = word === 'status' ? snapshot() : { error: `unknown request "${word.slice(0, 40)}": the phone answers "status"` };
      c.end(`${JSON.stringify(answer)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  chmodSync(path, 0o666);
  return {
    path,
    close: () => new Promise<void>((resolve) => server.close(() => { try { unlinkSync(path); } catch { /* already gone */ } resolve(); })),
  };
}

/** Asks the phone at `path` for its status; rejects with the socket error (ENOENT, ECONNREFUSED, EACCES). */
export function askStatus(path: string, timeoutMs = 3000): Promise<PhoneStatus> {
  return new Promise((resolve, reject) => {
    let text = '';
    const c = createConnection(path);
    const t = setTimeout(() => { c.destroy(); reject(Object.assign(new Error('no answer within 3 s'), { code: 'ETIMEDOUT' })); }, timeoutMs);
    c.setEncoding('utf8');
    c.once('connect', () => c.write('status\n'));
    c.on('data', (d: string) => { text += d; });
    c.once('error', (e) => { clearTimeout(t); reject(e); });
    c.once('end', () => {
      clearTimeout(t);
      try {
        const v = JSON.parse(text) as PhoneStatus & { error?: string };
        if (v.error) reject(new Error(v.error)); else resolve(v);
      } catch { reject(new Error(`not a deskphone answer: ${JSON.stringify(text.slice(0, 80))}`)); }
    });
  });
}
