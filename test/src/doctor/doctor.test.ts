import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HalError } from '../../../hal/api/index.js';
import { doctorMain } from '../../../src/doctor/main.js';
import type { ProbeEnv } from '../../../src/doctor/env.js';

const BOARD = (name: string): string => fileURLToPath(new URL(`../../../../board-configs/${name}`, import.meta.url));

async function run(argv: string[], env?: ProbeEnv): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await doctorMain(argv, { out: (s) => out.push(s), err: (s) => err.push(s), ...(env ? { env } : {}) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A Pi where everything is wired, permitted and installed. */
function healthyPi(acked: number[]): ProbeEnv & { probed: string[] } {
  const probed: string[] = [];
  return {
    probed,
    async access() { return 'ok'; },
    async readText(p) { return p === '/proc/asound/cards' ? ' 0 [Device         ]: USB-Audio - USB Audio Device\n 1 [Handset        ]: USB-Audio - USB Handset\n' : undefined; },
    async groups() { return ['pi', 'gpio', 'i2c', 'audio', 'plugdev']; },
    async gpioChips() { return [{ name: 'gpiochip0', path: '/dev/gpiochip0', label: 'pinctrl-rp1' }]; },
    async i2cProbe(bus, address) {
      probed.push(`${bus}/${address}`);
      if (!acked.includes(address)) throw new HalError('NACK', 'no ACK', { device: `i2c-${bus}`, operation: 'read', hint: 'check wiring (i2cdetect -y 1)' });
    },
    async run(cmd) {
      if (cmd === 'gpiomon') return 'gpiomon (libgpiod) v1.6.3\n';
      return 'null\n    Discard all samples\nplughw:CARD=Device,DEV=0\n    USB Audio Device\nplughw:CARD=Handset,DEV=0\n    USB Handset\ndefault\n';
    },
    async hidList() { return [{ path: '/dev/hidraw0', vendorId: 0x1234, productId: 0x5678, usagePage: 0x0b, product: 'USB Handset' }]; },
    async loadPackage(pkg) { if (pkg === 'node-libgpiod') throw new HalError('UNAVAILABLE', 'not built', { device: pkg, operation: 'load' }); },
  };
}

test('doctor on this machine: non-zero exit, a row per peripheral with a fix, no stack trace', async () => {
  const { code, out, err } = await run(['--board', BOARD('pi-zero2w-ssd1306-mcp23017.yaml')]);
  assert.equal(code, 1, out + err);
  assert.match(out, /device\s+\| check\s+\| result\s+\| fix/);
  assert.match(out, /\/dev\/i2c-1\s+\| device node exists\s+\| FAIL: missing\s+\| enable I2C: sudo raspi-config nonint do_i2c 0/);
  assert.match(out, /SSD1306 OLED @ i2c-1 0x3c .*SKIP/);
  assert.match(out, /MCP23017 "kp" @ i2c-1 0x20 .*SKIP/);
  assert.match(out, /GPIO header\s+\| gpiochip present\s+\| FAIL/);
  assert.match(out, /is this the target board\?/);
  assert.doesNotMatch(out + err, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
});

test('doctor with a HID board on this machine names the missing handset', async () => {
  const { code, out } = await run(['--board', BOARD('pi5-usb-handset.yaml')]);
  assert.equal(code, 1);
  assert.match(out, /HID "handset"\s+\| device present\s+\| FAIL: not found|npm package node-hid\s+\| FAIL/);
});

test('doctor on a healthy (fake) Pi: every row ok, exit 0, addresses probed', async () => {
  const env = healthyPi([0x3c, 0x20]);
  const { code, out } = await run(['--board', BOARD('pi-zero2w-ssd1306-mcp23017.yaml')], env);
  assert.equal(code, 0, out);
  assert.doesNotMatch(out, /FAIL|SKIP/);
  assert.match(out, /GPIO backend\s+\| ok: gpiomon CLI: gpiomon \(libgpiod\) v1\.6\.3/);
  assert.match(out, /all checks passed/);
  assert.deepEqual(env.probed.sort(), ['1/32', '1/60']);
});

test('doctor on the fake Pi 5 with handset: HID found by usage page, ALSA by card name', async () => {
  const { code, out } = await run(['--board', BOARD('pi5-usb-handset.yaml')], healthyPi([0x3c]));
  assert.equal(code, 0, out);
  assert.match(out, /HID "handset"\s+\| device present\s+\| ok: \/dev\/hidraw0 USB Handset/);
});

test('doctor reports a device that does not ACK and a missing group with their fixes', async () => {
  const env = healthyPi([0x20]);
  env.groups = async () => ['pi'];
  const { code, out } = await run(['--board', BOARD('pi-zero2w-ssd1306-mcp23017.yaml')], env);
  assert.equal(code, 1);
  assert.match(out, /SSD1306 OLED @ i2c-1 0x3c\s+\| address ACKs\s+\| FAIL: NACK: no answer\s+\| check wiring/);
  assert.match(out, /user in group gpio\s+\| FAIL: no\s+\| sudo usermod -aG gpio \$USER/);
});

test('usage and config errors exit 2 with a message', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['--bogus'])).code, 2);
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'board: {model: pi9, name: x}\n');
  const r = await run(['--board', bad]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad\.yaml:\d+:\d+/);
  const missing = await run(['--board', join(dir, 'nope.yaml')]);
  assert.equal(missing.code, 2);
  assert.doesNotMatch(missing.err, /\n\s+at /);
});
