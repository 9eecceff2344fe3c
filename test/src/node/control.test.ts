/**
 * The control socket (src/node/control.ts) and `deskphone status` (src/status-main.ts): a request
 * gets the snapshot of that moment; a stale socket file is replaced, a live one is not taken over;
 * readable text; no phone running is exit 1 with a sentence saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askStatus, ControlBusyError, startControlServer, type PhoneStatus } from '../../../src/node/control.js';
import { statusText } from '../../../src/status-main.js';
import { keepRecentProblems } from '../../../src/node/recent-log.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { runBin } from '../../support/run-bin.js';

const STATUS: PhoneStatus = {
  pid: 42, uptimeS: 190, device: 'SEP000000000100', protocol: 'sccp', registration: { state: 'registered', server: '10.0.0.1:2000' },
  callManagers: ['10.0.0.1:2000', '10.0.0.2:2000'],
  calls: [{ line: 1, callRef: 7, state: 'connected', direction: 'outbound', number: '201', name: 'Erik' }],
  audio: [{ role: 'capture', device: 'plughw:CARD=Device,DEV=0', open: true }, { role: 'playback', device: 'plughw:CARD=Device,DEV=0', open: false }],
  lastErrors: [{ time: '2026-01-31T12:00:00.000Z', level: 'warn', message: 'audio.playback: open failed' }],
};

test('status request: the snapshot of that moment; unknown requests are refused; the socket is 0666 and removed on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-control-'));
  try {
    const path = join(dir, 'control.sock');
    let state = 'registering';
    const server = await startControlServer(path, () => ({ ...STATUS, registration: { state, server: '10.0.0.1:2000' } }));
    assert.equal(statSync(path).mode & 0o777, 0o666);
    assert.equal((await askStatus(path)).registration.state, 'registering');
    state = 'registered';
    assert.deepEqual(await askStatus(path), STATUS);
    const answer = await new Promise<string>((resolve) => {
      let t = ''; const c = createConnection(path, () => c.write('reboot\n'));
      c.setEncoding('utf8').on('data', (d: string) => { t += d; }).on('end', () => resolve(t));
    });
    assert.deepEqual(JSON.parse(answer), { error: 'unknown request "reboot": the phone answers "status"' });
    // A second phone may not take the socket over.
    await assert.rejects(startControlServer(path, () => STATUS), (e: Error) => e instanceof ControlBusyError && /another deskphone phone is running there/.test(e.message));
    await server.close();
    assert.ok(!existsSync(path));
    await assert.rejects(askStatus(path), { code: 'ENOENT' });
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a stale socket file (its phone was killed) is replaced; a file that is not a socket is left alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-control-'));
  try {
    const path = join(dir, 'control.sock');
    // A socket file nobody listens on: what a SIGKILLed phone leaves.
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.ok(statSync(path).isSocket(), 'the killed process left its socket file');
    await assert.rejects(askStatus(path), { code: 'ECONNREFUSED' });
    const s = await startControlServer(path, () => STATUS);
    assert.equal((await askStatus(path)).pid, 42);
    await s.close();
    writeFileSync(path, 'not a socket');
    await assert.rejects(startControlServer(path, () => STATUS), /exists and is not a socket/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('status text: registration, call managers, calls, audio, last errors on aligned lines', () => {
  assert.equal(statusText(STATUS), [
    'deskphone SEP000000000100 (SCCP), pid 42, up 3 min',
    'registration  registered to 10.0.0.1:2000',
    'call managers 10.0.0.1:2000, 10.0.0.2:2000',
    'calls         line 1: connected, outbound 201 Erik',
    'audio         capture plughw:CARD=Device,DEV=0: open',
    '              playback plughw:CARD=Device,DEV=0: not available (retrying)',
    'last errors   2026-01-31T12:00:00.000Z WARN audio.playback: open failed',
    '',
  ].join('\n'));
  const idle = statusText({ ...STATUS, registration: { state: 'lost', server: '10.0.0.2:2000' }, calls: [], lastErrors: [] });
  assert.match(idle, /^registration {2}lost \(trying 10\.0\.0\.2:2000\)$/m);
  assert.match(idle, /^calls {9}none$/m);
  assert.match(idle, /^last errors {3}none$/m);
});

test('the last warnings and errors are kept whatever the printed level, newest last, at most N', () => {
  const out = memoryLogger('error');
  const k = keepRecentProblems(out, 3, () => new Date(0));
  k.log.info('i'); k.log.warn('w1'); k.log.error('e1'); k.log.warn('w2'); k.log.warn('w3');
  assert.deepEqual(k.recent().map((p) => `${p.level} ${p.message}`), ['error e1', 'warn w2', 'warn w3']);
  assert.equal(k.recent()[0]!.time, '1970-01-01T00:00:00.000Z');
  assert.equal(out.lines.length, 1, 'printing still follows the level');
});

test('deskphone status with no phone running: exit 1, one sentence naming the socket and how to start the phone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-control-'));
  try {
    const r = await runBin(['status', '--control', join(dir, 'control.sock')]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^deskphone status: no phone is running: no control socket at \S+control\.sock\. Start it with `sudo systemctl start deskphone`/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
