/** A directory server on loopback over a few lines, and raw HTTP helpers for the directory tests. */
import { connect } from 'node:net';
import { Acl } from '../../../callmanager/acl.js';
import type { LineConfig } from '../../../callmanager/config.js';
import type { Presence } from '../../../callmanager/presence.js';
import { DirectoryServer, type DirectoryLimits } from '../../../callmanager/directory/server.js';

const line = (number: string, name: string, label?: string): LineConfig =>
  ({ number, name, ...(label ? { label } : {}), maxCalls: 4, busyTrigger: 2 }) as LineConfig;

export const LINES: LineConfig[] = [
  line('501', 'Bob Builder'), line('500', 'Alice Archer'), line('502', 'Carol & <Co>', 'Carol'), line('503', 'Dave "D" O\'Neil'),
];

export async function directoryServer(o: { presence?: Record<string, Presence>; acl?: Acl; limits?: Partial<DirectoryLimits>; lines?: LineConfig[] } = {}) {
  const server = new DirectoryServer({
    lines: o.lines ?? LINES, presenceOf: (n) => o.presence?.[n] ?? 'idle', title: 'Office', host: '127.0.0.1', port: 0,
    acl: o.acl ?? new Acl(), log: { info() {}, warn() {} }, ...(o.limits ? { limits: o.limits } : {}),
  });
  const a = await server.listen();
  return { server, port: a.port, url: server.url };
}

/** Sends `raw` bytes on a fresh connection and returns everything the server sent until it closed. */
export function rawHttp(port: number, raw: string | Buffer, opts: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    s.on('data', (d) => chunks.push(d));
    s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    s.write(raw);
    if (!opts.keepOpen) s.end();
  });
}

/** The status code of a raw HTTP answer ('' when the server sent nothing). */
export const statusOf = (answer: string): string => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? '';
