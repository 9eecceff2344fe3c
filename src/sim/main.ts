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
import { renderPhones, helpLine, nameHeard, type PhoneView } from './render.js';
import { loadBoardConfig } from '../../hal/board/load.js';
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
    },
  });
  const config = loadCallManagerConfig(values.config!);
  const n = Number(values.phones);
  if (!Number.isInteger(n) || n < 1 || n > config.devices.length) {
    console.error(`deskphone sim: --phones ${values.phones}: expected 1..${config.devices.length} (devices in ${values.config})`);
    return 2;
  }
  const log = memoryLogger('info', 6);
  const clock = new SystemClock();
  const cm = await listen(config, Number(values.port), log, clock);
  const phones: EmulatedPhone[] = [];
  for (let i = 0; i < n; i++) {
    const dev = config.devices[i]!;
    const line = config.lines.find((l) => l.number === dev.lines[0]);
    const name = (line?.name ?? dev.name).toLowerCase();
    const sscp = dev.protocol === 'sscp';
    const phone = await createEmulatedPhone({
      name, deviceName: dev.name, boardFile: values.board!, protocol: sscp ? 'sscp' : 'sccp',
      servers: [{ host: '127.0.0.1', port: sscp ? cm.sscp!.port : cm.port }], clock, micFrequency: micFrequency(i), log,
    });
    phones.push(phone);
    await phone.start();
  }
  const freqs = [350, 440, 480, 620, ...phones.map((p) => p.micFrequency)];
  const mics = new Map(phones.map((p) => [p.micFrequency, p.name]));
  const board = loadBoardConfig(values.board!);
  const boardKeys = board.keypad.type === 'matrix' ? new Set(board.keypad.keys.flat().filter(Boolean)) : undefined;
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
    const listeners = [`SCCP tcp/${cm.port}`, ...(cm.sscp ? [`SSCP udp/${cm.sscp.port}`] : []), ...(cm.tsp ? [`TSP tcp/${cm.tsp.port}`] : [])];
    const frame = [`deskphone sim: call manager on 127.0.0.1 (${listeners.join(', ')})`, '', ...renderPhones(views, process.stdout.columns ?? 100), helpLine(boardKeys), ...log.lines].join('\n');
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
