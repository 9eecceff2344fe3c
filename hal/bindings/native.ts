/**
 * Lazy loading of optional native packages (package.json optionalDependencies). A package that
 * failed to build or is missing turns into HalError 'UNAVAILABLE' naming the package and the fix,
 * never a crash at import time (docs/hardware.md §1, §7).
 */
import { HalError } from '../api/index.js';

/** What to install for each package (docs/hardware.md §1 "Debian -dev needed", §7 "CI apt"). */
export const NATIVE_FIX: Readonly<Record<string, string>> = {
  'i2c-bus': 'npm install i2c-bus (needs build-essential python3)',
  'onoff': 'npm install onoff (needs build-essential python3)',
  'node-hid': 'npm install node-hid (prebuilt; needs the runtime libs: sudo apt install libusb-1.0-0 libudev1)',
  'better-sqlite3': 'npm install better-sqlite3@^12 (compiled by node-gyp: needs build-essential python3)',
  'node-libgpiod': 'sudo apt install libgpiod-dev gpiod && npm install node-libgpiod (libgpiod 1.x = Bookworm; on Trixie use the gpiomon CLI backend)',
};

const cache = new Map<string, Promise<unknown>>();

/** Imports `pkg` once; rejects with HalError UNAVAILABLE (device = `device`) when it cannot load. */
export function loadNative<T>(pkg: string, device: string): Promise<T> {
  let p = cache.get(pkg);
  if (!p) {
    p = import(pkg).then((m: { default?: unknown }) => m.default ?? m);
    cache.set(pkg, p);
  }
  return (p as Promise<T>).catch((e: unknown) => {
    cache.delete(pkg);
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new HalError('UNAVAILABLE', `native package "${pkg}" is not loadable: ${why}`, {
      device, operation: 'load binding', hint: NATIVE_FIX[pkg] ?? `npm install ${pkg}`, cause: e,
    });
  });
}

/** errno code of a Node/native error, if any. */
export function errnoCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}
