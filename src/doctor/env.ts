/**
 * What `deskphone doctor` looks at on the target, behind one interface so tests can run the
 * checks against a fake machine where everything passes. The real environment uses the HAL
 * bindings (lazy native imports), the file system and child processes; nothing here throws for
 * missing hardware.
 */
import { execFile } from 'node:child_process';
import { promises as fs, constants as fsc } from 'node:fs';
import { userInfo } from 'node:os';
import { HalError, type HidDeviceInfo } from '../../hal/api/index.js';
import { listCharDevChips, type CharDevChip } from '../../hal/bindings/gpio-chip-base.js';
import { openI2cBus } from '../../hal/bindings/i2c.js';
import { openNodeHidHost } from '../../hal/bindings/hid.js';
import { loadNative } from '../../hal/bindings/native.js';

export type AccessResult = 'ok' | 'ENOENT' | 'EACCES';

export interface ProbeEnv {
  /** rw access to a device node. */
  access(path: string): Promise<AccessResult>;
  readText(path: string): Promise<string | undefined>;
  /** Supplementary group names of the current user. */
  groups(): Promise<string[]>;
  gpioChips(): Promise<CharDevChip[]>;
  /** Resolves when `address` ACKs a 1-byte read on /dev/i2c-`bus`; rejects with a HalError otherwise. */
  i2cProbe(bus: number, address: number): Promise<void>;
  /** stdout of a command, or undefined when it is not installed / fails. */
  run(cmd: string, args: string[]): Promise<string | undefined>;
  hidList(): Promise<HidDeviceInfo[]>;
  /** Resolves when the optional native package loads; rejects with HalError UNAVAILABLE. */
  loadPackage(pkg: string): Promise<void>;
}

function runCmd(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000 }, (err, stdout) => resolve(err ? undefined : String(stdout)));
  });
}

export function realProbeEnv(): ProbeEnv {
  return {
    async access(path) {
      try { await fs.access(path, fsc.R_OK | fsc.W_OK); return 'ok'; } catch (e) {
        return (e as { code?: string }).code === 'ENOENT' ? 'ENOENT' : 'EACCES';
      }
    },
    async readText(path) { try { return await fs.readFile(path, 'utf8'); } catch { return undefined; } },
    async groups() {
      const out = await runCmd('id', ['-Gn', userInfo().username]);
      return out ? out.trim().split(/\s+/) : [];
    },
    gpioChips: () => listCharDevChips('/'),
    async i2cProbe(bus, address) {
      const b = await openI2cBus(bus);
      try { await b.read(address, 1); } finally { await b.close(); }
    },
    run: runCmd,
    async hidList() { return (await openNodeHidHost()).list(); },
    async loadPackage(pkg) { await loadNative(pkg, pkg); },
  };
}

/** Normalises any failure to a HalError so rows can show code + hint. */
export function asHalError(e: unknown, device: string, operation: string): HalError {
  return e instanceof HalError ? e : new HalError('EIO', e instanceof Error ? e.message : String(e), { device, operation });
}
