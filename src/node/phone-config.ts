/**
 * The phone config file (`/etc/deskphone/phone.yaml`, docs/phone-config.md): call managers in
 * failover order, station protocol, device name, codecs, the local phone book, log level, state
 * and control-socket paths. Loaded like a board config (lib/config/yaml-config.ts): every problem
 * is `file:line:col: key.path: message` with "did you mean" for unknown keys. Command-line options
 * of `deskphone phone` override the file's values (mergePhoneSettings, phone-settings.ts).
 */
import { z } from 'zod';
import { ConfigError, YamlSource, loadConfig, type ConfigProblem } from '../../lib/config/yaml-config.js';
import { resolveDirectoryUrl } from '../../firmware/sccp/xml-directory.js';
import {
  DEFAULT_STATE_DIR, CODECS, MAX_CALL_MANAGERS, PROTOCOLS, SERVER_FORM, parseServer, type PhoneBookEntry, type PhoneFileValues,
} from './phone-settings.js';

export {
  CODECS, DEFAULT_PORT, DEFAULT_STATE_DIR, MAX_CALL_MANAGERS, OverrideError, PROTOCOLS, mergePhoneSettings, parseServer,
  type CodecName, type PhoneOverrides, type PhoneSettings, type Protocol, type Server,
} from './phone-settings.js';

const phoneBookEntry = z.strictObject({
  name: z.string().min(1),
  /** Digits as dialled on the keypad. */
  number: z.string().regex(/^[0-9*#+]+$/, 'a number is digits, "*", "#" or "+" (as dialled)'),
});
export type { PhoneBookEntry };
/** Compile-time only: tsc fails here when A is not assignable to B. */
type Assignable<A extends B, B> = A;
export type CheckedPhoneBookEntry = Assignable<z.output<typeof phoneBookEntry>, PhoneBookEntry>;

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
/** The schema's output is what mergePhoneSettings takes (phone-settings.ts PhoneFileValues). */
export type CheckedPhoneFile = Assignable<PhoneConfigFile, PhoneFileValues>;

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

export { ConfigError };
