/**
 * GpioController on the GPIO character device (/dev/gpiochipN), the supported path on current
 * Raspberry Pi OS (docs/hardware.md §3, §7). Two backends:
 * 1. `node-libgpiod` (libgpiod 1.x = Bookworm): lines are requested in-process; it can request
 *    edges but has no API to read them, so watched inputs are POLLED on the Clock (5 ms default,
 *    fine for hook, headset and keypad).
 * 2. CLI fallback through `gpiomon`/`gpioget`/`gpioset` (apt `gpiod`): real kernel edge events,
 *    and the only option on Trixie (libgpiod 2, different CLI flags, detected with --version).
 * The header chip is chosen by label (gpiochip0 vs gpiochip4 on Pi 5, raspberrypi/linux#6144).
 */
import { execFile as execFileCb, spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { HalError, type Bit, type Clock, type GpioController, type GpioLine, type GpioLineOptions, type TimerHandle } from '../api/index.js';
import { listCharDevChips, pickHeaderChip } from './gpio-chip-base.js';
import { errnoCode, loadNative } from './native.js';
import { mapGpioErrno } from './gpio-sysfs.js';

// libgpiod 1.6 gpiod.h request flags: OPEN_DRAIN BIT(0), OPEN_SOURCE BIT(1), ACTIVE_LOW BIT(2),
// BIAS_DISABLE BIT(3), BIAS_PULL_DOWN BIT(4), BIAS_PULL_UP BIT(5).
const FLAG_ACTIVE_LOW = 1 << 2;
const FLAG_BIAS: Record<string, number> = { 'disable': 1 << 3, 'pull-down': 1 << 4, 'pull-up': 1 << 5 };
const DEFAULT_POLL_MS = 5;
const APT_GPIOD = 'sudo apt install gpiod (provides gpiomon/gpioget/gpioset)';

interface LibgpiodLine {
  requestInputMode?(consumer: string): void;
  requestInputModeFlags?(consumer: string, flags: number): void;
  requestOutputMode(consumer: string, value?: number): void;
  requestOutputModeFlags?(consumer: string, value: number, flags: number): void;
  getValue(): number;
  setValue(v: number): void;
  release(): void;
}
export interface LibgpiodModule {
  Chip: new (n: number | string) => { getNumberOfLines?(): number };
  Line: new (chip: unknown, offset: number) => LibgpiodLine;
}

export interface ChardevGpioOptions {
  clock: Clock;
  /** Root of /dev and /sys (tests); default "/". */
  root?: string;
  /** Chip name ("gpiochip0"); default: the header chip found by label. */
  chip?: string;
  pollMs?: number;
  module?: LibgpiodModule;
}

async function headerChipName(root: string, operation: string): Promise<string> {
  const chips = await listCharDevChips(root);
  const hit = pickHeaderChip(chips) ?? (chips.length === 1 ? chips[0] : undefined);
  if (hit) return hit.name;
  throw new HalError('ENOENT', chips.length ? `no header chip among ${chips.map((c) => c.name).join(', ')}` : 'no /dev/gpiochip* device', {
    device: '/dev/gpiochip*', operation,
    hint: chips.length ? 'pass the chip name explicitly (gpiodetect lists them)' : 'not a Raspberry Pi, or the GPIO driver is not loaded',
  });
}

/** Backend 1: node-libgpiod, polled inputs. */
export async function openLibgpiodGpio(opts: ChardevGpioOptions): Promise<GpioController> {
  const mod = opts.module ?? await loadNative<LibgpiodModule>('node-libgpiod', '/dev/gpiochip*');
  const name = opts.chip ?? await headerChipName(opts.root ?? '/', 'open');
  let chip: InstanceType<LibgpiodModule['Chip']>;
  try { chip = new mod.Chip(Number(name.replace('gpiochip', ''))); } catch (e) {
    const m = mapGpioErrno(errnoCode(e) ?? (/No such file/.test(String(e)) ? 'ENOENT' : undefined));
    throw new HalError(m.code, e instanceof Error ? e.message : String(e), { device: `/dev/${name}`, operation: 'open', hint: m.hint, cause: e });
  }
  const lineCount = chip.getNumberOfLines?.() ?? 54; // BCM2711 has 58, RP1 54 lines; only used for range checks
  const clock = opts.clock;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  return {
    label: name, lineCount,
    // watch() samples the line on a Clock interval (node-libgpiod 1.x cannot read edge events).
    edgeEvents: false,
    async openLine(offset: number, o: GpioLineOptions): Promise<GpioLine> {
      const device = `/dev/${name} line ${offset}`;
      const consumer = o.consumer ?? 'deskphone';
      const flags = (o.activeLow ? FLAG_ACTIVE_LOW : 0) | (o.bias ? FLAG_BIAS[o.bias] ?? 0 : 0);
      let line: LibgpiodLine;
      try {
        line = new mod.Line(chip, offset);
        if (o.direction === 'out') {
          if (line.requestOutputModeFlags) line.requestOutputModeFlags(consumer, o.initial ?? 0, flags);
          else line.requestOutputMode(consumer, o.initial ?? 0);
        } else if (line.requestInputModeFlags) line.requestInputModeFlags(consumer, flags);
        else line.requestInputMode?.(consumer);
      } catch (e) {
        const m = mapGpioErrno(errnoCode(e) ?? (/busy/i.test(String(e)) ? 'EBUSY' : undefined));
        throw new HalError(m.code, e instanceof Error ? e.message : String(e), { device, operation: 'request', hint: m.hint, cause: e });
      }
      const get = (): Bit => (line.getValue() ? 1 : 0);
      const watchers = new Set<(v: Bit, at: number) => void>();
      let timer: TimerHandle | undefined;
      let last: Bit = 0;
      return {
        name: `${name}:${offset}`,
        async read() { return get(); },
        async write(v: Bit) { line.setValue(v); },
        watch(cb) {
          watchers.add(cb);
          if (!timer) {
            last = get();
            timer = clock.setInterval(() => {
              let v: Bit;
              try { v = get(); } catch { return; }
              if (v !== last) { last = v; for (const w of [...watchers]) w(v, clock.now()); }
            }, pollMs);
          }
          return () => { watchers.delete(cb); if (watchers.size === 0) { clock.clearInterval(timer); timer = undefined; } };
        },
        async close() { clock.clearInterval(timer); timer = undefined; try { line.release(); } catch { /* released */ } },
      };
    },
  };
}

// ---- Backend 2: libgpiod command-line tools -------------------------------------------------

export type GpiodCliVersion = 1 | 2;

/** "gpiomon (libgpiod) v1.6.3" → 1, "v2.1" → 2. */
export function parseGpiodVersion(text: string): GpiodCliVersion | undefined {
  const m = /libgpiod\)?\s*v?(\d+)\./.exec(text);
  if (!m) return undefined;
  return Number(m[1]) >= 2 ? 2 : 1;
}

/** gpiomon arguments. v1: `-b -B bias -F fmt chip offset`; v2: `-c chip -b bias -F fmt offset`. */
export function gpiomonArgs(v: GpiodCliVersion, chip: string, offset: number, o: { bias?: string; activeLow?: boolean }): string[] {
  const bias = o.bias && o.bias !== 'disable' ? o.bias : undefined;
  if (v === 1) {
    // v1 -F: %o offset, %e event (1 rising, 0 falling), %s.%n timestamp; -b line-buffered output.
    return ['-b', ...(bias ? ['-B', bias] : []), ...(o.activeLow ? ['-l'] : []), '-F', '%o %e %s.%n', chip, String(offset)];
  }
  // v2 -F: %o offset, %e event (1 rising, 2 falling), %S timestamp.
  return ['-c', chip, ...(bias ? ['-b', bias] : []), ...(o.activeLow ? ['-l'] : []), '-F', '%o %e %S', String(offset)];
}

/** One gpiomon output line → edge (rising = new logical value 1). */
export function parseGpiomonLine(v: GpiodCliVersion, line: string): { offset: number; value: Bit } | undefined {
  const m = /^(\d+)\s+(\d+)\b/.exec(line.trim());
  if (!m) return undefined;
  const ev = Number(m[2]);
  const value: Bit | undefined = ev === 1 ? 1 : (v === 1 ? ev === 0 : ev === 2) ? 0 : undefined;
  return value === undefined ? undefined : { offset: Number(m[1]), value };
}

export function gpiogetArgs(v: GpiodCliVersion, chip: string, offset: number, o: { bias?: string; activeLow?: boolean }): string[] {
  const bias = o.bias && o.bias !== 'disable' ? o.bias : undefined;
  return v === 1
    ? [...(bias ? ['-B', bias] : []), ...(o.activeLow ? ['-l'] : []), chip, String(offset)]
    : ['--numeric', '-c', chip, ...(bias ? ['-b', bias] : []), ...(o.activeLow ? ['-l'] : []), String(offset)];
}

/** gpioset holding the value until killed: v1 needs --mode=signal, v2 holds by default. */
export function gpiosetArgs(v: GpiodCliVersion, chip: string, offset: number, value: Bit, activeLow?: boolean): string[] {
  return v === 1
    ? ['--mode=signal', ...(activeLow ? ['-l'] : []), chip, `${offset}=${value}`]
    : ['-c', chip, ...(activeLow ? ['-l'] : []), `${offset}=${value}`];
}

export interface CliGpioOptions extends Omit<ChardevGpioOptions, 'module' | 'pollMs'> {
  spawn?: typeof spawnChild;
  execFile?: (cmd: string, args: string[]) => Promise<string>;
}

const defaultExec = (cmd: string, args: string[]): Promise<string> => new Promise((resolve, reject) => {
  execFileCb(cmd, args, { timeout: 5000 }, (err, stdout, stderr) => {
    if (err) reject(Object.assign(err, { stderr: String(stderr) })); else resolve(String(stdout));
  });
});

function cliError(e: unknown, device: string, operation: string): HalError {
  const code = errnoCode(e);
  if (code === 'ENOENT') return new HalError('UNAVAILABLE', 'libgpiod tools not installed', { device, operation, hint: APT_GPIOD, cause: e });
  const text = `${e instanceof Error ? e.message : String(e)} ${(e as { stderr?: string }).stderr ?? ''}`;
  const m = mapGpioErrno(/busy/i.test(text) ? 'EBUSY' : /permission/i.test(text) ? 'EACCES' : /no such/i.test(text) ? 'ENOENT' : undefined);
  return new HalError(m.code, text.trim(), { device, operation, hint: m.hint, cause: e });
}

/** Backend 2: gpiomon/gpioget/gpioset child processes. */
export async function openCliGpio(opts: CliGpioOptions): Promise<GpioController> {
  const exec = opts.execFile ?? defaultExec;
  const spawn = opts.spawn ?? spawnChild;
  let version: GpiodCliVersion | undefined;
  try { version = parseGpiodVersion(await exec('gpiomon', ['--version'])); } catch (e) { throw cliError(e, 'gpiomon', 'detect version'); }
  if (!version) throw new HalError('UNAVAILABLE', 'unrecognised gpiomon --version output', { device: 'gpiomon', operation: 'detect version', hint: APT_GPIOD });
  const v = version;
  const chip = opts.chip ?? await headerChipName(opts.root ?? '/', 'open');
  const clock = opts.clock;
  return {
    label: `${chip} (gpiod v${v} CLI)`, lineCount: 64,
    // Inputs follow gpiomon's output: the kernel's edge events, read as they arrive.
    edgeEvents: true,
    async openLine(offset: number, o: GpioLineOptions): Promise<GpioLine> {
      const device = `${chip} line ${offset}`;
      let proc: ChildProcess | undefined;
      let value: Bit = o.initial ?? 0;
      const watchers = new Set<(v: Bit, at: number) => void>();
      const hold = (val: Bit): Promise<void> => new Promise((resolve, reject) => {
        const old = proc;
        const p = spawn('gpioset', gpiosetArgs(v, chip, offset, val, o.activeLow), { stdio: ['ignore', 'ignore', 'pipe'] });
        p.once('error', (e) => reject(cliError(e, device, 'write')));
        p.once('spawn', () => { old?.kill(); proc = p; value = val; resolve(); });
      });
      if (o.direction === 'out') {
        await hold(o.initial ?? 0);
        return { name: device, async read() { return value; }, write: hold, watch: () => () => {}, async close() { proc?.kill(); } };
      }
      try { value = /\b1\b|=active/.test(await exec('gpioget', gpiogetArgs(v, chip, offset, o))) ? 1 : 0; } catch (e) { throw cliError(e, device, 'read'); }
      const mon = spawn('gpiomon', gpiomonArgs(v, chip, offset, o), { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve, reject) => { mon.once('error', (e) => reject(cliError(e, device, 'watch'))); mon.once('spawn', () => resolve()); });
      let buf = '';
      mon.stdout!.setEncoding('utf8');
      mon.stdout!.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const ev = parseGpiomonLine(v, buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (ev && ev.offset === offset && ev.value !== value) { value = ev.value; for (const w of [...watchers]) w(value, clock.now()); }
        }
      });
      proc = mon;
      return {
        name: device,
        async read() { return value; },
        async write() { throw new HalError('INVALID', 'line is an input', { device, operation: 'write' }); },
        watch(cb) { watchers.add(cb); return () => { watchers.delete(cb); }; },
        async close() { mon.kill(); },
      };
    },
  };
}
