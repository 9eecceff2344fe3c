import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { GpioLamp } from '../../../hal/drivers/lamp.js';
import { GpioRinger } from '../../../hal/drivers/ringer.js';

async function rig() {
  const clock = new VirtualClock();
  const gpio = new EmulatedGpioController({ clock });
  const edges: string[] = [];
  gpio.onOutput(22, (lvl, at) => edges.push(`${lvl}@${at}`));
  const line = await gpio.openLine(22, { direction: 'out', initial: 0 });
  edges.length = 0;
  return { clock, gpio, line, edges };
}

test('lamp: blink edges at exact times; off stops the cadence', async () => {
  const { clock, line, edges } = await rig();
  const lamp = new GpioLamp({ clock, line, name: 'line1' });
  await clock.advance(10);
  lamp.set('blink');
  await clock.advance(2000);
  assert.deepEqual(edges, ['1@10', '0@510', '1@1010', '0@1510', '1@2010']);
  lamp.set('blink'); // repeated SetLamp does not restart the cadence
  lamp.set('off');
  await clock.advance(3000);
  assert.deepEqual(edges.slice(5), ['0@2010']);
  assert.equal(clock.pending(), 0);
  assert.equal(lamp.mode, 'off');
});

test('lamp: flash and wink cadences, override from config', async () => {
  const { clock, line, edges } = await rig();
  const lamp = new GpioLamp({ clock, line, cadences: { wink: [300, 700] } });
  lamp.set('flash');
  await clock.advance(250);
  assert.deepEqual(edges, ['1@0', '0@100', '1@200']);
  edges.length = 0;
  lamp.set('wink');
  await clock.advance(1000);
  assert.deepEqual(edges, ['0@550', '1@1250']); // already lit at 250: no duplicate write
});

test('ringer: inside ring 2 s on / 4 s off, outside double ring, once ends off', async () => {
  const { clock, line, edges } = await rig();
  const ringer = new GpioRinger({ clock, line });
  const cadence: string[] = [];
  ringer.onCadence((on, mode) => cadence.push(`${mode}:${on ? 1 : 0}@${clock.now()}`));
  ringer.ring('inside');
  await clock.advance(12_000);
  assert.deepEqual(edges, ['1@0', '0@2000', '1@6000', '0@8000', '1@12000']);
  ringer.ring('off');
  assert.equal(edges.at(-1), '0@12000');
  edges.length = 0;
  await clock.advance(1000);
  ringer.ring('outside', true);
  await clock.advance(10_000);
  assert.deepEqual(edges, ['1@13000', '0@13400', '1@13600', '0@14000']);
  assert.equal(ringer.mode, 'off');
  assert.equal(clock.pending(), 0);
  assert.equal(cadence.at(-1), 'outside:0@14000');
  assert.ok(cadence.includes('inside:1@6000'));
  edges.length = 0;
  ringer.ring('flash');
  await clock.advance(5000);
  assert.deepEqual(edges, []);
});
