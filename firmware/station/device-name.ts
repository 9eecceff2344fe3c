/**
 * SCCP device names. A Cisco station registers as "SEP" (Selsius Ethernet Phone) followed by the
 * 12 uppercase hex digits of its Ethernet MAC (docs/sccp.md §3, Register.deviceName; Asterisk
 * matches `device = SEP…` in skinny.conf case-insensitively, §5).
 */
import { networkInterfaces } from 'node:os';

/** Register.deviceName is char[16]: "SEP" + 12 hex digits + NUL (docs/sccp.md §3). */
const DEVICE_NAME_RE = /^SEP[0-9A-F]{12}$/;
/** A MAC as 6 hex octets, separated by ':' or '-' or not at all. */
const MAC_RE = /^([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})$/;

export class DeviceNameError extends Error {
  override readonly name = 'DeviceNameError';
  constructor(readonly value: string, readonly operation: string, readonly hint: string) {
    super(`SCCP device name: ${operation} ${JSON.stringify(value)}: ${hint}`);
  }
}

/** Normalises a MAC ("00:11:22:aa:bb:cc", "00-11-…", "001122AABBCC") to 12 uppercase hex digits. */
export function normaliseMac(mac: string): string {
  const m = MAC_RE.exec(mac.trim());
  if (!m) {
    throw new DeviceNameError(mac, 'parse MAC', 'expected 6 hex octets such as 00:11:22:aa:bb:cc');
  }
  return m.slice(1, 7).join('').toUpperCase();
}

/** "SEP" + the MAC's 12 uppercase hex digits. */
export function deviceNameFromMac(mac: string): string {
  return 'SEP' + normaliseMac(mac);
}

/**
 * Validates an overridden device name and returns it uppercased. Only the SEP form is accepted:
 * Asterisk and CUCM key the device configuration on it (docs/sccp.md §5).
 */
export function validateDeviceName(name: string): string {
  const upper = name.trim().toUpperCase();
  if (!DEVICE_NAME_RE.test(upper)) {
    throw new DeviceNameError(name, 'validate', 'expected "SEP" followed by 12 hex digits, e.g. SEP001122AABBCC');
  }
  return upper;
}

type InterfaceTable = ReturnType<typeof networkInterfaces>;

/**
 * The MAC of the first non-internal interface that has an IPv4 address and a non-zero MAC
 * (interfaces in the order the OS lists them). Undefined on a host without one (containers with
 * only loopback); the caller then needs an explicit `mac` or `deviceName`.
 */
export function defaultMac(table: InterfaceTable = networkInterfaces()): string | undefined {
  for (const addrs of Object.values(table)) {
    for (const a of addrs ?? []) {
      if (a.internal || a.family !== 'IPv4') continue;
      if (/^(00:){5}00$/.test(a.mac)) continue;
      return a.mac;
    }
  }
  return undefined;
}

/** The IPv4 address on the same interface as defaultMac(), for Register.stationIpAddr fallbacks. */
export function defaultIpv4(table: InterfaceTable = networkInterfaces()): string | undefined {
  for (const addrs of Object.values(table)) {
    for (const a of addrs ?? []) {
      if (!a.internal && a.family === 'IPv4' && !/^(00:){5}00$/.test(a.mac)) return a.address;
    }
  }
  return undefined;
}

/**
 * Resolves the name to register with: an explicit name (validated) wins, then a given MAC, then
 * the host's MAC. Throws DeviceNameError naming what to configure when none is available.
 */
export function resolveDeviceName(opts: { deviceName?: string; mac?: string }): string {
  if (opts.deviceName !== undefined) return validateDeviceName(opts.deviceName);
  if (opts.mac !== undefined) return deviceNameFromMac(opts.mac);
  const mac = defaultMac();
  if (mac === undefined) {
    throw new DeviceNameError('', 'derive from host MAC',
      'no non-internal IPv4 interface with a MAC; set deviceName (SEP + 12 hex) or mac in the config');
  }
  return deviceNameFromMac(mac);
}
