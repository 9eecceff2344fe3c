import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { EmulatedContact } from '../../../hal/emul/switch.js';
import { openGpioHookSwitch } from '../../../hal/drivers/hook-switch.js';
import { isHalError } from '../../../hal/api/index.js';

test('gpio: EBUSY on double open, INVALID beyond lineCount, bias, active-low, edges with clock time', async () => {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock, lineCount: 8 });
  const line = await gpio.openLine(3, { direction: 'in', bias: 'pull-up', edge: 'both', activeLow: true });
  await assert.rejects(gpio.openLine(3, { direction: 'in' }), (e) => isHalError(e, 'EBUSY') && /gpiochip0 line 3/.test(e.message));
  await assert.rejects(gpio.openLine(8, { direction: 'in' }), (e) => isHalError(e, 'INVALID'));
  assert.equal(await line.read(), 0); // pulled up, active-low
  const seen: string[] = [];
  line.watch((v, at) => seen.push(`${v}@${at}`));
  await clock.advance(7);
  gpio.drive(3, 0);
  gpio.drive(3, 0); // no edge without a change
  await clock.advance(3);
  gpio.drive(3, undefined); // floating -> pull-up
  assert.deepEqual(seen, ['1@7', '0@10']);
  const out = await gpio.openLine(4, { direction: 'out', initial: 1 });
  assert.equal(gpio.outputLevel(4), 1);
  await out.write(0);
  assert.equal(gpio.outputLevel(4), 0);
  await assert.rejects(line.write(1), (e) => isHalError(e, 'INVALID'));
  await out.close();
  assert.equal(gpio.isOpen(4), false);
});

test('hook switch: bouncy lift reported once after 30 ms quiet', async () => {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  // Handset lifted = contact opens; pull-up makes the line read 1 = off-hook.
  const contact = new EmulatedContact({ gpio, clock, offset: 17, closedLevel: 0, initiallyClosed: true });
  const hook = await openGpioHookSwitch({ gpio, clock, offset: 17, offHookLevel: 1, debounceMs: 30 });
  await hook.start();
  assert.equal(hook.isOffHook(), false);
  const changes: string[] = [];
  hook.onChange((off) => changes.push(`${off ? 'off' : 'on'}@${clock.now()}`));
  await clock.advance(100);
  contact.open({ toggles: 4, intervalMs: 2 }); // edges at 100,102,104,106,108
  await clock.advance(37);
  assert.deepEqual(changes, []);
  await clock.advance(1);
  assert.deepEqual(changes, ['off@138']);
  assert.equal(hook.isOffHook(), true);
  contact.close({ toggles: 2, intervalMs: 5 });
  await clock.advance(20);
  contact.open(); // a 20 ms touch: shorter than debounce, never reported
  await clock.advance(100);
  assert.deepEqual(changes, ['off@138']);
  await hook.stop();
});
