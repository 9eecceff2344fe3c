import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../src/bin.js', import.meta.url));

test('deskphone phone without --emulated composes the real board; without hardware it prints the HalError and exits non-zero', () => {
  for (const board of ['pi4-hd44780-matrix.yaml', 'pi-zero2w-ssd1306-mcp23017.yaml', 'pi5-usb-handset.yaml']) {
    const r = spawnSync(process.execPath, [BIN, 'phone', '--board', `board-configs/${board}`, '--server', '127.0.0.1:9'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, `${board}: exit status (stderr: ${r.stderr})`);
    assert.match(r.stderr, /^\S+ ERROR display\.bus: compose hardware board: \/dev\/i2c-1: open: .*\(hint: enable I2C/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(r.stderr, /not wired|not available yet/);
  }
});

test('deskphone phone with a broken board file lists the config problems and exits 2', () => {
  const r = spawnSync(process.execPath, [BIN, 'phone', '--board', 'test/fixtures/scenarios/broken.yaml', '--server', '127.0.0.1:9'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2, r.stderr); // a config error
  assert.match(r.stderr, /broken\.yaml:\d+:\d+: /);
});
