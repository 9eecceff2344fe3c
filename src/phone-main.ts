/**
 * `deskphone phone`: one phone from a board config against call managers: on the board's real
 * hardware (hal/bindings), or with --emulated on emulated devices driven by the same drivers.
 */
import { parseArgs } from 'node:util';
import { SystemClock } from '../hal/bindings/system-clock.js';
import { isHalError } from '../hal/api/errors.js';
import { ConfigError, formatProblem } from '../lib/config/yaml-config.js';
import { createEmulatedPhone } from './node/emulated-phone.js';
import { createHardwarePhone } from './node/hardware-phone.js';
import { createLogger } from './node/logger.js';

export async function phoneMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      board: { type: 'string', short: 'b' },
      server: { type: 'string', short: 's', multiple: true },
      device: { type: 'string', short: 'd' },
      emulated: { type: 'boolean' },
      tone: { type: 'string', default: '1000' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  if (!values.board || !values.server?.length) { console.error('deskphone phone: --board FILE and --server HOST:PORT are required'); return 2; }
  const servers = values.server.map((s) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (!m) throw new Error(`--server ${s}: expected HOST:PORT (e.g. 192.0.2.10:2000)`);
    return { host: m[1]!, port: Number(m[2]) };
  });
  const log = createLogger(values.verbose ? 'debug' : 'info', (l) => console.log(l));
  const clock = new SystemClock();
  let phone: { station: { state: string }; start(): Promise<void>; close(): Promise<void> };
  let screen: () => string[];
  try {
    if (values.emulated) {
      const p = await createEmulatedPhone({
        name: 'phone', ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, clock,
        micFrequency: Number(values.tone), log,
      });
      phone = p; screen = () => p.lcd();
    } else {
      const p = await createHardwarePhone({ ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, clock, log });
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
