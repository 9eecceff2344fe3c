/**
 * ALSA audio through the alsa-utils CLIs (docs/hardware.md §7: the primary backend): `arecord`
 * streams raw S16_LE mono to our stdin pipe, `aplay` plays what we write to its stdin. No native
 * build; the same device strings as any ALSA program ("default", "plughw:1,0", "filecap:INFILE=…").
 *
 * Open detection: with `-v`, both tools print "Its setup is:" to stderr once the PCM is open and
 * its hw params are set; an exit before that is an open failure, mapped to a HalError from the
 * tool's own message. A later exit is a device loss (USB unplug) reported through onError.
 * The ALSA period equals the PcmFormat period (the packet time), the buffer is 4 periods.
 */
import { PeriodAssembler } from './audio-period.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { HalError, type HalErrorCode } from '../api/errors.js';
import type { PcmFormat, PcmSink, PcmSource } from '../api/pcm.js';

/** ALSA buffer = this many periods (80 ms at 20 ms: room for scheduling hiccups, little latency). */
const BUFFER_PERIODS = 4;
/** Playback buffers we keep in flight to aplay's stdin before dropping periods (backpressure). */
const SINK_RING = 8;
/** Open must complete within this (a stuck PCM open, e.g. a hung PulseAudio, is reported, not awaited forever). */
const OPEN_TIMEOUT_MS = 5000;
const OPENED = 'Its setup is:';

export interface CliAudioOptions {
  /** ALSA PCM name, e.g. "default", "plughw:1,0", "filecap:INFILE=/tmp/in.raw". */
  device: string;
  format: PcmFormat;
  /** Tool path (default 'arecord' / 'aplay'). */
  command?: string;
  /** Extra environment (tests set XDG_CONFIG_HOME to a fixture asoundrc). */
  env?: NodeJS.ProcessEnv;
}

function alsaArgs(o: CliAudioOptions): string[] {
  const f = o.format;
  return ['-v', '-D', o.device, '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(f.sampleRate),
    `--period-size=${f.periodFrames}`, `--buffer-size=${f.periodFrames * BUFFER_PERIODS}`];
}

/** Maps a tool's stderr / spawn error to a HalError with device, operation and hint. */
export function cliAudioError(tool: string, device: string, operation: string, stderr: string, cause?: unknown): HalError {
  const errno = (cause as { code?: string } | undefined)?.code;
  if (errno === 'ENOENT') {
    return new HalError('UNAVAILABLE', `${tool} not found`, { device, operation, hint: 'sudo apt install alsa-utils', cause });
  }
  const line = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Playing') && !l.startsWith('Recording')).pop() ?? '';
  let code: HalErrorCode = 'EIO';
  let hint = `check the device with: ${tool} -L, and ${tool} -D '${device}' by hand`;
  if (/No such file or directory|Cannot get card index|Unknown PCM|No such device/i.test(stderr)) {
    code = 'ENOENT';
    hint = `no ALSA device '${device}': plug it in or pick one from '${tool} -L' / '${tool} -l'`;
  } else if (/Device or resource busy/i.test(stderr)) {
    code = 'EBUSY'; hint = 'another program holds the device (stop it, or use a dmix/dsnoop or pulse device)';
  } else if (/Permission denied/i.test(stderr)) {
    code = 'EACCES'; hint = 'add the user to the "audio" group';
  } else if (/Invalid argument|not available|Sample format non available|Channels count non available/i.test(stderr)) {
    code = 'INVALID'; hint = `the device cannot do S16_LE mono at the requested rate: use a 'plughw:' or 'default' device`;
  }
  return new HalError(code, line || `${tool} failed`, { device, operation, hint, cause });
}

/** Spawns `cmd`, resolves once the PCM is open (stderr shows the setup), rejects with a HalError otherwise. */
function spawnOpened(tool: string, cmd: string, args: string[], o: CliAudioOptions, operation: string,
  stdio: ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe']): Promise<{ child: ChildProcess; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    let err = '';
    let opened = false;
    const child = spawn(cmd, args, { stdio, env: o.env ? { ...process.env, ...o.env } : process.env });
    const timer = setTimeout(() => {
      if (opened) return;
      child.kill('SIGKILL');
      reject(new HalError('EIO', `no PCM setup within ${OPEN_TIMEOUT_MS} ms`, { device: o.device, operation, hint: 'the device hangs on open (sound server stuck?)' }));
    }, OPEN_TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 16384) err += d.toString();        // the setup dump is ~1 KB; keep a bounded tail for messages
      if (!opened && err.includes(OPENED)) { opened = true; clearTimeout(timer); resolve({ child, stderr: () => err }); }
    });
    child.once('error', (e) => { clearTimeout(timer); if (!opened) reject(cliAudioError(tool, o.device, operation, err, e)); });
    child.once('exit', () => { clearTimeout(timer); if (!opened) reject(cliAudioError(tool, o.device, operation, err)); });
  });
}

/** Capture through `arecord`. Periods are delivered in one reused buffer. */
export class ArecordSource implements PcmSource {
  readonly name: string;
  readonly format: PcmFormat;
  private child: ChildProcess | undefined;
  private readonly assembler: PeriodAssembler;
  /** Periods delivered since start. */
  get periods(): number { return this.assembler.periods; }
  private stopping = false;
  private readonly errorCbs = new Set<(err: Error) => void>();

  constructor(private readonly opts: CliAudioOptions) {
    this.format = opts.format;
    this.name = `arecord:${opts.device}`;
    this.assembler = new PeriodAssembler(opts.format.periodFrames);
  }

  async start(onPeriod: (samples: Int16Array) => void): Promise<void> {
    if (this.child) return;
    this.stopping = false;
    this.assembler.reset();
    const { child, stderr } = await spawnOpened('arecord', this.opts.command ?? 'arecord', alsaArgs(this.opts), this.opts,
      'open capture', ['ignore', 'pipe', 'pipe']);
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.onData(chunk, onPeriod));
    child.once('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopping) return;
      const e = cliAudioError('arecord', this.opts.device, 'capture', stderr());
      this.emitError(new HalError('DISCONNECTED', `arecord exited (${code ?? signal}) while capturing: ${e.message}`,
        { device: this.opts.device, operation: 'capture', hint: 'device unplugged or taken over; start() again to reopen', cause: e }));
    });
  }

  private onData(chunk: Buffer, onPeriod: (samples: Int16Array) => void): void {
    this.assembler.push(chunk, onPeriod, (e) => this.emitError(e), () => !this.stopping);
  }


  async stop(): Promise<void> {
    const c = this.child;
    if (!c) return;
    this.stopping = true;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  onError(cb: (err: Error) => void): () => void {
    this.errorCbs.add(cb);
    return () => this.errorCbs.delete(cb);
  }

  private emitError(e: Error): void { for (const cb of this.errorCbs) cb(e); }
}

/**
 * Playback through `aplay`. Use `AplaySink.open()` (resolves once the device is open). Periods are
 * copied into a ring of preallocated buffers; when aplay falls SINK_RING periods behind, new
 * periods are dropped and counted in `dropped` instead of queueing without bound.
 */
export class AplaySink implements PcmSink {
  readonly name: string;
  readonly format: PcmFormat;
  private readonly ring: Buffer[];
  private readonly inFlight: boolean[];
  private readonly done: Array<() => void>;
  private next = 0;
  private closed = false;
  private exited: Promise<void>;
  private readonly errorCbs = new Set<(err: Error) => void>();
  /** Periods written / dropped for backpressure or after the device went away. */
  periods = 0; dropped = 0;

  private constructor(private readonly opts: CliAudioOptions, private readonly child: ChildProcess, stderr: () => string) {
    this.format = opts.format;
    this.name = `aplay:${opts.device}`;
    const bytes = opts.format.periodFrames * 2;              // S16 mono
    this.ring = Array.from({ length: SINK_RING }, () => Buffer.alloc(bytes));
    this.inFlight = new Array<boolean>(SINK_RING).fill(false);
    this.done = this.ring.map((_, i) => () => { this.inFlight[i] = false; });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      if (!this.closed) {
        const e = cliAudioError('aplay', opts.device, 'playback', stderr());
        this.emitError(new HalError('DISCONNECTED', `aplay exited (${code ?? signal}) while playing: ${e.message}`,
          { device: opts.device, operation: 'playback', hint: 'device unplugged or taken over; open a new sink', cause: e }));
      }
      this.closed = true;
      resolve();
    }));
    child.stdin!.on('error', () => { /* EPIPE after aplay died: reported by the exit handler */ });
  }

  static async open(opts: CliAudioOptions): Promise<AplaySink> {
    const { child, stderr } = await spawnOpened('aplay', opts.command ?? 'aplay', alsaArgs(opts), opts, 'open playback',
      ['pipe', 'ignore', 'pipe']);
    return new AplaySink(opts, child, stderr);
  }

  write(samples: Int16Array): void {
    if (this.closed) { this.dropped++; return; }
    const k = this.next;
    if (this.inFlight[k]) { this.dropped++; return; }
    this.next = (k + 1) % SINK_RING;
    const b = this.ring[k]!;
    const n = Math.min(samples.length, this.format.periodFrames);
    for (let i = 0; i < n; i++) b.writeInt16LE(samples[i]!, i * 2);
    this.inFlight[k] = true;
    this.child.stdin!.write(n === this.format.periodFrames ? b : b.subarray(0, n * 2), this.done[k]);
    this.periods++;
  }

  /** Ends the stream and waits until aplay has played (written) everything and exited. */
  async close(): Promise<void> {
    if (!this.closed) { this.closed = true; this.child.stdin!.end(); }
    await this.exited;
  }

  onError(cb: (err: Error) => void): () => void {
    this.errorCbs.add(cb);
    return () => this.errorCbs.delete(cb);
  }

  private emitError(e: Error): void { for (const cb of this.errorCbs) cb(e); }
}
