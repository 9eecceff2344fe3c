/** `deskphone phone`: one phone from a board config against call managers (emulated board for now). */
import { parseArgs } from 'node:util';
import { SystemClock } from '../hal/bindings/system-clock.js';
import { createEmulatedPhone } from './node/emulated-phone.js';
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
  if (!values.emulated) {
    console.error('deskphone phone: real-hardware bindings are not wired into the composition root yet; run with --emulated (see docs/board-config.md)');
    return 2;
  }
  const servers = values.server.map((s) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s);
    if (!m) throw new Error(`--server ${s}: expected HOST:PORT (e.g. 192.0.2.10:2000)`);
    return { host: m[1]!, port: Number(m[2]) };
  });
  const log = createLogger(values.verbose ? 'debug' : 'info', (l) => console.log(l));
  const phone = await createEmulatedPhone({
    name: 'phone', ...(values.device ? { deviceName: values.device } : {}), boardFile: values.board, servers, clock: new SystemClock(),
    micFrequency: Number(values.tone), log,
  });
  await phone.start();
  let last = '';
  const timer = setInterval(() => {
    const s = `${phone.station.state}\n${phone.lcd().map((r) => `|${r}|`).join('\n')}`;
    if (s !== last) { last = s; console.log(s); }
  }, 250);
  await new Promise<void>((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); });
  clearInterval(timer);
  await phone.close();
  return 0;
}
