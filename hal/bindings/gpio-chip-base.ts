/**
 * Finds the Raspberry Pi header GPIO chip without hard-coding numbers (docs/hardware.md §3):
 * - sysfs: from kernel 6.6 the chip base is dynamic (512 on Pi 0-4, 571 on Pi 5, 399 on 6.1),
 *   so the global number of BCM GPIOn is `base + n` where `base` comes from the gpiochipN whose
 *   `label` is a Pi pin controller (raspberrypi/linux#6084, fivdi/onoff#200).
 * - chardev: the Pi 5 header chip moved from gpiochip4 to gpiochip0 in 6.6.45
 *   (raspberrypi/linux PR #6144), so /dev/gpiochipN is looked up by label too.
 * Every path is under an injectable root so tests run against fixture trees.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { HalError } from '../api/index.js';

/** Header pin-controller labels: Pi 5 (RP1), Pi 4 (BCM2711), Pi 0-3 (BCM2835/2837 share the driver). */
export const HEADER_CHIP_LABELS = ['pinctrl-rp1', 'pinctrl-bcm2711', 'pinctrl-bcm2835'] as const;

export interface SysfsChip {
  /** Directory name, e.g. "gpiochip512". */
  name: string;
  label: string;
  base: number;
  ngpio: number;
}

const SYSFS_GPIO = 'sys/class/gpio';

async function readTrim(path: string): Promise<string | undefined> {
  try { return (await fs.readFile(path, 'utf8')).trim(); } catch { return undefined; }
}

/** Lists /sys/class/gpio/gpiochip* under `root` (default "/"). Missing tree → []. */
export async function listSysfsChips(root = '/'): Promise<SysfsChip[]> {
  const dir = join(root, SYSFS_GPIO);
  let names: string[];
  try { names = await fs.readdir(dir); } catch { return []; }
  const chips: SysfsChip[] = [];
  for (const name of names.filter((n) => /^gpiochip\d+$/.test(n)).sort()) {
    const label = await readTrim(join(dir, name, 'label'));
    const base = Number(await readTrim(join(dir, name, 'base')));
    const ngpio = Number(await readTrim(join(dir, name, 'ngpio')) ?? NaN);
    if (label === undefined || !Number.isInteger(base)) continue;
    chips.push({ name, label, base, ngpio: Number.isInteger(ngpio) ? ngpio : 0 });
  }
  return chips;
}

/** The header chip in `chips` (first label match in HEADER_CHIP_LABELS order), or undefined. */
export function pickHeaderChip<T extends { label: string }>(chips: readonly T[]): T | undefined {
  for (const want of HEADER_CHIP_LABELS) {
    const hit = chips.find((c) => c.label === want);
    if (hit) return hit;
  }
  return undefined;
}

/** sysfs base of the header chip under `root`; throws HalError ENOENT naming what was found. */
export async function resolveHeaderBase(root = '/'): Promise<{ base: number; chip: SysfsChip }> {
  const chips = await listSysfsChips(root);
  const chip = pickHeaderChip(chips);
  if (!chip) {
    throw new HalError('ENOENT', chips.length === 0 ? 'no /sys/class/gpio/gpiochip* entries'
      : `no header chip among ${chips.map((c) => `${c.name}=${c.label}`).join(', ')}`, {
      device: join(root, SYSFS_GPIO), operation: 'resolve chip base',
      hint: 'sysfs GPIO is deprecated and may be absent (Trixie); use the libgpiod chardev binding instead',
    });
  }
  return { base: chip.base, chip };
}

/** Global sysfs number of BCM GPIO `bcm` (e.g. 17 → 529 on a Pi 4 with kernel 6.6). */
export async function sysfsNumber(bcm: number, root = '/'): Promise<number> {
  const { base, chip } = await resolveHeaderBase(root);
  if (!Number.isInteger(bcm) || bcm < 0 || (chip.ngpio > 0 && bcm >= chip.ngpio)) {
    throw new HalError('INVALID', `GPIO${bcm} is not a line of ${chip.name} (${chip.ngpio} lines)`, {
      device: chip.label, operation: 'resolve line', hint: 'use the BCM number (GPIO17 = header pin 11)',
    });
  }
  return base + bcm;
}

export interface CharDevChip {
  /** "gpiochip0" */
  name: string;
  /** /dev path under root */
  path: string;
  /** Pin-controller label, '' when it could not be determined. */
  label: string;
}

/**
 * /dev/gpiochipN with labels. The label of chardev chip N is found through the legacy sysfs
 * entry of the same controller: /sys/class/gpio/gpiochipBASE/device/ contains a `gpiochipN`
 * directory (kernel 6.x layout). Without sysfs (Trixie) labels stay '' and gpio-chardev.ts asks
 * `gpiodetect` instead.
 */
export async function listCharDevChips(root = '/'): Promise<CharDevChip[]> {
  let devs: string[];
  try { devs = (await fs.readdir(join(root, 'dev'))).filter((n) => /^gpiochip\d+$/.test(n)); } catch { return []; }
  const labels = new Map<string, string>();
  for (const c of await listSysfsChips(root)) {
    try {
      for (const e of await fs.readdir(join(root, SYSFS_GPIO, c.name, 'device'))) {
        if (/^gpiochip\d+$/.test(e)) labels.set(e, c.label);
      }
    } catch { /* no device link in this tree */ }
  }
  return devs.sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)))
    .map((name) => ({ name, path: join(root, 'dev', name), label: labels.get(name) ?? '' }));
}
