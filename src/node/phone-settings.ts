/**
 * What `deskphone phone` runs with (docs/phone-config.md): the phone config file's values with the
 * command line's on top (mergePhoneSettings), and the address forms both accept. No schema
 * library here: the file itself is checked by phone-config.ts (zod, yaml), which the phone runs
 * off its main thread (config-off-thread.ts), so the running phone never loads either.
 */
import { resolveDirectoryUrl } from '../../firmware/sccp/xml-directory.js';

export const PROTOCOLS = ['sccp', 'sscp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Default call-manager ports: SCCP TCP 2000 (docs/sccp.md §1), SSCP UDP 5070 (docs/sscp.md §4). */
export const DEFAULT_PORT: Readonly<Record<Protocol, number>> = { sccp: 2000, sscp: 5070 };

/** Codecs the media engine has (firmware/media/codecs.ts), in the names SCCP and SSCP use. */
export const CODECS = ['G722', 'PCMU', 'PCMA'] as const;
export type CodecName = (typeof CODECS)[number];

/** The most call managers a station fails over between (a 7960 takes up to 5; SCCP Register has one, docs/sccp.md). */
export const MAX_CALL_MANAGERS = 3;

export const DEFAULT_STATE_DIR = '/var/lib/deskphone';

export interface Server { host: string; port: number }

/** `HOST:PORT`, `[v6]:PORT`, or a bare host (the protocol's default port); undefined when malformed. */
export function parseServer(text: string, protocol: Protocol): Server | undefined {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:\s[\]]+)(?::(\d+))?$/.exec(text);
  if (!m) return undefined;
  const port = m[2] === undefined ? DEFAULT_PORT[protocol] : Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : undefined;
}

export const SERVER_FORM = 'HOST:PORT, [IPv6]:PORT or HOST (port 2000 for sccp, 5070 for sscp)';

export interface PhoneBookEntry { name: string; number: string }

/** The checked phone config file (phone-config.ts PhoneConfigFile): the values merged here. */
export interface PhoneFileValues {
  callManagers: string[];
  protocol: Protocol;
  device?: string | undefined;
  codecs?: CodecName[] | undefined;
  phoneBook: PhoneBookEntry[];
  directoryUrl?: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  stateDir: string;
  control?: string | undefined;
}

/** What `deskphone phone` runs with: the file's values with the command line's on top. */
export interface PhoneSettings {
  servers: Server[];
  protocol: Protocol;
  device: string | undefined;
  codecs: CodecName[] | undefined;
  phoneBook: PhoneBookEntry[];
  /** SCCP directory URL (docs/directory.md §4); undefined = none. */
  directoryUrl: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  stateDir: string;
  control: string | undefined;
}

/** Command-line values that were given (undefined = not on the command line). */
export interface PhoneOverrides {
  server?: readonly string[] | undefined;
  protocol?: string | undefined;
  device?: string | undefined;
  codecs?: string | undefined;
  logLevel?: string | undefined;
  stateDir?: string | undefined;
  control?: string | undefined;
  directoryUrl?: string | undefined;
}

/** A bad command-line value: the message names the option (a usage error, exit 2). */
export class OverrideError extends Error {}

/**
 * The command line over the file (`file` undefined: no --config). Throws OverrideError for a bad
 * option value and ConfigError when neither gives a call manager.
 */
export function mergePhoneSettings(file: PhoneFileValues | undefined, o: PhoneOverrides): PhoneSettings {
  const protocol = (o.protocol ?? file?.protocol ?? 'sccp') as Protocol;
  if (!PROTOCOLS.includes(protocol)) throw new OverrideError(`--protocol ${protocol}: expected sccp or sscp`);
  let servers: Server[];
  if (o.server?.length) {
    if (o.server.length > MAX_CALL_MANAGERS) throw new OverrideError(`--server: at most ${MAX_CALL_MANAGERS} call managers, not ${o.server.length}`);
    servers = o.server.map((s) => {
      // On the command line the port is always written (as before config files): HOST alone is a typo more often than not.
      const server = /:\d+$/.test(s) ? parseServer(s, protocol) : undefined;
      if (!server) throw new OverrideError(`--server ${s}: expected HOST:PORT or [IPv6]:PORT, e.g. 192.0.2.10:2000`);
      return server;
    });
  } else if (file) {
    servers = file.callManagers.map((s) => parseServer(s, protocol)!);
  } else {
    throw new OverrideError('give the call managers: --server HOST:PORT, or --config FILE with callManagers:');
  }
  let codecs = file?.codecs;
  if (o.codecs !== undefined) {
    const list = o.codecs.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    const bad = list.find((c) => !(CODECS as readonly string[]).includes(c));
    if (bad !== undefined || list.length === 0) throw new OverrideError(`--codecs ${o.codecs}: expected a comma-separated list of ${CODECS.join(', ')}`);
    codecs = [...new Set(list)] as CodecName[];
  }
  if (o.directoryUrl !== undefined && resolveDirectoryUrl(o.directoryUrl, '192.0.2.1') === undefined) {
    throw new OverrideError(`--directory-url ${o.directoryUrl}: expected an http:// or https:// URL, e.g. http://{cm}:8080/directory`);
  }
  return {
    servers, protocol, codecs,
    device: o.device ?? file?.device,
    phoneBook: file?.phoneBook ?? [],
    directoryUrl: protocol === 'sccp' ? o.directoryUrl ?? file?.directoryUrl : undefined,
    logLevel: (o.logLevel ?? file?.logLevel ?? 'info') as PhoneSettings['logLevel'],
    stateDir: o.stateDir ?? file?.stateDir ?? DEFAULT_STATE_DIR,
    control: o.control ?? file?.control,
  };
}
