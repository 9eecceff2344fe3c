/**
 * `deskphone phone`: one phone from a board config against call managers: on the board's real
 * hardware (hal/bindings), or with --emulated on emulated devices driven by the same drivers.
 * The screen (registration state and LCD rows) is printed to stdout when it changes; log lines
 * go to stderr.
 */
import { SystemClock } from '../hal/bindings/system-clock.js';
import { isHalError } from '../hal/api/errors.js';
import type { SignallingEvent } from '../firmware/station/signalling.js';
import { LOG_OPTIONS, parseCommandLine, usageError } from './command-line.js';
import { summaryOf } from './command-summaries.js';
import { createLogger, levelFromOptions, type FullLogger } from './node/logger.js';
import { untilSignal } from './node/lifecycle.js';
import { RIG_AGENT_OPTIONS, rigListenOptions } from './rig/agent-options.js';

/** The phone's saved state on a Pi (docs/state.md §1; FHS /var/lib: state data that persists). */
const DEFAULT_STATE_DIR = '/var/lib/deskphone';

const SPEC = {
  name: 'phone', summary: summaryOf('phone'),
  options: {
    board: { type: 'string', short: 'b', arg: 'FILE', help: 'board config (required), e.g. board-configs/laptop-emulated.yaml' },
    server: { type: 'string', short: 's', multiple: true, arg: 'HOST:PORT', help: 'call manager, up to 3 in failover order (required), e.g. 127.0.0.1:2000' },
    device: { type: 'string', short: 'd', arg: 'NAME', help: 'device name SEP + 12 hex digits, as in the call manager\'s devices: (default: SEP + this machine\'s MAC)' },
    emulated: { type: 'boolean', default: false, help: 'run on emulated devices instead of the board\'s hardware' },
    tone: { type: 'string', default: '1000', arg: 'HZ', help: 'with --emulated: frequency of the emulated microphone\'s tone' },
    'state-dir': { type: 'string', arg: 'DIR', help: 'where call history and redial are kept (docs/state.md; default /var/lib/deskphone on hardware, none with --emulated)' },
    protocol: { type: 'string', default: 'sccp', choices: ['sccp', 'sscp'], arg: 'NAME', help: 'station protocol: sccp (TCP) or sscp (UDP, docs/sscp.md)' },
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

export async function phoneMain(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(SPEC, argv);
  if (!values.board || !values.server?.length) return usageError('phone', '--board FILE and --server HOST:PORT are required');
  const servers: { host: string; port: number }[] = [];
  for (const s of values.server) {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return usageError('phone', `--server ${s}: expected HOST:PORT (e.g. 192.0.2.10:2000)`);
    servers.push({ host: m[1]!, port: Number(m[2]) });
  }
  if (!(Number(values.tone) > 0)) return usageError('phone', `--tone ${values.tone}: expected a frequency in Hz`);
  const protocol = values.protocol as 'sccp' | 'sscp';
  let rigListen: ReturnType<typeof rigListenOptions>;
  try { rigListen = rigListenOptions(values); } catch (e) { return usageError('phone', (e as Error).message); }
  const log = createLogger(levelFromOptions(values));
  const clock = new SystemClock();
  let phone: { station: { state: string; deviceName: string; onEvent(cb: (e: SignallingEvent) => void): unknown }; start(): Promise<void>; close(): Promise<void> };
  let screen: () => string[];
  try {
    if (rigListen) {
      // The board under test of a hardware-in-the-loop rig (docs/hil.md): the agent owns the phone and resets it.
      const { emulatedBoardUnderTest } = await import('./rig/board-under-test.js');
      const { tappedBoardUnderTest } = await import('./rig/tapped-board.js');
      const { startRigAgent } = await import('./rig/agent.js');
      const common = { ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, protocol, clock, log };
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
      const { createEmulatedPhone } = await import('./node/emulated-phone.js');
      const p = await createEmulatedPhone({
        name: 'phone', ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, clock,
        micFrequency: Number(values.tone), protocol, ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}), log,
      });
      phone = p; screen = () => p.lcd();
    } else {
      const { createHardwarePhone } = await import('./node/hardware-phone.js');
      const p = await createHardwarePhone({ ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, protocol, clock, log,
        stateDir: values['state-dir'] ?? DEFAULT_STATE_DIR });
      phone = p; screen = () => p.app.screen();
    }
  } catch (e) {
    if (isHalError(e)) {
      log.error(e.message);
      if (!values.emulated) log.error('run "deskphone doctor --board FILE" on the Pi for a checklist, or add --emulated to run on emulated devices');
      return 1;
    }
    throw e; // ConfigError: exit 2 with file:line:col (bin.ts)
  }
  let hinted = false;
  phone.station.onEvent((e) => {
    if (e.type !== 'registration' || e.state !== 'rejected' || hinted) return;
    hinted = true;
    rejectionHint(log, phone.station.deviceName, e.reason, !values.device);
  });
  try { await phone.start(); } catch (e) { await phone.close(); throw e; }
  let last = '';
  const timer = setInterval(() => {
    const s = `${phone.station.state}\n${screen().map((r) => `|${r}|`).join('\n')}`;
    if (s !== last) { last = s; process.stdout.write(`${s}\n`); }
  }, 250);
  await untilSignal();
  clearInterval(timer);
  await phone.close();
  return 0;
}
