/**
 * `deskphone sim`: the embedded call manager plus N emulated phones on this machine, each phone's
 * LCD, lamps and ringer drawn live in the terminal, keys from the keyboard. Everything below the
 * terminal is the real firmware: SCCP over loopback TCP, RTP over loopback UDP, the real HD44780
 * driver talking to an emulated PCF8574/HD44780.
 */
import { join } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import { createEmulatedPhone, type EmulatedPhone } from '../node/emulated-phone.js';
import { createLogger, levelFromOptions, memoryLogger, teeLogger, type FullLogger } from '../node/logger.js';
import { Teardown, startOrTearDown } from '../node/lifecycle.js';
import { LOG_OPTIONS, intOption, parseCommandLine, usageError } from '../command-line.js';
import { summaryOf } from '../command-summaries.js';
import { loadBoardConfig } from '../../hal/board/load.js';
import { keypadOf } from '../../hal/board/components/index.js';
import { traceTo } from '../../firmware/station/trace.js';
import { DEFAULT_CM_CONFIG } from '../callmanager-main.js';
import { renderPhones, helpLine, nameHeard, type PhoneView } from './render.js';
import { parseKeys } from './keys.js';
import { describeHeard } from '../scenario/hearing.js';
import { packageRoot } from '../node/package-root.js';

const DEFAULT_BOARD = join(packageRoot(import.meta.url), 'board-configs/laptop-emulated.yaml');
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
    server: { type: 'string', short: 's', arg: 'HOST:PORT', help: 'an external call manager (Asterisk chan_skinny, chan-sccp, CUCM) instead of the embedded one' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'keep state across runs (docs/state.md): phones in DIR/<device>/, the call manager in DIR/callmanager.sqlite (default: memory)' },
    device: { type: 'string', multiple: true, arg: 'SEP...', help: 'with --server: a device name to register as (repeatable; default: the config\'s devices)' },
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
  const stateDir = values['state-dir'];
  if (stateDir !== undefined && config.storage.path === ':memory:') config.storage.path = join(stateDir, 'callmanager.sqlite');
  loadBoardConfig(values.board); // a broken board config stops here, before anything listens
  let external: { host: string; port: number } | undefined;
  if (values.server !== undefined) {
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(values.server);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return usageError('sim', `--server ${values.server}: expected HOST:PORT (Asterisk chan_skinny: 192.0.2.10:2000)`);
    external = { host: m[1]!, port: Number(m[2]) };
  }
  const deviceFlags = (values.device ?? []) as string[];
  const bad = deviceFlags.find((d) => !/^SEP[0-9A-F]{12}$/i.test(d));
  if (bad !== undefined) return usageError('sim', `--device ${bad}: expected SEP followed by 12 hex digits (the phone's name in skinny.conf)`);
  if (deviceFlags.length && !external) return usageError('sim', '--device needs --server (the embedded call manager uses the config\'s devices)');
  // With --server: --device names, else the config's devices, all over SCCP to that call manager.
  const devices = deviceFlags.length
    ? deviceFlags.map((d) => ({ name: d.toUpperCase(), label: d.toLowerCase(), sscp: false }))
    : config.devices.map((d) => ({ name: d.name, label: (config.lines.find((l) => l.number === d.lines[0])?.name ?? d.name).toLowerCase(),
      sscp: !external && d.protocol === 'sscp' }));
  const n = deviceFlags.length && values.phones === '2' ? devices.length
    : intOption('sim', 'phones', values.phones, 1, devices.length, deviceFlags.length ? 'phones (--device names):' : `phones (devices in ${values.config}):`);
  const port = intOption('sim', 'port', values.port, 0, 65535, 'a TCP port');
  if (n === undefined || port === undefined) return 2;
  if (values.seconds !== undefined && !(Number(values.seconds) > 0)) return usageError('sim', `--seconds ${values.seconds}: expected a number of seconds > 0`);
  const level = levelFromOptions(values);
  const pane = memoryLogger(level, 6);
  const log = process.stderr.isTTY ? pane : teeLogger(pane, createLogger(level));
  const clock = new SystemClock();
  const teardown = new Teardown();
  const phones: EmulatedPhone[] = [];
  const cm = external ? undefined : await listen(config, port, log, clock);
  if (cm) teardown.add('call manager', () => cm.close());
  await startOrTearDown(teardown, async () => { for (let i = 0; i < n; i++) {
    const dev = devices[i]!;
    const server = external ?? { host: '127.0.0.1', port: dev.sscp ? cm!.sscp!.port : cm!.port };
    const phone = await createEmulatedPhone({
      name: dev.label, deviceName: dev.name, boardFile: values.board!, protocol: dev.sscp ? 'sscp' : 'sccp',
      servers: [server], clock, micFrequency: micFrequency(i), ...(stateDir !== undefined ? { stateDir: join(stateDir, dev.name) } : {}), log,
      // SCCP phones search the CM's HTTP directory when its config has one (docs/directory.md §4).
      ...(!dev.sscp && cm?.directory ? { stack: { directoryUrl: cm.directory.url } } : {}),
    });
    teardown.add(dev.label, () => phone.close());
    phones.push(phone);
    await phone.start();
  } });
  const freqs = [350, 440, 480, 620, ...phones.map((p) => p.micFrequency)];
  const mics = new Map(phones.map((p) => [p.micFrequency, p.name]));
  const board = loadBoardConfig(values.board!);
  const named = keypadOf(board.keypad).keyNames(board.keypad);
  const boardKeys = named ? new Set(named) : undefined;
  // Call events in the log pane; the tone the CM asked for tells busy from reorder (same pair).
  const tones = phones.map(() => undefined as string | undefined);
  phones.forEach((p, i) => p.station.onEvent((ev) => {
    if (ev.type === 'tone') tones[i] = ev.tone;
    else if (ev.type === 'toneStop') tones[i] = undefined;
    else if (ev.type === 'callState') log.info(`${p.name}: call ${ev.callRef} ${ev.state}`);
    else if (ev.type === 'callInfo') log.info(`${p.name}: call ${ev.callRef} ${ev.direction} ${ev.direction === 'inbound' ? `from ${ev.calling} ${ev.callingName}` : `to ${ev.called} ${ev.calledName}`}`);
  }));
  const codec = (p: EmulatedPhone): string => {
    const [id] = p.media.activeStreams();
    return id === undefined ? '' : (p.media.stats(id) as { rxCodec?: string } | undefined)?.rxCodec ?? '';
  };
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
      ringer: p.board.hardware.ringer.mode, offHook: p.board.emulators.hook.offHook, speaker: p.app.speakerphone, codec: codec(p),
      mic: p.micFrequency, hears: nameHeard(hears(p, freqs), mics, tones[i]), selected: i === selected,
    }));
    const title = cm
      ? `call manager on 127.0.0.1 (${[`SCCP tcp/${cm.port}`, ...(cm.sscp ? [`SSCP udp/${cm.sscp.port}`] : []), ...(cm.tsp ? [`TSP tcp/${cm.tsp.port}`] : [])].join(', ')})`
      : `external call manager ${values.server} (SCCP)`;
    const frame = [`deskphone sim: ${title}`, '', ...renderPhones(views, process.stdout.columns ?? 100), helpLine(boardKeys), ...pane.lines].join('\n');
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
