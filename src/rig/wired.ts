/**
 * A wired board: the scenario's inputs are electrical, from the test host's own GPIO lines (each
 * closing an analog switch across a key's row and column or across the hook contact), and lamps
 * and ringer are read from host inputs wired to the board's outputs (docs/hil.md "Wiring"). The
 * screen and the earpiece still come from the board's agent (display bus decoder, on-board tone
 * analysis), and the agent resets the board between scenarios.
 *
 * Lamp and ringer modes are read from the host line's edges with the same cadence matcher the
 * emulated boards use (hal/board/observe.ts). The wire alone cannot tell a ringer between bursts
 * from a stopped one, so a wired ringer keeps the runner's "ringer off" margin.
 */
import type { Clock } from '../../hal/api/clock.js';
import type { LampMode, RingMode } from '../../hal/api/devices.js';
import type { GpioController, GpioLine } from '../../hal/api/gpio.js';
import { OutputObserver } from '../../hal/board/observe.js';
import type { OnBoardHearing, PhoneUnderTest } from '../scenario/rig.js';
import type { RemotePhone } from './client.js';
import type { WiredConfig } from './rig-file.js';

/** Shortest press a board accepts: the switch must stay closed through the debounce twice over (docs/hil.md "Timing"). */
export function minimumPressMs(debounceMs: number): number { return 2 * debounceMs; }
/** Default press: the same as the emulated keypad's tap (5 × debounce, at least 100 ms). */
export function defaultPressMs(debounceMs: number): number { return Math.max(100, 5 * debounceMs); }

export class WiredPhone implements PhoneUnderTest {
  readonly hearing: OnBoardHearing;
  private constructor(
    private readonly remote: RemotePhone,
    private readonly clock: Clock,
    private readonly pressMs: number,
    private readonly settleMs: number,
    private readonly keyLines: ReadonlyMap<string, GpioLine>,
    private readonly hookLine: GpioLine | undefined,
    private readonly lampObs: ReadonlyMap<string, OutputObserver>,
    private readonly ringerObs: OutputObserver | undefined,
    private readonly lines: GpioLine[],
    private readonly outputs: GpioLine[],
  ) {
    this.hearing = remote.hearing;
  }

  static async open(remote: RemotePhone, cfg: WiredConfig, gpio: GpioController, clock: Clock): Promise<WiredPhone> {
    const info = remote.agent.info;
    const pressMs = cfg.pressMs ?? defaultPressMs(info.debounceMs);
    if (pressMs < minimumPressMs(info.debounceMs)) {
      throw new Error(`${remote.name}: wired.pressMs ${pressMs} ms is shorter than twice the board's debounce (2 × ${info.debounceMs} ms): the driver would not see the press`);
    }
    const lines: GpioLine[] = [];
    const outputs: GpioLine[] = [];
    const out = async (line: number, what: string): Promise<GpioLine> => {
      const l = await gpio.openLine(line, { direction: 'out', initial: 0, consumer: `rig ${remote.name} ${what}` });
      lines.push(l);
      outputs.push(l);
      return l;
    };
    try {
      const keyLines = new Map<string, GpioLine>();
      for (const [key, line] of Object.entries(cfg.keys)) {
        if (!info.keys.includes(key)) throw new Error(`${remote.name}: wired.keys.${key}: the board has no key "${key}" (keys: ${info.keys.join(' ')})`);
        keyLines.set(key, await out(line, `key ${key}`));
      }
      const hookLine = cfg.hook === undefined ? undefined : await out(cfg.hook, 'hook');
      const observe = async (inp: { line: number; activeLow: boolean }, what: string): Promise<OutputObserver> => {
        const l = await gpio.openLine(inp.line, { direction: 'in', edge: 'both', bias: 'disable', activeLow: inp.activeLow, consumer: `rig ${remote.name} ${what}` });
        lines.push(l);
        const initial = (await l.read()) === 1;
        return new OutputObserver(clock, (cb) => l.watch((v, at) => cb(v === 1, at)), initial);
      };
      const lampObs = new Map<string, OutputObserver>();
      for (const [name, inp] of Object.entries(cfg.lamps)) {
        if (!info.lamps.includes(name)) throw new Error(`${remote.name}: wired.lamps.${name}: the board has no lamp "${name}" (lamps: ${info.lamps.join(' ')})`);
        lampObs.set(name, await observe(inp, `lamp ${name}`));
      }
      const ringerObs = cfg.ringer ? await observe(cfg.ringer, 'ringer') : undefined;
      return new WiredPhone(remote, clock, pressMs, info.debounceMs * 3, keyLines, hookLine, lampObs, ringerObs, lines, outputs);
    } catch (e) {
      for (const l of lines) await l.close().catch(() => {});
      throw e;
    }
  }

  get name(): string { return this.remote.name; }
  get micFrequency(): number { return this.remote.micFrequency; }
  get latencyMs(): number { return this.remote.latencyMs; }
  get ringerOffIsImmediate(): boolean { return this.ringerObs ? false : this.remote.ringerOffIsImmediate; }

  async lift(): Promise<void> { await this.hook(1); }
  async replace(): Promise<void> { await this.hook(0); }

  async tap(key: string): Promise<void> {
    const line = this.keyLines.get(key);
    if (!line) throw new Error(`${this.name}: key "${key}" is not wired (rig file wired.keys: ${[...this.keyLines.keys()].join(' ') || 'none'})`);
    await line.write(1);
    await this.clock.sleep(this.pressMs);
    await line.write(0);
    await this.clock.sleep(this.pressMs);
  }

  lcd(): string[] { return this.remote.lcd(); }
  softkeyCount(): number { return this.remote.softkeyCount(); }
  /** Wired lamps from the host's inputs; lamps not wired from the agent's line reading. */
  lamps(): Record<string, LampMode> {
    const out: Record<string, LampMode> = { ...this.remote.lamps() };
    for (const [name, obs] of this.lampObs) out[name] = obs.lampMode();
    return out;
  }
  ringer(): RingMode { return this.ringerObs ? this.ringerObs.ringMode() : this.remote.ringer(); }
  /** The codec is not on any wire: it comes from the board's agent when one is connected. */
  receiveCodec(): string | undefined { return this.remote.receiveCodec(); }
  restart(): Promise<void> { return this.remote.restart(); }
  heard(ms: number): { samples: Int16Array; sampleRate: number } { return this.remote.heard(ms); }

  /** Releases every switch and the host lines. */
  async close(): Promise<void> {
    for (const o of [...this.lampObs.values(), ...(this.ringerObs ? [this.ringerObs] : [])]) o.close();
    for (const l of this.outputs) await l.write(0).catch(() => {});
    for (const l of this.lines) await l.close().catch(() => {});
  }

  private async hook(v: 0 | 1): Promise<void> {
    if (!this.hookLine) throw new Error(`${this.name}: the hook is not wired (rig file wired.hook)`);
    await this.hookLine.write(v);
    await this.clock.sleep(this.settleMs);
  }
}
