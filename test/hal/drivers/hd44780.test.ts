import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { EmulatedI2cBus } from '../../../hal/emul/i2c-bus.js';
import { attachEmulatedLcdBackpack } from '../../../hal/emul/lcd-backpack.js';
import { Hd44780Display } from '../../../hal/drivers/hd44780.js';
import { isHalError } from '../../../hal/api/index.js';

async function rig(cols = 16, rows = 2) {
  const clock = new VirtualClock();
  const bus = new EmulatedI2cBus({ clock });
  const { lcd, pcf } = attachEmulatedLcdBackpack({ bus, clock, cols, rows });
  const logs: string[] = [];
  const display = new Hd44780Display({ bus, address: 0x27, clock, cols, rows, logger: (m) => logs.push(m), probeIntervalMs: 500 });
  const settle = async <T>(p: Promise<T>): Promise<T> => { await clock.advance(100); return p; };
  return { clock, bus, lcd, pcf, display, logs, settle };
}

test('init sends the Figure 24 nibble sequence and the driver causes no violations', async () => {
  const { lcd, display, settle } = await rig();
  await settle(display.init());
  const writes = lcd.strobes.filter((s) => s.rw === 0);
  const init = writes.slice(0, 4).map((s) => s.nibble);
  assert.deepEqual(init, [0x3, 0x3, 0x3, 0x2]);
  assert.ok(writes[0]!.atMs >= 40, `first 0x3 at ${writes[0]!.atMs} ms`);
  assert.deepEqual(lcd.instructions.slice(4, 9), [0x28, 0x08, 0x01, 0x06, 0x0c]);
  assert.equal(lcd.isFourBit, true);
  assert.equal(lcd.isInitialised, true);
  assert.deepEqual(lcd.violations, []);
  assert.equal(display.online, true);
});

test('show() renders text, 20x4 rows use DDRAM 0x00/0x40/0x14/0x54, no violations', async () => {
  const { lcd, display, settle } = await rig(20, 4);
  await settle(display.init());
  await settle(display.show(['Line 1', 'Second line here!!!!', 'Third', 'Fourth is too long to fit']));
  assert.deepEqual(lcd.screen(), [
    'Line 1              ', 'Second line here!!!!', 'Third               ', 'Fourth is too long t',
  ]);
  assert.deepEqual(lcd.violations, []);
  assert.equal(lcd.backlight, true);
  await settle(display.setBacklight(false));
  assert.equal(lcd.backlight, false);
});

test('only changed cells are written', async () => {
  const { bus, lcd, display, settle } = await rig();
  await settle(display.init());
  await settle(display.show(['Hello world', 'Ext 101']));
  bus.clearLog();
  await settle(display.show(['Hello World', 'Ext 101']));
  const writes = bus.transfers(0x27).filter((e) => e.op === 'write');
  assert.equal(writes.length, 1);
  // one DDRAM address instruction + one character, 4 expander bytes each
  assert.equal(writes[0]!.data.length, 8);
  assert.equal(lcd.screen()[0], 'Hello World     ');
  bus.clearLog();
  await settle(display.show(['Hello World', 'Ext 101']));
  assert.equal(bus.transfers(0x27).length, 0);
  assert.deepEqual(lcd.violations, []);
});

test('custom glyphs land in CGRAM and show as markers', async () => {
  const { lcd, display, settle } = await rig();
  const bell = [0x04, 0x0e, 0x0e, 0x0e, 0x1f, 0x00, 0x04, 0x00];
  await settle(display.init());
  await settle(display.defineGlyph(2, bell));
  await settle(display.show(['\x02 Ringing', '']));
  assert.deepEqual(lcd.glyph(2), bell);
  assert.equal(lcd.cell(0, 0), 2);
  assert.equal(lcd.screen()[0], '② Ringing       ');
  await assert.rejects(display.defineGlyph(8, bell), (e) => isHalError(e, 'INVALID'));
  assert.deepEqual(lcd.violations, []);
});

test('the emulator records a clear followed by a command without waiting', async () => {
  const { clock, bus, lcd, display, settle } = await rig();
  await settle(display.init());
  assert.equal(lcd.violations.length, 0);
  // RS=0, backlight bit 3, E bit 2: clear (0x01) then immediately set DDRAM 0x80.
  const nib = (v: number) => [0x08 | (v << 4) | 0x04, 0x08 | (v << 4)];
  await bus.write(0x27, Uint8Array.from([...nib(0x0), ...nib(0x1), ...nib(0x8), ...nib(0x0)]));
  assert.equal(lcd.violations.length, 1);
  assert.match(lcd.violations[0]!.message, /busy: previous 0x01 needs 1520 µs/);
  assert.ok(lcd.violations[0]!.atMs >= clock.now());
});

test('init steps too early are violations (power-on wait, 4.1 ms)', async () => {
  const { bus, lcd } = await rig();
  const nib = (v: number) => [(v << 4) | 0x04, v << 4];
  await bus.write(0x27, Uint8Array.from([...nib(0x3), ...nib(0x3)]));
  const msgs = lcd.violations.map((v) => v.message).join('\n');
  assert.match(msgs, /after power-on; wait > 40 ms/);
  assert.match(msgs, /wait > 4\.1 ms/);
});

test('unplug: show() keeps working, one log line; replug: re-init and redraw', async () => {
  const { clock, bus, lcd, display, logs, settle } = await rig();
  await settle(display.init());
  await settle(display.show(['Idle', '']));
  bus.setPresent(0x27, false);
  await settle(display.show(['Call from 555', '']));
  await settle(display.show(['Call from 556', 'ringing']));
  assert.equal(display.online, false);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /i2c-1@0x27 .*offline .*NACK|address not acknowledged/);
  await clock.advance(2000); // probes NACK quietly
  assert.equal(logs.length, 1);
  bus.setPresent(0x27, true);
  assert.equal(lcd.isInitialised, false); // power cycle reset the controller
  await clock.advance(700);
  assert.equal(display.online, true);
  assert.deepEqual(lcd.screen(), ['Call from 556   ', 'ringing         ']);
  assert.equal(logs.length, 2);
  assert.deepEqual(lcd.violations, []);
});

test('injected EIO takes the display offline and recovers', async () => {
  const { clock, bus, lcd, display, logs, settle } = await rig();
  await settle(display.init());
  bus.injectFault(0x27, 'EIO');
  await settle(display.show(['x', '']));
  assert.equal(display.online, false);
  assert.match(logs[0]!, /injected fault/);
  await clock.advance(700);
  assert.equal(display.online, true);
  assert.equal(lcd.screen()[0], 'x               ');
});

test('absent at boot: init resolves, display probes until it appears', async () => {
  const clock = new VirtualClock();
  const bus = new EmulatedI2cBus({ clock });
  const logs: string[] = [];
  const display = new Hd44780Display({ bus, address: 0x3f, clock, logger: (m) => logs.push(m), probeIntervalMs: 1000 });
  await display.init();
  await display.show(['Booting', '']);
  assert.equal(display.online, false);
  assert.match(logs[0]!, /i2c-1@0x3f/);
  const { lcd } = attachEmulatedLcdBackpack({ bus, clock, address: 0x3f });
  await clock.advance(1200);
  assert.equal(lcd.screen()[0], 'Booting         ');
  await display.close();
});

test('emulator flags data before init and DDRAM writes past the visible row end', async () => {
  const { clock, bus, lcd, display, settle } = await rig();
  const nib = (v: number, rs: number) => [0x08 | rs | (v << 4) | 0x04, 0x08 | rs | (v << 4)];
  const byte = (v: number, rs: number) => [...nib(v >> 4, rs), ...nib(v & 15, rs)];
  await clock.advance(50);
  await bus.write(0x27, Uint8Array.from(byte(0x41, 1)));
  assert.match(lcd.violations.map((v) => v.message).join('\n'), /written before initialisation completed/);
  lcd.violations.length = 0;
  await settle(display.init());
  assert.equal(lcd.violations.length, 0);
  await bus.write(0x27, Uint8Array.from([...byte(0x80 | 0x10, 0), ...byte(0x41, 1)])); // column 16 of a 16x2
  assert.match(lcd.violations.map((v) => v.message).join('\n'), /0x10 is outside the visible 16x2 area/);
});

test('the strobe and instruction logs are bounded (a long sim session stays flat); the screen is unaffected', async () => {
  const clock = new VirtualClock();
  const bus = new EmulatedI2cBus({ clock });
  const { lcd } = attachEmulatedLcdBackpack({ bus, clock, logLimit: 200 });
  const display = new Hd44780Display({ bus, address: 0x27, clock, cols: 16, rows: 2, probeIntervalMs: 500 });
  const settle = async <T>(p: Promise<T>): Promise<T> => { await clock.advance(100); return p; };
  await settle(display.init());
  for (let i = 0; i < 30; i++) await settle(display.show([`call ${i}`, `${i % 10}`.repeat(16)]));
  assert.equal(lcd.strobes.length, 200);
  assert.ok(lcd.instructions.length <= 200);
  assert.deepEqual(lcd.screen(), ['call 29         ', '9999999999999999']);
  // The newest strobes are the ones kept.
  assert.ok(lcd.strobes[199]!.atMs >= lcd.strobes[0]!.atMs);
  // Default bound is the I2C bus log's (10000 entries).
  const big = attachEmulatedLcdBackpack({ bus: new EmulatedI2cBus({ clock }), clock }).lcd;
  for (let i = 0; i < 10_050; i++) (big as unknown as { violate(a: number, m: string): void }).violate(i, 'x');
  assert.equal(big.violations.length, 10_000);
  assert.equal(big.violations[0]!.atMs, 50);
});
