import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, startLineCallManager, stop, until } from '../support/run-bin.js';

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

test('deskphone phone whose stdout is the journal (JOURNAL_STREAM = its device:inode) prints the registration state without the screen rows', async () => {
  const { port, dir, device, cm } = await startLineCallManager('471', 'Journal');
  try {
    const run = (journal: boolean) => {
      // stdout is a file; JOURNAL_STREAM names that file (as systemd names its journal stream) or is absent.
      const file = join(dir, journal ? 'journal.out' : 'plain.out');
      const fd = openSync(file, 'w');
      const st = fstatSync(fd);
      const env = { ...process.env, JOURNAL_STREAM: journal ? `${st.dev}:${st.ino}` : '' };
      const child = spawn(process.execPath, [BIN, 'phone', '--board', 'board-configs/laptop-emulated.yaml', '--server', `127.0.0.1:${port}`, '--emulated',
        '--device', device, '--control', join(dir, `${journal}.sock`)], { cwd: ROOT, env, stdio: ['ignore', fd, 'ignore'] });
      closeSync(fd);
      return { child, text: () => readFileSync(file, 'utf8') };
    };
    for (const journal of [true, false]) {
      const p = run(journal);
      const ok = await until(() => /^registered$/m.test(p.text()) && (journal || /Journal\|$/m.test(p.text())), 20_000);
      await new Promise((r) => setTimeout(r, 500));   // renders after registering would be printed by now
      await stop(p.child);
      assert.ok(ok, `${journal ? 'journal' : 'file'}: registered\n${p.text()}`);
      if (journal) assert.doesNotMatch(p.text(), /\|/, `no screen rows on the journal:\n${p.text()}`);
      else assert.match(p.text(), /^\|.*Journal\|$/m, 'rows on a plain file');
    }
  } finally { await stop(cm); }
});

test('deskphone phone runs without the schema library: its main thread never loads zod or yaml (the configs are checked in a worker thread)', async () => {
  const { port, dir, device, cm } = await startLineCallManager('472', 'Imports');
  try {
    const record = join(dir, 'imports.txt');
    const hooks = new URL('../support/record-imports.js', import.meta.url).href;
    // The compiled tree (one URL per module), with the phone config the installed unit passes.
    const child = spawn(process.execPath, ['--import', hooks, BIN, 'phone', '--board', 'board-configs/laptop-emulated.yaml', '--config', 'config/phone.example.yaml',
      '--server', `127.0.0.1:${port}`, '--emulated', '--device', device, '--control', join(dir, 'p.sock')],
    { cwd: ROOT, env: { ...process.env, DESKPHONE_RECORD_IMPORTS: record }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
    const ok = await until(() => /^registered$/m.test(out), 20_000);
    await stop(child);
    assert.ok(ok, `registered\n${out}`);
    const urls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
    assert.ok(urls.some((u) => u.endsWith('/hal/board/compose.js')), 'the hook saw the board composition load');
    assert.ok(urls.some((u) => u.endsWith('/src/node/config-off-thread.js')), 'and the off-thread check');
    assert.deepEqual(urls.filter((u) => /\/node_modules\/(zod|yaml)\//.test(u) || u.endsWith('/hal/board/schema.js') || u.endsWith('/lib/config/yaml-config.js')), []);
    // Nor pino's Node build (its worker-thread transports, sonic-boom), an emulated board's
    // GPIO/I2C/HID bindings, child_process (sd_notify's, only under systemd) or zlib (the SSD1306
    // emulator's PNG snapshot): docs/media.md "Start-up".
    assert.ok(urls.some((u) => u.endsWith('/node_modules/pino/browser.js')), 'the logger is on pino\'s browser build');
    assert.deepEqual(urls.filter((u) => u.endsWith('/node_modules/pino/pino.js') || /\/node_modules\/(sonic-boom|thread-stream)\//.test(u)
      || /\/hal\/bindings\/(gpio|i2c|hid)/.test(u) || u === 'node:child_process' || u === 'node:assert' || u === 'node:zlib'), []);
    // Only the components this board uses (an HD44780 display, a header key matrix): no SSD1306, MCP23017 or HID driver or emulator.
    assert.ok(urls.some((u) => u.endsWith('/hal/emul/hd44780.js')) && urls.some((u) => u.endsWith('/hal/drivers/hd44780.js')), 'the board\'s own display loads');
    assert.deepEqual(urls.filter((u) => /\/hal\/(drivers|emul)\/(ssd1306|mcp23017|hid-telephony|font5x7)\.js$/.test(u)), []);
  } finally { await stop(cm); }
});

test('deskphone phone on a real board composition loads none of the emulators (hal/emul) before it reports the missing hardware', () => {
  const record = join(mkdtempSync(join(tmpdir(), 'deskphone-hw-imports-')), 'imports.txt');
  const hooks = new URL('../support/record-imports.js', import.meta.url).href;
  const r = spawnSync(process.execPath, ['--import', hooks, BIN, 'phone', '--board', 'board-configs/pi4-hd44780-matrix.yaml', '--server', '127.0.0.1:9'],
    { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, DESKPHONE_RECORD_IMPORTS: record } });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /display\.bus: compose hardware board: \/dev\/i2c-1/);
  const urls = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  assert.ok(urls.some((u) => u.endsWith('/hal/board/compose-drivers.js')), 'the hook saw the driver composition load');
  assert.deepEqual(urls.filter((u) => /\/hal\/emul\/|\/hal\/board\/(emulated-board|screen-text)\.js$|\/src\/node\/emulated-phone\.js$/.test(u)), []);
});
