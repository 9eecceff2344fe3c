/** The SSCP return-to-primary probe (docs/security.md §8): a KeepAlive from a fresh socket; any answer means "up". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../../callmanager/config.js';
import { startCallManager } from '../../../callmanager/start.js';
import { sscpReachable } from '../../../firmware/sscp/primary-probe.js';

const MIXED = fileURLToPath(new URL('../../../../callmanager/examples/mixed.yaml', import.meta.url));

test('sscpReachable: true while a CM listens (it answers the stranger with Reset), false once it is gone', async () => {
  const clock = new SystemClock();
  const refused: unknown[] = [];
  const cm = await startCallManager({ config: parseCallManagerConfig(readFileSync(MIXED, 'utf8')), host: '127.0.0.1', port: 0,
    sscpPort: 0, sscpHost: '127.0.0.1', clock, log: { info: () => {}, warn: () => {} } });
  cm.events.on('refused', (e) => refused.push(e));
  const port = cm.sscp!.port;
  try {
    const probe = () => sscpReachable({ host: '127.0.0.1', port, device: 'SEP000000000200', clock, timeoutMs: 2000 });
    assert.equal(await probe(), true);
    // Each probe uses a new source port, so the per-address reply limit (10 s) does not silence the next one.
    assert.equal(await probe(), true);
    assert.equal(refused.length, 2, 'the CM kept no registration for the probe');
    assert.equal(cm.devices().filter((d) => d.registered).length, 0);
  } finally { await cm.close(); }
  const t0 = Date.now();
  assert.equal(await sscpReachable({ host: '127.0.0.1', port, device: 'SEP000000000200', clock, timeoutMs: 300 }), false);
  assert.ok(Date.now() - t0 < 3000, 'gives up after its timeout');
});
