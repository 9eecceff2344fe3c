import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { createEmulatedPhone } from '../../src/node/emulated-phone.js';
import { memoryLogger } from '../../src/node/logger.js';

test('a phone that cannot be built (bad device name) throws and leaves no timers running', async () => {
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  await assert.rejects(createEmulatedPhone({
    name: 'x', deviceName: 'SEPNOTHEX', boardFile: 'board-configs/laptop-emulated.yaml',
    servers: [{ host: '127.0.0.1', port: 2000 }], clock: new SystemClock(), micFrequency: 1000, log: memoryLogger(),
  }), /SEPNOTHEX/);
  await new Promise((r) => setTimeout(r, 50));
  const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  assert.ok(after <= before, `timers left running: ${after - before}`);
});
