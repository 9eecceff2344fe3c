/**
 * The phone config file (`/etc/deskphone/phone.yaml`, docs/phone-config.md): call managers in
 * failover order, station protocol, device name, codecs, the local phone book, log level, state
 * and control-socket paths. Loaded like a board config (lib/config/yaml-config.ts): every problem
 * is `file:line:col: key.path: message` with "did you mean" for unknown keys. Command-line options
 * of `deskphone phone` override the file's values (mergePhoneSettings).
 */
import { z } from 'zod';
import { ConfigError, YamlSource, loadConfig, type ConfigProblem } from '../../lib/config/yaml-config.js';
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

const SERVER_FORM = 'HOST:PORT, [IPv6]:PORT or HOST (port 2000 for sccp, 5070 for sscp)';

const phoneBookEntry = z.strictObject({
  name: z.string().min(1),
  /** Digits as dialled on the keypad. */
  number: z.string().regex(/^[0-9*#+]+$/, 'a number is digits, "*", "#" or "+" (as dialled)'),
});
export type PhoneBookEntry = z.output<typeof phoneBookEntry>;

export const phoneConfigSchema = z.strictObject({
  callManagers: z.array(z.string().min(1)).min(1).max(MAX_CALL_MANAGERS),
  protocol: z.enum(PROTOCOLS).default('sccp'),
  /** SEP + 12 hex digits (the MAC form every SCCP call manager expects, docs/sccp.md §3 Register). */
  device: z.string().regex(/^SEP[0-9A-Fa-f]{12}$/, 'a device name is SEP and 12 hex digits, e.g. SEP00000000010A').optional(),
  /** Offered in this order of preference; default all of CODECS. */
  codecs: z.array(z.enum(CODECS)).min(1).optional(),
  phoneBook: z.array(phoneBookEntry).default([]),
  /** SCCP: the call manager's CiscoIPPhoneDirectory; `{cm}` = the host of the CM registered with (docs/directory.md §4). */
  directoryUrl: z.string().refine((u) => resolveDirectoryUrl(u, '192.0.2.1') !== undefined,
    'an http:// or https:// URL, e.g. http://{cm}:8080/directory ({cm} = the call manager\'s host)').optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  stateDir: z.string().min(1).default(DEFAULT_STATE_DIR),
  /** Unix socket `deskphone status` asks (default: see src/node/control-path.ts). */
  control: z.string().min(1).optional(),
});
export type PhoneConfigFile = z.output<typeof phoneConfigSchema>;

/** Whole-file checks: addresses well formed and not repeated, no codec or phone-book number twice. */
function checkPhoneConfig(c: PhoneConfigFile, src: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, number>();
  c.callManagers.forEach((s, i) => {
    const server = parseServer(s, c.protocol);
    if (!server) { problems.push(src.problem(['callManagers', i], `"${s}" is not an address: expected ${SERVER_FORM}`)); return; }
    const key = `${server.host}:${server.port}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(src.problem(['callManagers', i], `${key} is already callManagers[${first}]`));
    else seen.set(key, i);
  });
  c.codecs?.forEach((codec, i) => {
    if (c.codecs!.indexOf(codec) < i) problems.push(src.problem(['codecs', i], `${codec} is listed twice`));
  });
  if (c.directoryUrl !== undefined && c.protocol !== 'sccp') {
    problems.push(src.problem(['directoryUrl'], 'for sccp phones only: an sscp phone searches the call manager\'s directory over SSCP (PhoneBook)'));
  }
  const numbers = new Map<string, number>();
  c.phoneBook.forEach((e, i) => {
    const first = numbers.get(e.number);
    if (first !== undefined) problems.push(src.problem(['phoneBook', i, 'number'], `${e.number} is already phoneBook[${first}] (${c.phoneBook[first]!.name})`));
    else numbers.set(e.number, i);
  });
  return problems;
}

export function parsePhoneConfig(src: YamlSource): PhoneConfigFile {
  return loadConfig(src, phoneConfigSchema, { crossCheck: checkPhoneConfig });
}

/** Reads and validates one phone config. Throws ConfigError (file:line:col: path: message). */
export function loadPhoneConfig(file: string): PhoneConfigFile {
  return parsePhoneConfig(YamlSource.fromFile(file));
}

/** Loads `text` as if it were the file `file` (tests). */
export function loadPhoneConfigText(file: string, text: string): PhoneConfigFile {
  return parsePhoneConfig(new YamlSource(file, text));
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
export function mergePhoneSettings(file: PhoneConfigFile | undefined, o: PhoneOverrides): PhoneSettings {
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

export { ConfigError };
