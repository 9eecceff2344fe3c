/**
 * `deskphone sim`: the embedded call manager plus N emulated phones on this machine, each phone's
 * LCD, lamps and ringer drawn live in the terminal, keys from the keyboard. Everything below the
 * terminal is the real firmware: SCCP over loopback TCP, RTP over loopback UDP, the real HD44780
 * driver talking to an emulated PCF8574/HD44780.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/sccp/server.js';
import { createEmulatedPhone, type EmulatedPhone } from '../node/emulated-phone.js';
import { memoryLogger } from '../node/logger.js';
import { DEFAULT_CM_CONFIG } from '../callmanager-main.js';
import { renderPhones, HELP_LINE, type PhoneView } from './render.js';
import { parseKeys } from './keys.js';
import { describeHeard } from '../scenario/hearing.js';

const DEFAULT_BOARD = fileURLToPath(new URL('../../../board-configs/laptop-emulated.yaml', import.meta.url));
/** Microphone tones: 1000 Hz, 1500 Hz, ... so each phone is recognisable at the far end. */
const micFrequency = (i: number) => 1000 + 500 * i;
const FRAME_MS = 100;

async function listen(config: ReturnType<typeof loadCallManagerConfig>, port: number, log: ReturnType<typeof memoryLogger>, clock: SystemClock): Promise<CallManagerHandle> {
  const cmLog = { info: log.info, warn: log.warn, debug: log.debug };
  try {
    // SSCP on a free UDP port so SSCP devices in the config can join; TSP as the config says.
    return await startCallManager({ config, host: '127.0.0.1', port, sscpPort: 0, sscpHost: '127.0.0.1', clock, log: cmLog });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    log.warn(`port ${port} is in use; the call manager takes a free port instead`);
    return startCallManager({ config, host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost: '127.0.0.1', clock, log: cmLog });
  }
}

function hears(p: EmulatedPhone, freqs: number[]): string {
  const { samples, sampleRate } = p.heard(200);
  return describeHeard(samples, sampleRate, freqs);
}

export async function simMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      phones: { type: 'string', short: 'n', default: '2' },
      config: { type: 'string', short: 'c', default: DEFAULT_CM_CONFIG },
      board: { type: 'string', short: 'b', default: DEFAULT_BOARD },
      port: { type: 'string', short: 'p', default: '2000' },
      seconds: { type: 'string' },
      /** An external call manager (Asterisk, chan-sccp, CUCM) instead of the embedded one: HOST:PORT. */
      server: { type: 'string', short: 's' },
      /** Device names the phones register as (SEP + 12 hex), with --server; default: the config's devices. */
      device: { type: 'string', multiple: true },
    },
  });
  const config = loadCallManagerConfig(values.config!);
  let external: { host: string; port: number } | undefined;
  if (values.server !== undefined) {
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(values.server);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      console.error(`deskphone sim: --server ${values.server}: expected HOST:PORT (Asterisk chan_skinny: 192.0.2.10:2000)`);
      return 2;
    }
    external = { host: m[1]!, port: Number(m[2]) };
  }
  const bad = (values.device ?? []).find((d) => !/^SEP[0-9A-F]{12}$/i.test(d));
  if (bad !== undefined) { console.error(`deskphone sim: --device ${bad}: expected SEP followed by 12 hex digits (the phone's name in skinny.conf)`); return 2; }
  if (values.device?.length && !external) { console.error('deskphone sim: --device needs --server (the embedded call manager uses the config\'s devices)'); return 2; }
  // With --server: --device names, else the config's devices, all over SCCP to that call manager.
  const devices = values.device?.length
    ? values.device.map((d) => ({ name: d.toUpperCase(), label: d.toLowerCase(), sscp: false }))
    : config.devices.map((d) => ({ name: d.name, label: (config.lines.find((l) => l.number === d.lines[0])?.name ?? d.name).toLowerCase(),
      sscp: !external && d.protocol === 'sscp' }));
  const n = values.device?.length && values.phones === '2' ? devices.length : Number(values.phones);
  if (!Number.isInteger(n) || n < 1 || n > devices.length) {
    console.error(`deskphone sim: --phones ${values.phones}: expected 1..${devices.length} (${values.device?.length ? '--device names' : `devices in ${values.config}`})`);
    return 2;
  }
  const log = memoryLogger('info', 6);
  const clock = new SystemClock();
  const cm = external ? undefined : await listen(config, Number(values.port), log, clock);
  const phones: EmulatedPhone[] = [];
  for (let i = 0; i < n; i++) {
    const dev = devices[i]!;
    const server = external ?? { host: '127.0.0.1', port: dev.sscp ? cm!.sscp!.port : cm!.port };
    const phone = await createEmulatedPhone({
      name: dev.label, deviceName: dev.name, boardFile: values.board!, protocol: dev.sscp ? 'sscp' : 'sccp',
      servers: [server], clock, micFrequency: micFrequency(i), log,
    });
    phones.push(phone);
    await phone.start();
  }
  const freqs = [350, 440, 480, 620, ...phones.map((p) => p.micFrequency)];
  let selected = 0;
  // Keys typed faster than a finger can press them are queued per phone, one tap after another.
  const queues = phones.map(() => Promise.resolve());
  const enqueue = (i: number, act: () => Promise<void>) => {
    queues[i] = queues[i]!.then(act).catch((e: Error) => log.warn(`${phones[i]!.name}: ${e.message}`));
  };
  let lastFrame = '';
  const tty = process.stdout.isTTY === true;
  const draw = () => {
    const views: PhoneView[] = phones.map((p, i) => ({
      name: p.name, device: `${p.station.deviceName} ${p.station.protocol.toUpperCase()}`, registration: p.station.state, lcd: p.lcd(),
      // What the firmware drives now (the wire readback needs a whole cadence to tell "off" from a pause).
      lamps: Object.fromEntries(Object.entries(p.board.hardware.lamps).map(([k, l]) => [k, l.mode])),
      ringer: p.board.hardware.ringer.mode, offHook: p.board.emulators.hook.offHook, mic: p.micFrequency, hears: hears(p, freqs), selected: i === selected,
    }));
    const title = cm
      ? `call manager on 127.0.0.1 (${[`SCCP tcp/${cm.port}`, ...(cm.sscp ? [`SSCP udp/${cm.sscp.port}`] : []), ...(cm.tsp ? [`TSP tcp/${cm.tsp.port}`] : [])].join(', ')})`
      : `external call manager ${values.server} (SCCP)`;
    const frame = [`deskphone sim: ${title}`, '', ...renderPhones(views, process.stdout.columns ?? 100), HELP_LINE, '', ...log.lines].join('\n');
    if (frame === lastFrame) return;
    lastFrame = frame;
    process.stdout.write(tty ? `\x1b[H\x1b[2J${frame}\n` : `${frame}\n\n`);
  };
  const frames = setInterval(draw, FRAME_MS);

  const done = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop); process.once('SIGTERM', stop);
    if (values.seconds !== undefined) setTimeout(stop, Number(values.seconds) * 1000);
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      for (const a of parseKeys(chunk)) {
        const p = phones[selected]!;
        if (a.kind === 'quit') stop();
        else if (a.kind === 'next') selected = (selected + 1) % phones.length;
        else if (a.kind === 'hook') enqueue(selected, () => (p.board.emulators.hook.offHook ? p.replace() : p.lift()));
        else enqueue(selected, () => p.tap(a.key));
      }
      draw();
    });
    process.stdin.on('end', () => { if (values.seconds === undefined && !process.stdin.isTTY) { /* keep running until a signal */ } });
  });
  draw();
  await done;
  clearInterval(frames);
  draw();
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  for (const p of phones) await p.close();
  await cm?.close();
  return 0;
}
