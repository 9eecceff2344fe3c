/**
 * `deskphone install --root DIR` and `uninstall --root DIR` through the built binary
 * (docs/install.md): the tree it writes (program, config from the examples and never overwritten,
 * state, unit, udev rule from the board's HID ids, the `deskphone` command), what it would run
 * (useradd, usermod with only the groups that exist, raspi-config, systemctl), the unit passing
 * `systemd-analyze verify` with no warning, and what uninstall keeps or --purge removes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../../support/run-bin.js';
import { requireTool } from '../../support/oracles.js';
import { serviceUnit } from '../../../src/install/unit.js';
import { udevRule } from '../../../src/install/udev.js';
import { loadBoardConfigText } from '../../../hal/board/load.js';

const HID_BOARD = `
board: { model: pi5, name: handset test }
display: { type: ssd1306, bus: 1 }
i2c: [{ bus: 1 }]
hid:
  - { id: handset, vendorId: 0x0b0e, productId: 0x0422 }
keypad: { type: hid, device: handset }
hook: { hid: handset }
ringer: { type: hid, device: handset }
`;

function tree(): string { return mkdtempSync(join(tmpdir(), 'deskphone-install-')); }

test('install --root: program, config, state, unit and command in the tree; commands printed, not run', { timeout: 120_000 }, async () => {
  const dir = tree();
  try {
    mkdirSync(join(dir, 'etc'), { recursive: true });
    writeFileSync(join(dir, 'etc/group'), 'root:x:0:\naudio:x:29:\ninput:x:101:\n'); // no gpio, no i2c
    const r = await runBin(['install', '--root', dir], 90_000);
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['opt/deskphone/dist/src/bin.js', 'opt/deskphone/package.json', 'opt/deskphone/node_modules/pino/package.json',
      'opt/deskphone/node_modules/commander/package.json', 'opt/deskphone/docs/install.md', 'etc/deskphone/phone.yaml',
      'etc/deskphone/board.yaml', 'etc/systemd/system/deskphone.service', 'usr/local/bin/deskphone']) {
      assert.ok(existsSync(join(dir, f)), `${f} is in the tree`);
    }
    for (const dev of ['typescript', 'dependency-cruiser', 'rtp.js', '@types/node']) assert.ok(!existsSync(join(dir, 'opt/deskphone/node_modules', dev)), `dev package ${dev} is not copied`);
    assert.ok(!existsSync(join(dir, 'opt/deskphone/dist/test')), 'the tests are not copied');
    assert.equal(statSync(join(dir, 'var/lib/deskphone')).mode & 0o777, 0o750);
    assert.equal(statSync(join(dir, 'usr/local/bin/deskphone')).mode & 0o777, 0o755);
    // The build bundles the command (scripts/build.mjs): the command and the unit run the bundle.
    const entry = existsSync('dist/bundle/deskphone.js') ? 'dist/bundle/deskphone.js' : 'dist/src/bin.js';
    assert.ok(readFileSync(join(dir, 'usr/local/bin/deskphone'), 'utf8').split('\n').some((l) => /^exec \S+ /.test(l) && l.endsWith(` /opt/deskphone/${entry} "$@"`)), `the command runs ${entry}`);
    assert.match(readFileSync(join(dir, 'etc/systemd/system/deskphone.service'), 'utf8'), new RegExp(`^ExecStart=\\S+ --max-semi-space-size=1 /opt/deskphone/${entry.replace(/[./]/g, '\\$&')} phone `, 'm'));
    assert.equal(readFileSync(join(dir, 'etc/deskphone/phone.yaml'), 'utf8'), readFileSync('config/phone.example.yaml', 'utf8'));
    assert.match(r.stdout, /^would run useradd --system --user-group --home-dir \/var\/lib\/deskphone --no-create-home --shell \/usr\/sbin\/nologin .* deskphone$/m);
    assert.match(r.stdout, /^would run usermod --append --groups audio,input deskphone$/m, 'only the groups that exist');
    assert.match(r.stderr, /group gpio does not exist/);
    assert.match(r.stderr, /group i2c does not exist/);
    assert.match(r.stderr, /raspi-config not found, so I2C was not enabled here: add "dtparam=i2c_arm=on"/);
    assert.match(r.stdout, /^would run systemctl daemon-reload$/m);
    assert.doesNotMatch(r.stdout, /^run /m, 'nothing ran');
    // The installed copy runs on its own (its node_modules), from any directory.
    for (const e of new Set(['dist/src/bin.js', entry])) {
      const v = spawnSync(process.execPath, [join(dir, 'opt/deskphone', e), 'board', 'check', join(dir, 'etc/deskphone/board.yaml')], { cwd: tmpdir(), encoding: 'utf8' });
      assert.equal(v.status, 0, `${e}: ${v.stderr}`);
    }

    // Again, with the user's edits and a board with a USB handset: the config is kept, the rule follows the board.
    writeFileSync(join(dir, 'etc/deskphone/phone.yaml'), 'callManagers: [10.0.0.5]\n');
    writeFileSync(join(dir, 'etc/deskphone/board.yaml'), HID_BOARD);
    writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\ndeskphone:x:998:998::/var/lib/deskphone:/usr/sbin/nologin\n');
    mkdirSync(join(dir, 'usr/bin'), { recursive: true });
    writeFileSync(join(dir, 'usr/bin/raspi-config'), '#!/bin/sh\n', { mode: 0o755 });
    const again = await runBin(['install', '--root', dir], 90_000);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(readFileSync(join(dir, 'etc/deskphone/phone.yaml'), 'utf8'), 'callManagers: [10.0.0.5]\n', 'never overwritten');
    assert.match(again.stdout, /^kept {6}\/etc\/deskphone\/phone\.yaml/m);
    assert.match(again.stdout, /^user deskphone exists$/m);
    assert.doesNotMatch(again.stdout, /useradd/);
    assert.match(again.stdout, /^would run raspi-config nonint do_i2c 0$/m);
    assert.match(readFileSync(join(dir, 'etc/udev/rules.d/60-deskphone.rules'), 'utf8'),
      /^SUBSYSTEM=="hidraw", ATTRS\{idVendor\}=="0b0e", ATTRS\{idProduct\}=="0422", GROUP="input", MODE="0660"$/m);
    assert.match(again.stdout, /^would run udevadm control --reload-rules$/m);

    // Uninstall keeps config and state; --purge removes them and the user.
    const u = await runBin(['uninstall', '--root', dir]);
    assert.equal(u.status, 0, u.stderr);
    for (const f of ['opt/deskphone', 'etc/systemd/system/deskphone.service', 'etc/udev/rules.d/60-deskphone.rules', 'usr/local/bin/deskphone']) {
      assert.ok(!existsSync(join(dir, f)), `${f} removed`);
    }
    assert.ok(existsSync(join(dir, 'etc/deskphone/phone.yaml')) && existsSync(join(dir, 'var/lib/deskphone')), 'config and state kept');
    assert.match(u.stdout, /^would run systemctl disable --now deskphone\.service$/m);
    assert.match(u.stdout, /kept \/etc\/deskphone \(config\), \/var\/lib\/deskphone \(state\)/);
    const purge = await runBin(['uninstall', '--root', dir, '--purge']);
    assert.equal(purge.status, 0, purge.stderr);
    assert.ok(!existsSync(join(dir, 'etc/deskphone')) && !existsSync(join(dir, 'var/lib/deskphone')));
    assert.match(purge.stdout, /^would run userdel deskphone$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('install without root and without --root: one sentence, exit 1, nothing written', { skip: process.getuid?.() === 0 ? 'running as root' : false }, async () => {
  const r = await runBin(['install']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /run it as root, e\.g\. `sudo node dist\/src\/bin\.js install`, or give --root DIR/);
});

test('the unit passes systemd-analyze verify with no warning (ExecStart on this machine\'s node)', { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, 'systemd-analyze')) return;
  const dir = tree();
  try {
    const r = await runBin(['install', '--root', dir, '--node', process.execPath], 90_000);
    assert.equal(r.status, 0, r.stderr);
    const unit = join(dir, 'etc/systemd/system/deskphone.service');
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stderr.trim(), '', 'no warning (unknown directive, bad value, missing binary)');
    // It would catch them: an unknown directive and a missing binary are reported.
    writeFileSync(unit, serviceUnit({ node: '/nonexistent/node' }).replace('Type=notify', 'Type=notify\nWatchdogSecs=30'));
    const bad = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    assert.match(bad.stderr, /Unknown key 'WatchdogSecs'/);
    assert.match(bad.stderr, /\/nonexistent\/node/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the unit: notify + watchdog, restart always, hardening, devices by class, the deskphone user', () => {
  const u = serviceUnit({ node: '/usr/bin/node' });
  for (const line of ['Type=notify', 'NotifyAccess=all', 'WatchdogSec=30', 'Restart=always', 'User=deskphone', 'StateDirectory=deskphone', 'CacheDirectory=deskphone',
    'RuntimeDirectory=deskphone', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/deskphone', 'NoNewPrivileges=yes', 'PrivateTmp=yes',
    'ProtectHome=yes', 'DevicePolicy=closed', 'DeviceAllow=char-gpiochip rw', 'DeviceAllow=char-i2c rw', 'DeviceAllow=char-hidraw rw',
    'DeviceAllow=char-alsa rw',
    'ExecStart=/usr/bin/node --max-semi-space-size=1 /opt/deskphone/dist/src/bin.js phone --config /etc/deskphone/phone.yaml --board /etc/deskphone/board.yaml']) {
    assert.ok(u.split('\n').includes(line), line);
  }
});

test('udev rule: vendor and product ids as 4 hex digits; a HID device matched without ids opens every hidraw, with a warning', () => {
  const withIds = udevRule(loadBoardConfigText('b.yaml', HID_BOARD), 'b.yaml');
  assert.deepEqual(withIds.warnings, []);
  assert.match(withIds.text!, /ATTRS\{idVendor\}=="0b0e", ATTRS\{idProduct\}=="0422"/);
  const byPage = udevRule(loadBoardConfigText('b.yaml', HID_BOARD.replace('vendorId: 0x0b0e, productId: 0x0422', 'usagePage: 0x0b')), 'b.yaml');
  assert.match(byPage.warnings[0]!, /hid handset has no vendorId.*lsusb/);
  assert.match(byPage.text!, /^SUBSYSTEM=="hidraw", GROUP="input", MODE="0660"$/m);
  const none = udevRule(loadBoardConfigText('b.yaml', readFileSync('board-configs/pi4-hd44780-matrix.yaml', 'utf8')), 'b.yaml');
  assert.equal(none.text, undefined);
});
