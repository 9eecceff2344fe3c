/** `deskphone callmanager`: the software call manager as a standalone process. */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../callmanager/config.js';
import { startCallManager } from '../callmanager/sccp/server.js';
import { createLogger } from './node/logger.js';

export const DEFAULT_CM_CONFIG = fileURLToPath(new URL('../../callmanager/examples/two-phones.yaml', import.meta.url));

export async function callManagerMain(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      config: { type: 'string', short: 'c', default: DEFAULT_CM_CONFIG },
      host: { type: 'string' },
      port: { type: 'string', short: 'p' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  const log = createLogger(values.verbose ? 'debug' : 'info', (l) => console.log(l));
  const config = loadCallManagerConfig(values.config!);
  const port = values.port !== undefined ? Number(values.port) : undefined;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    console.error(`deskphone callmanager: --port ${values.port}: expected a TCP port 0..65535`);
    return 2;
  }
  const cm = await startCallManager({
    config, clock: new SystemClock(), log: { info: log.info, warn: log.warn, debug: log.debug },
    ...(values.host !== undefined ? { host: values.host } : {}), ...(port !== undefined ? { port } : {}),
  });
  console.log(`deskphone callmanager: SCCP listening on ${cm.address}:${cm.port} (${config.devices.length} devices, config ${values.config})`);
  if (cm.sscp) console.log(`deskphone callmanager: SSCP listening on UDP ${cm.sscp.address}:${cm.sscp.port}`);
  if (cm.tsp) console.log(`deskphone callmanager: TSP listening on ${cm.tsp.address}:${cm.tsp.port} (${config.tsp?.users.length ?? 0} users; try: deskphone tsp watch --port ${cm.tsp.port} --user U --secret S)`);
  cm.events.on('registered', (e: { device: string; peer: string }) => log.info(`registered ${e.device} from ${e.peer}`));
  cm.events.on('rejected', (e: { device: string; reason: string }) => log.warn(`rejected ${e.device}: ${e.reason}`));
  cm.events.on('protocol-error', (e: { device?: string; detail: string }) => log.warn(`protocol error from ${e.device ?? 'unregistered'}: ${e.detail}`));
  cm.events.on('call', (e: { id: number; caller: string; callee: string; state: string }) => log.info(`call ${e.id} ${e.caller} → ${e.callee}: ${e.state}`));
  await new Promise<void>((resolve) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
    process.on('SIGINT', stop); process.on('SIGTERM', stop);
  });
  await cm.close();
  return 0;
}
