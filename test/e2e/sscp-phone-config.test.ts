/**
 * `deskphone phone --protocol sscp --config FILE` (the built binary) against the software call
 * manager with the SSCP devices of callmanager/examples/mixed.yaml: the file says sccp, the
 * command line's --protocol sscp wins; the phone registers over SSCP as SEP000000000200 (Dana),
 * is made to call 202 by click-to-dial (`deskphone tsp dial`), an emulated SCCP phone (Fay)
 * answers, Fay hears the phone's microphone tone, `deskphone status` shows the connected call,
 * and Fay hanging up ends it on the phone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager } from '../../callmanager/start.js';
import { createEmulatedPhone } from '../../src/node/emulated-phone.js';
import { memoryLogger } from '../../src/node/logger.js';
import { present } from '../../src/scenario/hearing.js';
import { ROOT, runBin, startBin, stop, until } from '../support/run-bin.js';

const clock = new SystemClock();
const log = memoryLogger('debug', 500);

interface Status { registration: { state: string; server: string }; protocol: string; device: string; calls: { state: string; number: string; name: string }[] }

test('phone --protocol sscp --config: registers over SSCP and completes a call with an SCCP phone', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-sscp-'));
  const mixed = readFileSync(join(ROOT, 'callmanager/examples/mixed.yaml'), 'utf8');
  const cm = await startCallManager({
    config: parseCallManagerConfig(`${mixed}\ntsp:\n  port: 0\n  users:\n    - { name: dana, secret: s3cret, device: SEP000000000200 }\n`, 'mixed.yaml'),
    host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost: '127.0.0.1', clock, log,
  });
  const fay = await createEmulatedPhone({ name: 'fay', deviceName: 'SEP000000000202', servers: [{ host: '127.0.0.1', port: cm.port }], clock,
    micFrequency: 1500, boardFile: join(ROOT, 'board-configs/laptop-emulated.yaml'), log });
  await fay.start();
  const control = join(dir, 'control.sock');
  writeFileSync(join(dir, 'phone.yaml'), `callManagers: ["127.0.0.1:${cm.sscp!.port}"]\nprotocol: sccp\ndevice: SEP000000000200\ncodecs: [PCMA]\n`);
  const phone = startBin(['phone', '--protocol', 'sscp', '--config', join(dir, 'phone.yaml'), '--board', 'board-configs/laptop-emulated.yaml',
    '--emulated', '--tone', '1000', '--control', control]);
  const status = async (): Promise<Status | undefined> => {
    const r = await runBin(['status', '--control', control, '--json']);
    return r.status === 0 ? JSON.parse(r.stdout) as Status : undefined;
  };
  try {
    assert.ok(await until(() => /^registered$/m.test(phone.out), 30_000), `registered over SSCP (stderr: ${phone.err})`);
    const s = (await status())!;
    assert.deepEqual([s.protocol, s.device, s.registration.state, s.registration.server], ['sscp', 'SEP000000000200', 'registered', `127.0.0.1:${cm.sscp!.port}`]);
    assert.ok(cm.devices().some((d) => d.name === 'SEP000000000200' && d.registered), 'the call manager has Dana registered');
    assert.ok(await until(() => fay.station.state === 'registered', 10_000));

    const dial = await runBin(['tsp', 'dial', '202', '--port', String(cm.tsp!.port), '--user', 'dana', '--secret', 's3cret']);
    assert.equal(dial.status, 0, dial.stdout + dial.stderr);
    assert.ok(await until(() => [...fay.app.model.calls.values()].some((c) => c.state === 'ringin'), 10_000), 'Fay rings');
    await fay.lift();
    let connected: Status | undefined;
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      connected = await status();
      if (connected?.calls[0]?.state === 'connected') break;
    }
    assert.equal(connected?.calls[0]?.state, 'connected', JSON.stringify(connected));
    assert.equal(connected!.calls[0]!.number, '202');
    assert.ok(await until(() => { const h = fay.heard(200); return present(h.samples, h.sampleRate, [1000]); }, 10_000),
      'Fay hears the SSCP phone\'s 1000 Hz microphone');
    assert.equal(fay.receiveCodec(), 'PCMA', 'the one codec of the phone config (codecs: [PCMA]), not the call manager\'s usual PCMU');

    await fay.replace();
    let after: Status | undefined;
    const end2 = Date.now() + 10_000;
    while (Date.now() < end2) { after = await status(); if (after && after.calls.length === 0) break; }
    assert.deepEqual(after?.calls, [], 'the call ended on the phone');
  } finally {
    await stop(phone);
    await fay.close();
    await cm.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
