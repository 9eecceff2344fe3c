/**
 * `deskphone phone`: one phone from a board config against call managers: on the board's real
 * hardware (hal/bindings), or with --emulated on emulated devices driven by the same drivers.
 */
import { parseArgs } from 'node:util';
import { SystemClock } from '../hal/bindings/system-clock.js';
import { isHalError } from '../hal/api/errors.js';
import { ConfigError, formatProblem } from './config/yaml-config.js';
import { createEmulatedPhone } from './node/emulated-phone.js';
import { createHardwarePhone } from './node/hardware-phone.js';
import { createLogger } from './node/logger.js';
import { RIG_AGENT_OPTIONS, rigListenOptions } from './rig/agent-options.js';

export async function phoneMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      board: { type: 'string', short: 'b' },
      server: { type: 'string', short: 's', multiple: true },
      device: { type: 'string', short: 'd' },
      emulated: { type: 'boolean' },
      tone: { type: 'string', default: '1000' },
      protocol: { type: 'string', default: 'sccp' },
      verbose: { type: 'boolean', short: 'v' },
      ...RIG_AGENT_OPTIONS,
    },
  });
  if (!values.board || !values.server?.length) { console.error('deskphone phone: --board FILE and --server HOST:PORT are required'); return 2; }
  const servers = values.server.map((s) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (!m) throw new Error(`--server ${s}: expected HOST:PORT (e.g. 192.0.2.10:2000)`);
    return { host: m[1]!, port: Number(m[2]) };
  });
  if (values.protocol !== 'sccp' && values.protocol !== 'sscp') { console.error(`deskphone phone: --protocol ${values.protocol}: expected sccp or sscp`); return 2; }
  const protocol = values.protocol;
  let rigListen: ReturnType<typeof rigListenOptions>;
  try { rigListen = rigListenOptions(values); } catch (e) { console.error(`deskphone phone: ${(e as Error).message}`); return 2; }
  const log = createLogger(values.verbose ? 'debug' : 'info', (l) => console.log(l));
  const clock = new SystemClock();
  let phone: { station: { state: string }; start(): Promise<void>; close(): Promise<void> };
  let screen: () => string[];
  try {
    if (values.emulated && rigListen) {
      // The board under test of a hardware-in-the-loop rig (docs/hil.md): the agent owns the phone and resets it.
      const { emulatedBoardUnderTest } = await import('./rig/board-under-test.js');
      const { startRigAgent } = await import('./rig/agent.js');
      const board = await emulatedBoardUnderTest({
        ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, protocol, clock, micFrequency: Number(values.tone), log,
      });
      const agent = await startRigAgent({ board, host: rigListen.host, port: rigListen.port, token: rigListen.token, clock, log })
        .catch(async (e: Error) => { await board.close(); throw e; });
      console.log(`rig agent listening on ${agent.address}:${agent.port}`);
      phone = { get station() { return board.phone.station; }, start: async () => {}, close: async () => { await agent.close(); await board.close(); } };
      screen = () => board.phone.lcd();
    } else if (rigListen) {
      // A real board under test: the drivers over the agent's bus and line taps (docs/hil.md "On a real board").
      const { tappedBoardUnderTest } = await import('./rig/tapped-board.js');
      const { startRigAgent } = await import('./rig/agent.js');
      const board = await tappedBoardUnderTest({ ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, protocol, clock, log });
      const agent = await startRigAgent({ board, host: rigListen.host, port: rigListen.port, token: rigListen.token, clock, log })
        .catch(async (e: Error) => { await board.close(); throw e; });
      console.log(`rig agent listening on ${agent.address}:${agent.port}`);
      phone = { get station() { return { state: board.state().station }; }, start: async () => {}, close: async () => { await agent.close(); await board.close(); } };
      screen = () => board.state().screen;
    } else if (values.emulated) {
      const p = await createEmulatedPhone({
        name: 'phone', ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, clock,
        micFrequency: Number(values.tone), protocol, log,
      });
      phone = p; screen = () => p.lcd();
    } else {
      const p = await createHardwarePhone({ ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, protocol, clock, log });
      phone = p; screen = () => p.app.screen();
    }
    await phone.start();
  } catch (e) {
    if (e instanceof ConfigError) { for (const p of e.problems) console.error(formatProblem(p)); return 1; }
    if (isHalError(e)) {
      console.error(`deskphone phone: ${e.message}`);
      if (!values.emulated) console.error('deskphone phone: run "deskphone doctor --board FILE" on the Pi for a checklist, or add --emulated to run on emulated devices');
      return 1;
    }
    throw e;
  }
  let last = '';
  const timer = setInterval(() => {
    const s = `${phone.station.state}\n${screen().map((r) => `|${r}|`).join('\n')}`;
    if (s !== last) { last = s; console.log(s); }
  }, 250);
  await new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
  clearInterval(timer);
  await phone.close();
  return 0;
}
