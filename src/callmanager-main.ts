/** `deskphone callmanager`: the software call manager as a standalone process. */
import { SystemClock } from '../hal/bindings/system-clock.js';
import { dirname, join, resolve } from 'node:path';
import { loadCallManagerConfig } from '../callmanager/config.js';
import { startCallManager } from '../callmanager/start.js';
import { traceTo } from '../firmware/station/trace.js';
import { LOG_OPTIONS, intOption, parseCommandLine } from './command-line.js';
import { summaryOf } from './command-summaries.js';
import { createLogger, levelFromOptions } from './node/logger.js';
import { untilSignal } from './node/lifecycle.js';
import { packageRoot } from './node/package-root.js';

export const DEFAULT_CM_CONFIG = join(packageRoot(import.meta.url), 'callmanager/examples/two-phones.yaml');

const SPEC = {
  name: 'callmanager', summary: summaryOf('callmanager'),
  options: {
    config: { type: 'string', short: 'c', default: DEFAULT_CM_CONFIG, defaultText: 'callmanager/examples/two-phones.yaml', arg: 'FILE', help: 'call-manager config (devices, lines, dial plan)' },
    host: { type: 'string', arg: 'ADDR', help: 'SCCP listen address (default: server.bind of the config)' },
    port: { type: 'string', short: 'p', arg: 'N', help: 'SCCP TCP port (default: server.port of the config, 2000)' },
    ...LOG_OPTIONS,
  },
} as const;

export async function callManagerMain(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(SPEC, argv);
  const log = createLogger(levelFromOptions(values));
  const config = loadCallManagerConfig(values.config);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = intOption('callmanager', 'port', values.port, 0, 65535, 'a TCP port');
    if (port === undefined) return 2;
  }
  const cm = await startCallManager({
    config, clock: new SystemClock(), log, configDir: dirname(resolve(values.config)),
    ...(values.host !== undefined ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}),
    ...(values.trace ? { trace: traceTo((l) => log.trace(l)) } : {}),
  });
  // startCallManager logs the SCCP and TSP listeners; the SSCP one and the config file are added here.
  if (cm.sscp) log.info(`SSCP listening on UDP ${cm.sscp.address}:${cm.sscp.port}`);
  log.info(`config ${values.config}${cm.tsp ? `; try: deskphone tsp watch --port ${cm.tsp.port} --user U --secret S` : ''}`);
  // The call core logs registrations and sessions itself; only what it does not log is added here.
  cm.events.on('call', (e: { id: number; caller: string; callee: string; state: string }) => log.info(`call ${e.id} ${e.caller} → ${e.callee}: ${e.state}`));
  await untilSignal();
  await cm.close();
  return 0;
}
