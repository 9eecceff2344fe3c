import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isHalError } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedHidTelephony, HANDSET_DESCRIPTOR, HEADSET_DESCRIPTOR } from '../../../hal/emul/hid-telephony.js';
import { findUsage, parseReportDescriptor } from '../../../hal/drivers/hid-descriptor.js';
import { HidHandset } from '../../../hal/drivers/hid-telephony.js';

const FIX = (name: string): string => fileURLToPath(new URL(`../../../../test/fixtures/hid/${name}`, import.meta.url));
/** Annotated fixture → bytes: hex tokens before '#'. */
function loadDesc(name: string): Uint8Array {
  const bytes: number[] = [];
  for (const line of readFileSync(FIX(name), 'utf8').split('\n')) {
    for (const t of line.split('#')[0]!.trim().split(/\s+/).filter(Boolean)) bytes.push(parseInt(t, 16));
  }
  return Uint8Array.from(bytes);
}
const loc = (d: Uint8Array, kind: 'input' | 'output', page: number, id: number) => {
  const l = findUsage(parseReportDescriptor(d), kind, page, id);
  return l ? { id: l.field.reportId, bit: l.bitOffset, size: l.field.bitSize, ...(l.arrayValue !== undefined ? { value: l.arrayValue } : {}) } : undefined;
};

test('fixtures are the emulator descriptors (and the sysfs fixture)', () => {
  assert.deepEqual(loadDesc('usb-handset.desc'), HANDSET_DESCRIPTOR);
  assert.deepEqual(loadDesc('usb-headset.desc'), HEADSET_DESCRIPTOR);
  assert.deepEqual(new Uint8Array(readFileSync(FIX('sysroot/sys/class/hidraw/hidraw3/device/report_descriptor'))), HANDSET_DESCRIPTOR);
});

test('handset descriptor → bit offsets (variables, array keypad, LEDs)', () => {
  const d = loadDesc('usb-handset.desc');
  const map = parseReportDescriptor(d);
  assert.equal(map.numbered, true);
  assert.deepEqual(loc(d, 'input', 0x0b, 0x20), { id: 1, bit: 0, size: 1 });   // Hook Switch
  assert.deepEqual(loc(d, 'input', 0x0b, 0x2f), { id: 1, bit: 1, size: 1 });   // Phone Mute
  assert.deepEqual(loc(d, 'input', 0x0b, 0x21), { id: 1, bit: 2, size: 1 });   // Flash
  assert.deepEqual(loc(d, 'input', 0x0b, 0x24), { id: 1, bit: 3, size: 1 });   // Redial
  assert.deepEqual(loc(d, 'input', 0x0b, 0xb0), { id: 1, bit: 8, size: 8, value: 1 });   // Phone Key 0
  assert.deepEqual(loc(d, 'input', 0x0b, 0xbb), { id: 1, bit: 8, size: 8, value: 12 });  // Phone Key #
  assert.deepEqual(loc(d, 'output', 0x08, 0x17), { id: 2, bit: 0, size: 1 });  // Off-Hook
  assert.deepEqual(loc(d, 'output', 0x08, 0x18), { id: 2, bit: 1, size: 1 });  // Ring
  assert.deepEqual(loc(d, 'output', 0x08, 0x09), { id: 2, bit: 2, size: 1 });  // Mute
  assert.deepEqual(loc(d, 'output', 0x08, 0x20), { id: 2, bit: 3, size: 1 });  // Hold
  assert.equal(loc(d, 'input', 0x08, 0x17), undefined);
  assert.equal(map.reportBytes('input', 1), 2);
  assert.equal(map.reportBytes('output', 2), 1);
});

test('headset descriptor → offsets across two collections, 4-byte usage, key bits, Ringer output', () => {
  const d = loadDesc('usb-headset.desc');
  assert.deepEqual(loc(d, 'input', 0x0c, 0xe9), { id: 1, bit: 0, size: 1 });
  assert.deepEqual(loc(d, 'input', 0x0b, 0x2f), { id: 3, bit: 0, size: 1 });
  assert.deepEqual(loc(d, 'input', 0x0b, 0x20), { id: 3, bit: 1, size: 1 });
  assert.deepEqual(loc(d, 'input', 0x0b, 0x21), { id: 3, bit: 2, size: 1 });
  assert.deepEqual(loc(d, 'input', 0x0b, 0x24), { id: 3, bit: 3, size: 1 });
  assert.deepEqual(loc(d, 'input', 0x0b, 0xb5), { id: 3, bit: 13, size: 1 });  // Phone Key 5
  assert.deepEqual(loc(d, 'input', 0x0b, 0xbb), { id: 3, bit: 19, size: 1 });  // Phone Key #
  assert.deepEqual(loc(d, 'output', 0x08, 0x09), { id: 3, bit: 0, size: 1 });
  assert.deepEqual(loc(d, 'output', 0x08, 0x17), { id: 3, bit: 1, size: 1 });
  assert.deepEqual(loc(d, 'output', 0x08, 0x18), { id: 3, bit: 2, size: 1 });
  assert.deepEqual(loc(d, 'output', 0x08, 0x20), { id: 3, bit: 3, size: 1 });
  assert.deepEqual(loc(d, 'output', 0x08, 0x21), { id: 3, bit: 4, size: 1 });
  assert.deepEqual(loc(d, 'output', 0x0b, 0x9e), { id: 3, bit: 8, size: 1 });
});

test('malformed descriptors throw HalError INVALID with the byte offset', () => {
  assert.throws(() => parseReportDescriptor(Uint8Array.of(0x05, 0x0b, 0xa1, 0x01)), (e: unknown) => isHalError(e, 'INVALID') && /not closed/.test(e.message));
  assert.throws(() => parseReportDescriptor(Uint8Array.of(0x05, 0x0b, 0x26, 0x01)), (e: unknown) => isHalError(e, 'INVALID') && /at byte 2/.test(e.message));
  assert.throws(() => parseReportDescriptor(Uint8Array.of(0x85, 0x00)), (e: unknown) => isHalError(e, 'INVALID'));
  assert.throws(() => parseReportDescriptor(Uint8Array.of(0xc0)), (e: unknown) => isHalError(e, 'INVALID'));
});

async function rig(model: 'handset' | 'headset') {
  const clock = new VirtualClock();
  const dev = new EmulatedHidTelephony({ model });
  const logs: string[] = [];
  const h = new HidHandset({ host: dev, clock, logger: (m) => logs.push(m), reconnectMs: 500 });
  const hook: boolean[] = [];
  const keys: string[] = [];
  h.onChange((off) => hook.push(off));
  h.onKey((k, down) => keys.push(`${k}${down ? 'v' : '^'}`));
  await h.start();
  await clock.advance(1);
  return { clock, dev, h, hook, keys, logs };
}

for (const model of ['handset', 'headset'] as const) {
  test(`${model}: hook press/release → HookSwitch events, answered with the Off-Hook LED`, async () => {
    const { clock, dev, h, hook } = await rig(model);
    assert.equal(h.connected, true);
    assert.equal(h.isOffHook(), false);
    dev.setHook(true);
    await clock.advance(1);
    assert.equal(h.isOffHook(), true);
    assert.equal(dev.led('off-hook'), true);
    dev.setHook(false);
    await clock.advance(1);
    assert.deepEqual(hook, [true, false]);
    assert.equal(dev.led('off-hook'), false);
  });

  test(`${model}: keypad and telephony buttons → Keypad events`, async () => {
    const { clock, dev, keys } = await rig(model);
    for (const k of ['5', '#', 'mute', 'redial'] as const) { dev.press(k); dev.release(k); }
    await clock.advance(1);
    assert.deepEqual(keys, ['5v', '5^', '#v', '#^', 'mutev', 'mute^', 'redialv', 'redial^']);
  });
}

test('lamps and ringer set the LED output bits (decoded by the emulator layout)', async () => {
  const { clock, dev, h } = await rig('headset');
  const mute = h.lamp('mute');
  const hold = h.lamp('hold');
  mute.set('on');
  hold.set('flash'); // 100/100 ms (lamp.ts defaults)
  await clock.advance(1);
  assert.equal(dev.led('mute'), true);
  assert.equal(dev.led('hold'), true);
  await clock.advance(100);
  assert.equal(dev.led('hold'), false);
  assert.equal(dev.led('mute'), true);
  const last = dev.outputs[dev.outputs.length - 1]!;
  assert.deepEqual([...last], [3, 0b0000_0001, 0]);
  const ringer = h.ringer();
  ringer.ring('inside');
  await clock.advance(1);
  assert.equal(dev.led('ring'), true);
  assert.equal(dev.led('ringer'), true);
  await clock.advance(2000); // inside ring 2 s on, 4 s off
  assert.equal(dev.led('ringer'), false);
  ringer.ring('off');
  hold.set('off');
  mute.set('off');
  await clock.advance(1);
  assert.deepEqual([...dev.outputs[dev.outputs.length - 1]!], [3, 0, 0]);
});

test('unplug/replug: on-hook while gone, hook state and LEDs recovered after replug', async () => {
  const { clock, dev, h, hook, logs } = await rig('handset');
  h.lamp('mute').set('on');
  dev.setHook(true);
  await clock.advance(1);
  dev.unplug();
  await clock.advance(1);
  assert.equal(h.connected, false);
  assert.equal(h.isOffHook(), false);
  await clock.advance(2000); // still gone: polled, no crash
  dev.replug();              // still off-hook on the device side
  await clock.advance(600);
  assert.equal(h.connected, true);
  assert.deepEqual(hook, [true, false, true]);
  assert.equal(dev.led('mute'), true, 'lamps rewritten after replug');
  assert.equal(dev.led('off-hook'), true, 'hook answered after replug');
  assert.equal(dev.openHandles, 1);
  assert.ok(logs.some((l) => /disconnected/.test(l)));
});

test('no device at start: waits without throwing, picks it up when plugged in', async () => {
  const clock = new VirtualClock();
  const dev = new EmulatedHidTelephony();
  dev.unplug();
  const logs: string[] = [];
  const h = new HidHandset({ host: dev, clock, logger: (m) => logs.push(m) });
  await h.start();
  assert.equal(h.connected, false);
  assert.equal(logs.length, 1);
  await clock.advance(3000);
  assert.equal(logs.length, 1, 'absence logged once');
  dev.replug();
  await clock.advance(1000);
  assert.equal(h.connected, true);
  await h.stop();
  assert.equal(dev.openHandles, 0);
});
