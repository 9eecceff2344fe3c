/**
 * `deskphone callmanager --config FILE [--host ADDR] [--port N] [--verbose]`: runs the SCCP call
 * manager until SIGINT/SIGTERM. src/cli.ts delegates here (callManagerMain = runCallManagerCli).
 */
import { parseArgs } from 'node:util';
import { SystemClock } from '../hal/bindings/system-clock.js';
import { ConfigError } from '../lib/config/yaml-config.js';
import { loadCallManagerConfig } from './config.js';
import { startCallManager } from './sccp/server.js';
import type { Logger } from './station.js';

const USAGE = 'Usage: deskphone callmanager --config FILE [--host ADDR] [--port N] [--verbose]\n' +
  '  --config FILE  call-manager YAML (example: callmanager/examples/two-phones.yaml)\n' +
  '  --host ADDR    listen address (default: server.bind from the config)\n' +
  '  --port N       TCP port (default: server.port from the config, usually 2000; 0 = any free port)\n' +
  '  --verbose      log every ignored message too';

/** Returns the process exit code; resolves only after a signal (or at once on a usage/config error). */
export async function runCallManagerCli(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' },
      verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) { console.error(`deskphone callmanager: ${(e as Error).message}\n${USAGE}`); return 2; }
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.config) { console.error(`deskphone callmanager: --config FILE is required\n${USAGE}`); return 2; }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    console.error(`deskphone callmanager: --port must be 0..65535, got "${values.port}"`); return 2;
  }
  let config;
  try { config = loadCallManagerConfig(values.config); } catch (e) {
    if (e instanceof ConfigError) { console.error(e.message); return 2; }
    throw e;
  }
  const stamp = () => new Date().toISOString();
  const log: Logger = {
    info: (m) => console.log(`${stamp()} ${m}`),
    warn: (m) => console.error(`${stamp()} WARN ${m}`),
    ...(values.verbose ? { debug: (m: string) => console.log(`${stamp()} debug ${m}`) } : {}),
  };
  let cm;
  try {
    cm = await startCallManager({ config, clock: new SystemClock(), log,
      ...(values.host !== undefined ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}) });
  } catch (e) { console.error(`deskphone callmanager: ${(e as Error).message}`); return 1; }
  cm.events.on('call', (ev) => log.info(`call ${ev.id}: ${ev.caller} → ${ev.callee} ${ev.state}`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cm.close();
  return 0;
}
