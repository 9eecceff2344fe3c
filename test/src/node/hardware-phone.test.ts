/**
 * The hardware composition (src/node/hardware-phone.ts) with --protocol sscp and the phone
 * config's codecs: the Pi 4 board over fake i2c-bus / node-libgpiod modules and fixture /sys,
 * registering over SSCP with the software call manager; the board's ALSA device is missing here,
 * which the phone reports (status audio: not open) and survives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../../callmanager/config.js';
import { startCallManager } from '../../../callmanager/start.js';
import { createHardwarePhone } from '../../../src/node/hardware-phone.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { fakeI2c, fakeLibgpiod, fakeRoot } from '../../support/fake-bindings.js';
import { until } from '../../support/run-bin.js';

const CM = `
lines: [{ number: "200", name: Dana }]
devices: [{ name: SEP000000000200, protocol: sscp, lines: ["200"] }]
`;

test('hardware phone, protocol sscp: an SSCP station registers; codecs from the config; missing audio is reported, not fatal', { timeout: 30_000 }, async () => {
  const clock = new SystemClock();
  const log = memoryLogger('debug', 500);
  const cm = await startCallManager({ config: parseCallManagerConfig(CM, 'cm.yaml'), host: '127.0.0.1', port: 0, sscpPort: 0, sscpHost: '127.0.0.1', clock, log });
  const fx = fakeRoot(['sysfs/pi4-bookworm'], [1]);
  const i2c = fakeI2c();
  const gpio = fakeLibgpiod();
  const phone = await createHardwarePhone({
    boardFile: 'board-configs/pi4-hd44780-matrix.yaml', servers: [{ host: '127.0.0.1', port: cm.sscp!.port }], protocol: 'sscp',
    deviceName: 'SEP000000000200', clock, log, bindAddress: '127.0.0.1', stack: { codecs: ['PCMA', 'PCMU'] },
    bindings: { root: fx.root, gpioBackend: 'libgpiod', modules: { i2c: i2c.module, libgpiod: gpio.module } },
  });
  try {
    await phone.start();
    assert.equal(phone.station.protocol, 'sscp');
    assert.ok(await until(() => phone.station.state === 'registered', 10_000), log.lines.slice(-20).join('\n'));
    assert.ok(cm.devices().some((d) => d.name === 'SEP000000000200' && d.registered));
    assert.deepEqual(phone.media.capabilities().map((c) => c.codec), ['PCMA', 'PCMU']);
    assert.deepEqual(gpio.chips, [0], 'the board\'s GPIO came from the (fake) libgpiod binding');
    assert.ok(await until(() => log.lines.some((l) => /audio\.playback plughw:CARD=Device,DEV=0: open playback failed.*retrying/.test(l)), 10_000), log.lines.join('\n'));
    assert.deepEqual(phone.audio().map((a) => `${a.role} ${a.device} ${a.open}`),
      ['capture plughw:CARD=Device,DEV=0 false', 'playback plughw:CARD=Device,DEV=0 false'], 'capture opens with a call; playback is missing');
  } finally {
    await phone.close();
    await cm.close();
    fx.done();
  }
});
