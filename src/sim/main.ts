/**
 * `deskphone sim`: the embedded call manager plus N emulated phones on this machine, each phone's
 * LCD, lamps and ringer drawn live in the terminal, keys from the keyboard. Everything below the
 * terminal is the real firmware: SCCP over loopback TCP, RTP over loopback UDP, the real HD44780
 * driver talking to an emulated PCF8574/HD44780.
 */
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/sccp/server.js';
import { createEmulatedPhone, type EmulatedPhone } from '../node/emulated-phone.js';
import { createLogger, levelFromOptions, memoryLogger, teeLogger, type FullLogger } from '../node/logger.js';
import { Teardown, startOrTearDown } from '../node/lifecycle.js';
import { LOG_OPTIONS, intOption, parseCommandLine, usageError } from '../command-line.js';
import { summaryOf } from '../cli.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import { traceTo } from '../../firmware/station/trace.js';
import { DEFAULT_CM_CONFIG } from '../callmanager-main.js';
import { renderPhones, HELP_LINE, type PhoneView } from './render.js';
import { parseKeys } from './keys.js';
import { describeHeard } from '../scenario/hearing.js';

const DEFAULT_BOARD = fileURLToPath(new URL('../../../board-configs/laptop-emulated.yaml', import.meta.url));
/** Microphone tones: 1000 Hz, 1500 Hz, ... so each phone is recognisable at the far end. */
const micFrequency = (i: number) => 1000 + 500 * i;
const FRAME_MS = 100;

async function listen(config: ReturnType<typeof loadCallManagerConfig>, port: number, log: FullLogger, clock: SystemClock): Promise<CallManagerHandle> {
  const trace = log.enabled('trace') ? { trace: traceTo((l) => log.trace(`cm: ${l}`)) } : {};
  try {
    // SSCP on a free UDP port so SSCP devices in the config can join; TSP as the config says.
    return await startCallManager({ config, host: '127.0.0.1', port, sscpPort: 0, sscpHost: '127.0.0.1', clock, log, ...trace });
  } catch (e) {
    if (!(e as Error).message.includes(`cannot listen on 127.0.0.1:${port}:`) || !/EADDRINUSE/.test((e as Error).message)) throw e;
    log.warn(`port ${port} is in use; the call manager takes a free port instead`);
    return startCallManager({ config, host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost: '127.0.0.1', clock, log, ...trace });
  }
}

const SPEC = {
  name: 'sim', summary: summaryOf('sim'),
  options: {
    phones: { type: 'string', short: 'n', default: '2', arg: 'N', help: 'emulated phones, the first N devices of the config' },
    config: { type: 'string', short: 'c', default: DEFAULT_CM_CONFIG, defaultText: 'callmanager/examples/two-phones.yaml', arg: 'FILE', help: 'call-manager config' },
    board: { type: 'string', short: 'b', default: DEFAULT_BOARD, defaultText: 'board-configs/laptop-emulated.yaml', arg: 'FILE', help: 'board config of every phone' },
    port: { type: 'string', short: 'p', default: '2000', arg: 'N', help: 'SCCP TCP port of the embedded call manager (a free one when taken)' },
    seconds: { type: 'string', arg: 'S', help: 'quit after S seconds (default: run until x or Ctrl-C)' },
    ...LOG_OPTIONS,
  },
  epilog: 'Keys: Tab next phone, 0-9 * # keypad, a-d keys A-D, Space hook, F1-F4 or q w e r softkeys, l line 1, h history, x or Ctrl-C quits.\nLog lines show in the bottom pane; with stderr redirected (2>sim.log) they are written there too.',
} as const;

function hears(p: EmulatedPhone, freqs: number[]): string {
  const { samples, sampleRate } = p.heard(200);
  return describeHeard(samples, sampleRate, freqs);
}

export async function simMain(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(SPEC, argv);
  const config = loadCallManagerConfig(values.config);
  loadBoardConfig(values.board); // a broken board config stops here, before anything listens
  const n = intOption('sim', 'phones', values.phones, 1, config.devices.length, `phones (devices in ${values.config}):`);
  const port = intOption('sim', 'port', values.port, 0, 65535, 'a TCP port');
  if (n === undefined || port === undefined) return 2;
  if (values.seconds !== undefined && !(Number(values.seconds) > 0)) return usageError('sim', `--seconds ${values.seconds}: expected a number of seconds > 0`);
  const level = levelFromOptions(values);
  const pane = memoryLogger(level, 6);
  const log = process.stderr.isTTY ? pane : teeLogger(pane, createLogger(level));
  const clock = new SystemClock();
  const teardown = new Teardown();
  const phones: EmulatedPhone[] = [];
  const cm = await listen(config, port, log, clock);
  teardown.add('call manager', () => cm.close());
  await startOrTearDown(teardown, async () => { for (let i = 0; i < n; i++) {
    const dev = config.devices[i]!;
    const line = config.lines.find((l) => l.number === dev.lines[0]);
    const name = (line?.name ?? dev.name).toLowerCase();
    const sscp = dev.protocol === 'sscp';
    const phone = await createEmulatedPhone({
      name, deviceName: dev.name, boardFile: values.board!, protocol: sscp ? 'sscp' : 'sccp',
      servers: [{ host: '127.0.0.1', port: sscp ? cm.sscp!.port : cm.port }], clock, micFrequency: micFrequency(i), log,
    });
    teardown.add(name, () => phone.close());
    phones.push(phone);
    await phone.start();
  } });
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
    const listeners = [`SCCP tcp/${cm.port}`, ...(cm.sscp ? [`SSCP udp/${cm.sscp.port}`] : []), ...(cm.tsp ? [`TSP tcp/${cm.tsp.port}`] : [])];
    const frame = [`deskphone sim: call manager on 127.0.0.1 (${listeners.join(', ')})`, '', ...renderPhones(views, process.stdout.columns ?? 100), HELP_LINE, '', ...pane.lines].join('\n');
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
  await cm.close();
  return 0;
}
