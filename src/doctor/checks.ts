/**
 * The doctor's checks: for each peripheral of a board config, is it there and usable by this
 * user, and if not, what to do (docs/hardware.md §3, §6, §7). Pure over a ProbeEnv.
 */
import type { BoardConfig } from '../../hal/board/schema.js';
import { collectPins } from '../../hal/board/checks.js';
import { displayOf } from '../../hal/board/components/index.js';
import { hidMatch } from '../../hal/board/components/hid.js';
import { pickHeaderChip } from '../../hal/bindings/gpio-chip-base.js';
import { ENABLE_I2C_HINT } from '../../hal/bindings/i2c.js';
import { HIDRAW_UDEV_HINT } from '../../hal/bindings/hid.js';
import { NATIVE_FIX } from '../../hal/bindings/native.js';
import { hidMatches } from '../../hal/drivers/hid-telephony.js';
import { asHalError, type ProbeEnv } from './env.js';

export type RowStatus = 'ok' | 'FAIL' | 'skip';
export interface DoctorRow { device: string; check: string; status: RowStatus; result: string; fix: string }

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
const groupFix = (g: string): string => `sudo usermod -aG ${g} $USER, then log out and in`;

export async function runChecks(cfg: BoardConfig, env: ProbeEnv): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const add = (device: string, check: string, status: RowStatus, result: string, fix = ''): void => {
    rows.push({ device, check, status, result, fix });
  };
  const groups = new Set(await env.groups());
  const needGroup = (g: string, device: string): void => {
    if (groups.has(g) || groups.has('root')) add(device, `user in group ${g}`, 'ok', 'yes');
    else add(device, `user in group ${g}`, 'FAIL', 'no', groupFix(g));
  };
  const pkg = async (name: string, device: string): Promise<boolean> => {
    try { await env.loadPackage(name); add(device, `npm package ${name}`, 'ok', 'loads'); return true; } catch (e) {
      add(device, `npm package ${name}`, 'FAIL', asHalError(e, name, 'load').message.split(' (hint')[0]!, NATIVE_FIX[name] ?? `npm install ${name}`);
      return false;
    }
  };

  // I2C: bus nodes, then each configured device address.
  const i2cUsers = new Map<number, { name: string; address: number }[]>();
  const use = (bus: number, name: string, address: number): void => { i2cUsers.set(bus, [...(i2cUsers.get(bus) ?? []), { name, address }]); };
  use(cfg.display.bus, displayOf(cfg.display).label, cfg.display.address);
  for (const e of cfg.expanders) use(e.bus, `${e.type.toUpperCase()} "${e.id}"`, e.address);
  if (i2cUsers.size) {
    const loaded = await pkg('i2c-bus', 'I2C');
    needGroup('i2c', 'I2C');
    for (const [bus, devs] of i2cUsers) {
      const node = `/dev/i2c-${bus}`;
      const acc = await env.access(node);
      if (acc === 'ENOENT') add(node, 'device node exists', 'FAIL', 'missing', ENABLE_I2C_HINT);
      else add(node, 'device node exists', 'ok', acc === 'ok' ? 'present, read/write' : 'present, no permission', acc === 'ok' ? '' : groupFix('i2c'));
      for (const d of devs) {
        const dev = `${d.name} @ i2c-${bus} ${hex(d.address)}`;
        if (acc !== 'ok' || !loaded) { add(dev, 'address ACKs', 'skip', `not probed (${acc !== 'ok' ? `${node} unusable` : 'i2c-bus missing'})`, 'fix the rows above first'); continue; }
        try { await env.i2cProbe(bus, d.address); add(dev, 'address ACKs', 'ok', 'ACK'); } catch (e) {
          const h = asHalError(e, dev, 'probe');
          add(dev, 'address ACKs', 'FAIL', `${h.code}: no answer`, h.hint ?? `check wiring/power and the address with: i2cdetect -y ${bus}`);
        }
      }
    }
  }

  // GPIO: header chip found by label, access to the chardev, backend available.
  const headerPins = collectPins(cfg).filter((p) => p.pin.kind === 'gpio');
  if (headerPins.length) {
    const chips = await env.gpioChips();
    const chip = pickHeaderChip(chips) ?? (chips.length === 1 ? chips[0] : undefined);
    const pins = headerPins.map((p) => (p.pin.kind === 'gpio' ? `GPIO${p.pin.gpio}` : '')).join(' ');
    if (!chip) {
      add('GPIO header', 'gpiochip present', 'FAIL', chips.length ? `no header chip among ${chips.map((c) => c.name).join(', ')}` : 'no /dev/gpiochip*',
        'run on the Raspberry Pi itself; GPIO needs the pinctrl driver (not available in VMs/containers)');
    } else {
      add('GPIO header', 'gpiochip present', 'ok', `${chip.name} (${chip.label || 'label unknown'}) for ${pins}`);
      const acc = await env.access(chip.path);
      add(chip.path, 'read/write access', acc === 'ok' ? 'ok' : 'FAIL', acc, acc === 'ok' ? '' : `${groupFix('gpio')} (udev: SUBSYSTEM=="gpio", GROUP="gpio", MODE="0660")`);
    }
    needGroup('gpio', 'GPIO header');
    const lib = await env.loadPackage('node-libgpiod').then(() => true, () => false);
    const cli = await env.run('gpiomon', ['--version']);
    if (lib) add('GPIO header', 'GPIO backend', 'ok', 'node-libgpiod (polled inputs)');
    else if (cli) add('GPIO header', 'GPIO backend', 'ok', `gpiomon CLI: ${cli.split('\n')[0]!.trim()}`);
    else add('GPIO header', 'GPIO backend', 'FAIL', 'neither node-libgpiod nor the gpiod tools', 'sudo apt install gpiod (CLI backend) or libgpiod-dev + npm install node-libgpiod');
  }

  // Audio: the ALSA PCM names must be listed by arecord -L / aplay -L (or exist in /proc/asound).
  if (cfg.audio) {
    needGroup('audio', 'ALSA');
    for (const [dir, tool, name] of [['capture', 'arecord', cfg.audio.capture], ['playback', 'aplay', cfg.audio.playback]] as const) {
      const dev = `ALSA ${dir} "${name}"`;
      const list = await env.run(tool, ['-L']);
      if (list === undefined) { add(dev, `${tool} -L`, 'FAIL', `${tool} not found`, 'sudo apt install alsa-utils'); continue; }
      const names = list.split('\n').filter((l) => l && !/^\s/.test(l)).map((l) => l.trim());
      const card = /CARD=([^,]+)/.exec(name)?.[1] ?? /^(?:plug)?hw:(\d+)/.exec(name)?.[1];
      const cards = (await env.readText('/proc/asound/cards')) ?? '';
      const found = names.includes(name) || (card !== undefined && (/^\d+$/.test(card) ? new RegExp(`^\\s*${card}\\s`, 'm').test(cards) : cards.includes(`[${card}`)));
      if (found) add(dev, 'device listed', 'ok', 'present');
      else add(dev, 'device listed', 'FAIL', names.length ? 'not listed' : 'no sound devices', `plug in the USB audio device; list names with ${tool} -L (use plughw:CARD=<name>,DEV=0)`);
    }
  }

  // HID telephony devices.
  if (cfg.hid.length) {
    if (await pkg('node-hid', 'USB HID')) {
      let list: Awaited<ReturnType<ProbeEnv['hidList']>> = [];
      try { list = await env.hidList(); } catch (e) { add('USB HID', 'enumerate', 'FAIL', asHalError(e, 'USB HID', 'list').message, 'sudo apt install libudev1 libusb-1.0-0'); }
      for (const h of cfg.hid) {
        const match = hidMatch(h);
        const dev = `HID "${h.id}"`;
        const hit = list.find((d) => hidMatches(match, d));
        if (!hit) { add(dev, 'device present', 'FAIL', 'not found', 'plug the handset in; lsusb / ls /dev/hidraw* should show it'); continue; }
        add(dev, 'device present', 'ok', `${hit.path} ${hit.product ?? ''}`.trim());
        const acc = await env.access(hit.path);
        add(hit.path, 'read/write access', acc === 'ok' ? 'ok' : 'FAIL', acc, acc === 'ok' ? '' : HIDRAW_UDEV_HINT);
      }
    }
  }
  return rows;
}
