/**
 * Shared e2e wiring: the software call manager (SCCP on TCP, SSCP on UDP) and emulated phones
 * (src/node/emulated-phone.ts) on loopback sockets and the system clock, plus polling helpers.
 */
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import { createEmulatedPhone, type EmulatedPhone } from '../../src/node/emulated-phone.js';
import { memoryLogger } from '../../src/node/logger.js';
import { present } from '../../src/scenario/hearing.js';

export const CONFIG = `
server: { keepalive: 30 }
lines:
  - { number: "200", name: Dana }
  - { number: "201", name: Erik }
  - { number: "202", name: Fay }
devices:
  - { name: SEP000000000200, protocol: sscp, lines: ["200"], speeddials: [{ number: "202", label: Fay }] }
  - { name: SEP000000000201, protocol: sscp, lines: ["201"] }
  - { name: SEP000000000202, protocol: sccp, lines: ["202"] }
`;

export const clock = new SystemClock();
export const log = memoryLogger('debug', 2000);

export async function startCm(sscpHost = '::'): Promise<CallManagerHandle> {
  return startCallManager({ config: parseCallManagerConfig(CONFIG), host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost, clock,
    log: { info: (m) => log.info(`cm: ${m}`), warn: (m) => log.warn(`cm: ${m}`), debug: (m) => log.debug(`cm: ${m}`) } });
}

export async function phone(name: string, device: string, protocol: 'sccp' | 'sscp', server: { host: string; port: number },
  micFrequency: number, bindAddress = '127.0.0.1'): Promise<EmulatedPhone> {
  const p = await createEmulatedPhone({ name, deviceName: device, protocol, servers: [server], clock, micFrequency, bindAddress,
    boardFile: 'board-configs/laptop-emulated.yaml', log });
  await p.start();
  return p;
}

/** Polls on real time until `pred()`; fails naming `what`, with the phones' screens and the log tail. */
export async function until(pred: () => boolean, what: string, phones: EmulatedPhone[] = [], ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) {
      const screens = phones.map((p) => `${p.name} (${p.station.state}):\n${p.lcd().map((r) => `  |${r}|`).join('\n')}`).join('\n');
      throw new Error(`timed out after ${ms} ms waiting for ${what}\n${screens}\n${log.lines.slice(-25).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const lcd = (p: EmulatedPhone): string => p.lcd().join('\n');
/** Whether `p` heard `other`'s microphone tone in the last 200 ms. */
export const hears = (p: EmulatedPhone, other: EmulatedPhone): boolean => {
  const { samples, sampleRate } = p.heard(200);
  return present(samples, sampleRate, [other.micFrequency]);
};
