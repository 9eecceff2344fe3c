/**
 * `deskphone sim --server HOST:PORT --device SEP...`: the simulated phone registers to a call
 * manager it did not start (here a separately started software CM behaving like chan_skinny) and
 * shows what that CM sent; it leaves cleanly when the simulator ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager } from '../../callmanager/start.js';

test('deskphone sim --server registers the named device to an external call manager', { timeout: 60_000 }, async () => {
  const cm = await startCallManager({ config: loadCallManagerConfig('callmanager/examples/chan-skinny.yaml'), host: '127.0.0.1', port: 0, clock: new SystemClock() });
  const seen: string[] = [];
  cm.events.on('registered', (e: { device: string }) => seen.push(`registered ${e.device}`));
  cm.events.on('session-closed', (e: { device?: string; reason: string }) => seen.push(`closed ${e.device} ${e.reason}`));
  try {
    const child = spawn(process.execPath, ['dist/src/bin.js', 'sim', '--server', `127.0.0.1:${cm.port}`, '--device', 'SEP000000000101', '--seconds', '3'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`external call manager 127\\.0\\.0\\.1:${cm.port}`));
    assert.match(out, /▶ sep000000000101 SCCP\n SEP000000000101\n/, "the phone, its protocol, and the device name on its own line");
    assert.match(out, /registered, on hook/);
    assert.match(out, /│\d\d:\d\d \d\d\/\d\d Line 101│/, 'the label chan_skinny puts in the display-name field');
    assert.deepEqual(seen, ['registered SEP000000000101', 'closed SEP000000000101 unregistered']);
  } finally {
    await cm.close();
  }
});

test('deskphone sim --server refuses a bad address or device name', async () => {
  for (const [args, re] of [[['--server', 'nohostport'], /--server nohostport: expected HOST:PORT/],
    [['--server', '127.0.0.1:2000', '--device', 'SEPXYZ'], /--device SEPXYZ: expected SEP followed by 12 hex digits/],
    [['--device', 'SEP000000000101'], /--device needs --server/]] as const) {
    const child = spawn(process.execPath, ['dist/src/bin.js', 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2, err);
    assert.match(err, re);
  }
});
