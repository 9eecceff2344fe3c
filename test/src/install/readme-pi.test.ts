/**
 * The README's "On a Raspberry Pi" commands as written: the order (packages, build, install, edit
 * the config, enable, status), every apt package exists in this Debian's archive (Bookworm, like
 * Raspberry Pi OS), every deskphone command and option in it exists. `install` itself runs in
 * test/src/install/install.test.ts (--root), the service in test/e2e/systemd-service.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runBin } from '../../support/run-bin.js';
import { haveTool } from '../../support/oracles.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function piBlock(): string[] {
  const m = /## On a Raspberry Pi\n[^]*?```sh\n([^]*?)```/.exec(README);
  assert.ok(m, 'README has the Raspberry Pi block');
  return m[1]!.trim().split('\n').map((l) => l.trim());
}

test('README "On a Raspberry Pi": from packages to `deskphone status`, in that order', () => {
  const lines = piBlock();
  const want = [/^curl -fsSL https:\/\/deb\.nodesource\.com\/setup_20\.x \| sudo -E bash -$/, /^sudo apt install -y nodejs /, /^npm ci$/, /^npm run build$/,
    /^sudo node dist\/src\/bin\.js install$/, /^sudo nano \/etc\/deskphone\/phone\.yaml$/, /^sudo systemctl enable --now deskphone$/, /^deskphone status$/];
  assert.equal(lines.length, want.length, lines.join('\n'));
  lines.forEach((l, i) => assert.match(l, want[i]!));
  assert.ok(readFileSync(join(ROOT, 'package.json'), 'utf8').includes('"build": "node scripts/build.mjs"'), 'npm run build is the build');
});

test('README "On a Raspberry Pi": the apt packages exist in this Debian release', (t) => {
  if (!haveTool('apt-cache')) { t.skip('no apt-cache here'); return; }
  const pkgs = piBlock()[1]!.split(/\s+/).slice(4);
  assert.ok(pkgs.includes('libgpiod-dev') && pkgs.includes('alsa-utils'));
  for (const p of pkgs) {
    const r = spawnSync('apt-cache', ['show', '--no-all-versions', p], { encoding: 'utf8' });
    assert.equal(r.status, 0, `apt package ${p}: ${r.stderr}`);
  }
});

test('README "On a Raspberry Pi": the deskphone commands it names exist, and so do the options of the text', async () => {
  for (const c of [['install', '--help'], ['status', '--help'], ['board', 'check', '--help'], ['doctor', '--help']]) {
    const r = await runBin(c);
    assert.equal(r.status, 0, `${c.join(' ')}: ${r.stderr}`);
    if (c[0] === 'install') assert.match(r.stdout, /--board <FILE>/);
  }
  const service = (await import('../../../src/install/unit.js')).serviceUnit({ node: '/usr/bin/node' });
  assert.match(service, /^\[Install\]\nWantedBy=multi-user\.target$/m, '`systemctl enable` has a target to hook into');
});
