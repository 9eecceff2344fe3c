/** Starts the directory HTTP server when the config has `directory.http` (docs/directory.md §3). */
import { Acl } from '../acl.js';
import type { CallManagerConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Presence } from '../presence.js';
import { DirectoryServer } from './server.js';

export interface DirectoryHandle { address: string; port: number; url: string; close(): Promise<void> }

/**
 * The running server, or undefined when the config enables none. `host`: the address when
 * directory.http.bind is absent (the CM's listen address); `port` overrides directory.http.port.
 */
export async function startDirectory(config: CallManagerConfig, presenceOf: (n: string) => Presence, log: Logger,
  host: string, port?: number): Promise<DirectoryHandle | undefined> {
  const http = config.directory.http;
  if (!http) return undefined;
  const acl = new Acl({ permit: [...config.server.permit, ...http.permit], deny: [...config.server.deny, ...http.deny] });
  const server = new DirectoryServer({ lines: config.lines, presenceOf, title: http.title, host: http.bind ?? host,
    port: port ?? http.port, acl, log });
  const a = await server.listen().catch((e: Error) => { throw new Error(`call manager: ${e.message} (hint: change directory.http.port in the config)`); });
  log.info(`directory HTTP server listening on ${server.url} (${config.lines.length} lines)`);
  return { ...a, url: server.url, close: () => server.close() };
}
