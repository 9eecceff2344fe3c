/**
 * Failover keeps calls honest (docs/security.md §8), for SCCP phones and for SSCP phones: kill -9
 * the primary call manager's process mid-call. Audio keeps flowing (largest RTP gap measured), the
 * backup learns the streams it did not open, both users hang up and every stream stops within 1 s,
 * the backup sends Stop/Close for exactly those foreign streams, the next call (on the backup) has
 * exactly one stream pair, and the phones return to the primary once it is restarted and they are idle.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager } from '../../callmanager/start.js';
import { createEmulatedPhone, type EmulatedPhone } from '../../src/node/emulated-phone.js';
import { memoryLogger } from '../../src/node/logger.js';
import { present } from '../../src/scenario/hearing.js';

const EXAMPLE = fileURLToPath(new URL('../../../callmanager/examples/two-phones.yaml', import.meta.url));
const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));
const clock = new SystemClock();
const log = memoryLogger('debug', 3000);

const freePort = (): Promise<number> => new Promise((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => r(p)); });
});
const freeUdpPort = (): Promise<number> => new Promise((r) => {
  const s = createSocket('udp4').bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); });
});
async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log.lines.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const hears = (p: EmulatedPhone, o: EmulatedPhone): boolean => { const { samples, sampleRate } = p.heard(200); return present(samples, sampleRate, [o.micFrequency]); };

async function failover(t: TestContext, protocol: 'sccp' | 'sscp'): Promise<void> {
  // keepalive 2 s: the phones check for the primary at every keepalive while on the backup.
  const primaryPort = protocol === 'sccp' ? await freePort() : await freeUdpPort();
  const sccpPort = protocol === 'sccp' ? primaryPort : await freePort();
  const yaml = readFileSync(EXAMPLE, 'utf8').replace(/keepalive: 30/,
    protocol === 'sccp' ? 'keepalive: 2' : `keepalive: 2\n  sscpPort: ${primaryPort}\n  sscpBind: 127.0.0.1`);
  const cfgFile = join(mkdtempSync(join(tmpdir(), 'deskphone-failover-')), 'cm.yaml');
  writeFileSync(cfgFile, yaml);
  let out = '';
  const startPrimary = () => {
    const p = spawn(process.execPath, [BIN, 'callmanager', '--config', cfgFile, '--host', '127.0.0.1', '--port', String(sccpPort)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    return p;
  };
  const listening = protocol === 'sccp' ? /listening/ : /SSCP listening/;
  let primary = startPrimary();
  const backup = await startCallManager({ config: parseCallManagerConfig(yaml), host: '127.0.0.1', port: 0,
    ...(protocol === 'sscp' ? { sscpPort: 0, sscpHost: '127.0.0.1' } : {}),
    clock, log: { info: (m) => log.info(`backup: ${m}`), warn: (m) => log.warn(`backup: ${m}`) } });
  const backupPort = protocol === 'sccp' ? backup.port : backup.sscp!.port;
  const phones: EmulatedPhone[] = [];
  const counted: string[] = [];
  const foreign = new Map<string, number[]>();
  const closed = new Map<string, number[]>();
  backup.events.on('foreign-streams', (e: { device: string }) => counted.push(e.device));
  backup.events.on('foreign-stream', (e: { device: string; passThruPartyId: number }) =>
    foreign.set(e.device, [...(foreign.get(e.device) ?? []), e.passThruPartyId]));
  backup.events.on('foreign-streams-closed', (e: { device: string; passThruPartyIds: number[] }) =>
    closed.set(e.device, [...(closed.get(e.device) ?? []), ...e.passThruPartyIds]));
  try {
    await until(() => listening.test(out), `primary CM started (${out})`);
    const servers = [{ host: '127.0.0.1', port: primaryPort }, { host: '127.0.0.1', port: backupPort }];
    const mk = async (name: string, device: string, f: number) => {
      const p = await createEmulatedPhone({ name, deviceName: device, protocol, servers, clock, micFrequency: f,
        bindAddress: '127.0.0.1', boardFile: 'board-configs/laptop-emulated.yaml', log });
      phones.push(p);
      await p.start();
      return p;
    };
    const alice = await mk('alice', 'SEP000000000100', 1000);
    const bob = await mk('bob', 'SEP000000000101', 1500);
    await until(() => alice.station.state === 'registered' && bob.station.state === 'registered', 'both registered with the primary');
    await alice.lift();
    for (const k of '101') await alice.tap(k);
    await until(() => bob.ringer() !== 'off', 'bob rings');
    await bob.lift();
    await until(() => hears(alice, bob) && hears(bob, alice), 'two-way audio');
    const callStreams = { alice: alice.media.activeStreams(), bob: bob.media.activeStreams() };

    // Largest gap between RTP packets Bob receives, sampled every 5 ms across the failover.
    const rxCount = (): number => bob.media.activeStreams().reduce((n, id) => n + (bob.media.stats(id)?.packetsReceived ?? 0), 0);
    let last = rxCount(); let lastAt = Date.now(); let gap = 0;
    const sampler = setInterval(() => { const n = rxCount(); const now = Date.now(); if (n !== last) { gap = Math.max(gap, now - lastAt); last = n; lastAt = now; } }, 5);
    const killedAt = Date.now();
    primary.kill('SIGKILL');
    // An SSCP phone notices a dead CM when a keepalive goes unacknowledged after its retransmissions
    // (docs/sscp.md §4: about 15.5 s); an SCCP phone when the TCP connection fails.
    await until(() => backup.devices().filter((d) => d.registered).length === 2, 'both phones on the backup', 40_000);
    await until(() => foreign.size === 2, 'the backup learnt the streams it did not open', 5000);
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(sampler);
    t.diagnostic(`${protocol} failover: on the backup after ${Date.now() - killedAt - 500} ms; largest RTP gap at bob ${gap} ms`);
    assert.ok(hears(alice, bob) && hears(bob, alice), 'audio continues after the primary died');
    assert.ok(gap < 1000, `largest RTP gap ${gap} ms`);
    if (protocol === 'sccp') assert.deepEqual(counted.sort(), ['SEP000000000100', 'SEP000000000101'], 'Register counted the streams');
    assert.deepEqual(foreign.get('SEP000000000100'), callStreams.alice, 'alice named her stream');
    assert.deepEqual(foreign.get('SEP000000000101'), callStreams.bob, 'bob named his stream');

    // Both hang up: every stream stops within 1 s though the backup never knew the call, and the
    // backup closes exactly the streams it learnt about.
    const hungUp = Date.now();
    await alice.replace();
    await bob.replace();
    await until(() => alice.media.activeStreams().length === 0 && bob.media.activeStreams().length === 0, 'all streams closed', 1000);
    const stopMs = Date.now() - hungUp;
    t.diagnostic(`${protocol} failover: all streams stopped ${stopMs} ms after the first hang-up`);
    assert.ok(stopMs <= 1000);
    await until(() => closed.size === 2, 'the backup closed the foreign streams', 2000);
    assert.deepEqual(closed.get('SEP000000000100'), callStreams.alice);
    assert.deepEqual(closed.get('SEP000000000101'), callStreams.bob);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!hears(alice, bob) && !hears(bob, alice), 'nobody hears anybody after hanging up');

    // The next call (on the backup) has exactly one stream pair.
    await alice.lift();
    for (const k of '101') await alice.tap(k);
    await until(() => bob.ringer() !== 'off', 'bob rings again');
    await bob.lift();
    await until(() => hears(alice, bob) && hears(bob, alice), 'two-way audio on the backup');
    assert.equal(alice.media.activeStreams().length, 1);
    assert.equal(bob.media.activeStreams().length, 1);
    await alice.replace();
    await bob.replace();
    await until(() => alice.media.activeStreams().length === 0 && bob.media.activeStreams().length === 0, 'closed again', 2000);

    // The primary comes back: idle phones return to it, as a 7960 does.
    out = '';
    primary = startPrimary();
    await until(() => listening.test(out), 'primary CM restarted');
    const restartedAt = Date.now();
    const onPrimary = (p: EmulatedPhone) => p.station.state === 'registered' && p.station.server === `127.0.0.1:${primaryPort}`;
    await until(() => onPrimary(alice) && onPrimary(bob), 'both phones back on the primary', 15_000);
    t.diagnostic(`${protocol} failover: both phones back on the primary ${Date.now() - restartedAt} ms after it listened`);
    await until(() => backup.devices().every((d) => !d.registered), 'the backup has let them go', 5000);
  } finally {
    primary.kill('SIGKILL');
    for (const p of phones) await p.close();
    await backup.close();
  }
}

test('SCCP phones: kill -9 of the primary CM mid-call; audio continues, hang-up stops all media, the backup closes the foreign streams, the phones return', { timeout: 90_000 },
  (t) => failover(t, 'sccp'));

test('SSCP phones: kill -9 of the primary CM mid-call; audio continues, hang-up stops all media, the backup closes the foreign streams, the phones return', { timeout: 120_000 },
  (t) => failover(t, 'sscp'));
