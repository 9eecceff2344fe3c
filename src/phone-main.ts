/**
 * `deskphone phone`: one phone from a board config against call managers: on the board's real
 * hardware (hal/bindings), or with --emulated on emulated devices driven by the same drivers.
 * The screen (registration state and LCD rows) is printed to stdout when it changes; log lines
 * go to stderr. Under systemd, where stdout is the journal, only the registration state is
 * printed: the rows change every second in a call (its timer), `deskphone status` shows them.
 */
import { SystemClock } from '../hal/bindings/system-clock.js';
import { isHalError } from '../hal/api/errors.js';
import { LOG_OPTIONS, parseCommandLine, usageError } from './command-line.js';
import { summaryOf } from './command-summaries.js';
import { createLogger, levelFromOptions, type FullLogger } from './node/logger.js';
import { untilSignal } from './node/lifecycle.js';
import { RIG_AGENT_OPTIONS, rigListenOptions } from './rig/agent-options.js';
import { mergePhoneSettings, OverrideError, type PhoneSettings } from './node/phone-settings.js';
import { checkConfigsOffThread } from './node/config-off-thread.js';
import { keepRecentProblems } from './node/recent-log.js';
import { startPhoneService, type ServicePhone } from './node/phone-service.js';
import { stdoutIsJournal } from './node/sd-notify.js';
import { tierUpAfterRegistration } from './node/tier-up.js';
import type { CallView } from '../firmware/phone/call-model.js';

const SPEC = {
  name: 'phone', summary: summaryOf('phone'),
  options: {
    board: { type: 'string', short: 'b', arg: 'FILE', help: 'board config (required), e.g. board-configs/laptop-emulated.yaml' },
    config: { type: 'string', short: 'c', arg: 'FILE', help: 'phone config (call managers, protocol, device, codecs, phone book: docs/phone-config.md); options given here override it' },
    server: { type: 'string', short: 's', multiple: true, arg: 'HOST:PORT', help: 'call manager, up to 3 in failover order (required without --config), e.g. 127.0.0.1:2000' },
    device: { type: 'string', short: 'd', arg: 'NAME', help: 'device name SEP + 12 hex digits, as in the call manager\'s devices: (default: SEP + this machine\'s MAC)' },
    emulated: { type: 'boolean', default: false, help: 'run on emulated devices instead of the board\'s hardware' },
    tone: { type: 'string', default: '1000', arg: 'HZ', help: 'with --emulated: frequency of the emulated microphone\'s tone' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'where call history and redial are kept (docs/state.md; default /var/lib/deskphone on hardware, none with --emulated)' },
    protocol: { type: 'string', choices: ['sccp', 'sscp'], arg: 'NAME', help: 'station protocol: sccp (TCP) or sscp (UDP, docs/sscp.md) (default: the config\'s protocol, else sccp)' },
    codecs: { type: 'string', arg: 'LIST', help: 'codecs offered, in order of preference, e.g. G722,PCMU,PCMA (default: all of them)' },
    'directory-url': { type: 'string', arg: 'URL', help: 'sccp: the call manager\'s CiscoIPPhoneDirectory, e.g. http://{cm}:8080/directory ({cm} = its host; docs/directory.md)' },
    control: { type: 'string', arg: 'PATH', help: 'control socket for `deskphone status` (default: /run/deskphone/control.sock, else $XDG_RUNTIME_DIR/deskphone/, else /tmp/deskphone-UID/)' },
    ...RIG_AGENT_OPTIONS,
    ...LOG_OPTIONS,
  },
  epilog: 'Example (emulated, against `deskphone callmanager` on this machine):\n' +
    '  deskphone phone --board board-configs/laptop-emulated.yaml --server 127.0.0.1:2000 --emulated --device SEP000000000001',
} as const;

/** Explains a RegisterReject once: which name was refused and the two ways to fix it. */
function rejectionHint(log: FullLogger, device: string, reason: string | undefined, defaulted: boolean): void {
  log.error(`the call manager refused ${device}${reason ? ` ("${reason}")` : ''}: it registers only the devices listed under devices: in its config. ` +
    `Fix: run with --device NAME, a device of that config${defaulted ? ` (${device} is this machine's default name, from its MAC)` : ''}, ` +
    `or add "- { name: ${device}, lines: [NUMBER] }" under devices: of the call manager config. Retrying with a growing pause (up to 60 s).`);
}

const clearer = (t: NodeJS.Timeout) => (): void => clearInterval(t);

export async function phoneMain(argv: string[]): Promise<number> {
  const { values, explicit } = parseCommandLine(SPEC, argv);
  const noServer = !values.config && !values.server?.length;
  if (!values.board || noServer) {
    return usageError('phone', `${noServer ? '--board FILE and --server HOST:PORT are required (or --config FILE with callManagers: instead of --server)' : '--board FILE is required'}`);
  }
  // The config files first (a bad file is exit 2 with file:line:col), then the command line over them.
  // Both are checked in a worker thread: the schema library never loads into the running phone
  // (config-off-thread.ts). The rig's board under test reads its board file itself (on reset too).
  // While the worker checks, this thread loads the composition the phone will run (its modules).
  const rig = values['rig-listen'] !== undefined;
  let checkedVia = '';
  const checking = checkConfigsOffThread({ phone: values.config, board: rig ? undefined : values.board }, (m) => { checkedVia += `${checkedVia ? '; ' : ''}${m}`; });
  const composition = rig ? undefined : values.emulated ? import('./node/emulated-phone.js') : import('./node/hardware-phone.js');
  composition?.catch(() => {});                                 // awaited (and reported) below, after the configs
  const checked = await checking;
  let settings: PhoneSettings;
  try {
    settings = mergePhoneSettings(checked.phone(), {
      server: values.server, protocol: values.protocol, device: values.device, codecs: values.codecs, control: values.control, stateDir: values['state-dir'],
      directoryUrl: values['directory-url'],
      logLevel: explicit.has('log-level') ? values['log-level'] : undefined,
    });
  } catch (e) {
    if (e instanceof OverrideError) return usageError('phone', e.message);
    throw e;
  }
  const { servers, protocol } = settings;
  const deviceName = settings.device;
  if (!(Number(values.tone) > 0)) return usageError('phone', `--tone ${values.tone}: expected a frequency in Hz`);
  let rigListen: ReturnType<typeof rigListenOptions>;
  try { rigListen = rigListenOptions(values); } catch (e) { return usageError('phone', (e as Error).message); }
  const boardConfig = checked.board();                          // a bad board file: ConfigError, exit 2 (bin.ts)
  const kept = keepRecentProblems(createLogger(levelFromOptions({ ...values, 'log-level': settings.logLevel })));
  const log = kept.log;
  log.debug(checkedVia);
  const stack = { ...(settings.codecs ? { codecs: settings.codecs } : {}), phoneBook: settings.phoneBook,
    ...(settings.directoryUrl !== undefined ? { directoryUrl: settings.directoryUrl } : {}) };
  const clock = new SystemClock();
  let phone: { station: ServicePhone['station']; start(): Promise<void>; close(): Promise<void> };
  let screen: () => string[];
  /** Subscribes to screen renders; undefined = the screen must be polled (the rig's board, whose app is replaced on reset). */
  let onScreen: ((cb: () => void) => () => void) | undefined;
  let calls: (() => Iterable<CallView>) | undefined;
  let audio: ServicePhone['audio'] = () => [];
  try {
    if (rigListen) {
      // The board under test of a hardware-in-the-loop rig (docs/hil.md): the agent owns the phone and resets it.
      const { emulatedBoardUnderTest } = await import('./rig/board-under-test.js');
      const { tappedBoardUnderTest } = await import('./rig/tapped-board.js');
      const { startRigAgent } = await import('./rig/agent.js');
      const common = { ...(deviceName ? { deviceName } : {}), boardFile: values.board, servers, protocol, clock, log, stack };
      const board = values.emulated
        ? await emulatedBoardUnderTest({ ...common, micFrequency: Number(values.tone) })
        : await tappedBoardUnderTest(common);
      const agent = await startRigAgent({ board, host: rigListen.host, port: rigListen.port, token: rigListen.token, clock, log })
        .catch(async (e: Error) => { await board.close(); throw new Error(`--rig-listen ${rigListen!.host}:${rigListen!.port}: ${e.message}`); });
      process.stdout.write(`rig agent listening on ${agent.address}:${agent.port}\n`);
      phone = { get station() { return board.station; }, start: async () => {}, close: async () => { await agent.close(); await board.close(); } };
      screen = () => board.state().screen;
    } else if (values.emulated) {
      // Loaded only where used: emulators for --emulated, the native bindings' composition for a board.
      const { createEmulatedPhone } = await (composition as Promise<typeof import('./node/emulated-phone.js')>);
      const p = await createEmulatedPhone({
        name: 'phone', ...(deviceName ? { deviceName } : {}), boardFile: values.board, ...(boardConfig ? { boardConfig } : {}), servers, clock,
        micFrequency: Number(values.tone), protocol, continuousSpeaker: false, ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}), log, stack,
      });
      phone = p; screen = () => p.lcd(); calls = () => p.app.model.calls.values(); onScreen = (cb) => p.app.onScreen(cb);
      audio = () => [{ role: 'capture', device: `emulated microphone (${values.tone} Hz tone)`, open: true }, { role: 'playback', device: 'emulated earpiece', open: true }];
    } else {
      const { createHardwarePhone } = await (composition as Promise<typeof import('./node/hardware-phone.js')>);
      const p = await createHardwarePhone({ ...(deviceName ? { deviceName } : {}), boardFile: values.board, ...(boardConfig ? { boardConfig } : {}), servers, protocol, clock, log, stack,
        stateDir: settings.stateDir });
      phone = p; screen = () => p.app.screen(); calls = () => p.app.model.calls.values(); audio = () => p.audio(); onScreen = (cb) => p.app.onScreen(cb);
    }
  } catch (e) {
    if (isHalError(e)) {
      log.error(e.message);
      if (!values.emulated) log.error('run "deskphone doctor --board FILE" on the Pi for a checklist, or add --emulated to run on emulated devices');
      return 1;
    }
    throw e; // ConfigError: exit 2 with file:line:col (bin.ts)
  }
  void tierUpAfterRegistration(phone.station);
  let hinted = false;
  phone.station.onEvent((e) => {
    if (e.type !== 'registration' || e.state !== 'rejected' || hinted) return;
    hinted = true;
    rejectionHint(log, phone.station.deviceName, e.reason, !deviceName);
  });
  let service: Awaited<ReturnType<typeof startPhoneService>>;
  try {
    service = await startPhoneService({
      phone: { station: phone.station, ...(calls ? { calls } : {}), audio: () => audio() },
      callManagers: servers.map((s) => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`)),
      log, recent: kept.recent, clock, control: settings.control,
    });
  } catch (e) {
    await phone.close();
    log.error(`control socket: ${(e as Error).message}`);
    return 1;
  }
  try { await phone.start(); } catch (e) { await service.close(); await phone.close(); throw e; }
  service.ready();
  // Printed when it changes: on each render and registration event (nothing runs while the phone
  // is idle); only the rig's board, whose firmware is replaced on reset, is polled 4 times a second.
  // On the journal only the registration state prints (no render subscription; the rig still polls).
  let last = '';
  const rows = !stdoutIsJournal();
  const print = (): void => {
    const s = rows ? `${phone.station.state}\n${screen().map((r) => `|${r}|`).join('\n')}` : phone.station.state;
    if (s !== last) { last = s; process.stdout.write(`${s}\n`); }
  };
  const unsubscribe: Array<() => void> = onScreen
    ? [...(rows ? [onScreen(print)] : []), phone.station.onEvent((e) => { if (e.type === 'registration') print(); }) as () => void]
    : [clearer(setInterval(print, 250))];
  print();
  await untilSignal();
  for (const off of unsubscribe) off();
  await service.close();
  await phone.close();
  return 0;
}
