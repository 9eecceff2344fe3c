/**
 * `deskphone phone --emulated` as systemd starts it (docs/install.md): NOTIFY_SOCKET (a unix
 * datagram socket; python3 is the receiving side, Node cannot bind one), WATCHDOG_USEC and
 * JOURNAL_STREAM set. READY=1 arrives once the station runs, STATUS= follows registration,
 * WATCHDOG=1 keeps coming at half the period, log lines carry the journald priority prefix and no
 * timestamp (a failover warning <4>, debug <7>), `deskphone status` answers (text and --json), and SIGTERM sends STOPPING=1, exits 0,
 * and leaves `deskphone status` saying no phone is running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runBin, startBin, stop, until } from '../support/run-bin.js';
import { requireTool } from '../support/oracles.js';

/** Prints each datagram received on argv[1] as one JSON line. */
const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(json.dumps(s.recv(4096).decode()), flush=True)
`;

test('under systemd: READY=1, STATUS=, WATCHDOG=1 pings, journald lines, deskphone status, STOPPING=1', { timeout: 90_000 }, async (t) => {
  if (!requireTool(t, 'python3') || !requireTool(t, 'systemd-notify')) return;
  const dir = mkdtempSync(join(tmpdir(), 'deskphone-systemd-'));
  const notify = join(dir, 'notify.sock');
  const control = join(dir, 'control.sock');
  const py = spawn('python3', ['-c', RECEIVER, notify], { stdio: ['ignore', 'pipe', 'inherit'] });
  let got = '';
  py.stdout.setEncoding('utf8').on('data', (d: string) => { got += d; });
  const messages = (): string[] => got.split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as string);
  const port = await freePort();
  const cm = startBin(['callmanager', '--port', String(port)]);
  try {
    assert.ok(await until(() => got.startsWith('bound'), 10_000), 'the receiver is bound');
    assert.ok(await until(() => /listening on/.test(cm.err), 15_000), cm.err);
    // The first call manager is down: the phone fails over (a warning) and registers with the second.
    const dead = await freePort();
    writeFileSync(join(dir, 'phone.yaml'), `callManagers: ["127.0.0.1:${dead}", "127.0.0.1:${port}"]\ndevice: SEP000000000101\n`);
    const phone = startBin(['phone', '--config', join(dir, 'phone.yaml'), '--board', 'board-configs/laptop-emulated.yaml', '--emulated', '--control', control, '-v'],
      { NOTIFY_SOCKET: notify, WATCHDOG_USEC: '2000000', JOURNAL_STREAM: '8:12345' });
    let exit: number | null = null;
    try {
      const ok = await until(() => messages().filter((m) => m === 'WATCHDOG=1').length >= 2 && messages().some((m) => /STATUS=registered/.test(m)), 30_000);
      assert.ok(ok, `messages: ${JSON.stringify(messages())}\nstderr: ${phone.err}`);
      const m = messages().filter((x) => x !== 'BARRIER=1');
      assert.match(m[0]!, /^READY=1\nSTATUS=(registering|registered|lost) /, "READY=1 comes first, with the registration state (lost: the first call manager already failed, the phone is failing over)");
      assert.ok(m.includes('STATUS=registered to 127.0.0.1:' + port + ' as SEP000000000101'), JSON.stringify(m));
      // Journald lines: the priority prefix, no timestamp of ours.
      const lines = phone.err.split('\n').filter(Boolean);
      assert.ok(lines.length > 0);
      for (const l of lines) assert.match(l, /^<[3467]>(?!\d{4}-)\S/, l);
      assert.ok(lines.some((l) => l.startsWith(`<4>phone: sccp: SCCP lost (127.0.0.1:${dead})`)), 'the failover warning is <4>');
      assert.ok(lines.some((l) => l.startsWith('<7>')), 'debug lines (-v) are <7>');

      const text = await runBin(['status', '--control', control]);
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /^deskphone SEP000000000101 \(SCCP\), pid \d+, up \d+ s$/m);
      assert.match(text.stdout, new RegExp(`^registration {2}registered to 127\\.0\\.0\\.1:${port}$`, 'm'));
      assert.match(text.stdout, /^audio {9}capture emulated microphone \(1000 Hz tone\): open$/m);
      const json = await runBin(['status', '--control', control, '--json']);
      const s = JSON.parse(json.stdout) as { pid: number; registration: { state: string }; calls: unknown[]; callManagers: string[] };
      assert.equal(s.pid, phone.pid);
      assert.equal(s.registration.state, 'registered');
      assert.deepEqual(s.callManagers, [`127.0.0.1:${dead}`, `127.0.0.1:${port}`]);
      const last = (s as unknown as { lastErrors: { level: string; message: string }[] }).lastErrors;
      assert.ok(last.some((e) => e.level === 'warn' && e.message.includes(`SCCP lost (127.0.0.1:${dead})`)), JSON.stringify(last));
      assert.deepEqual(s.calls, []);
    } finally {
      exit = await new Promise<number | null>((resolve) => { phone.once('close', (c) => resolve(c)); phone.kill('SIGTERM'); });
    }
    assert.equal(exit, 0);
    assert.ok(await until(() => messages().some((x) => x.startsWith('STOPPING=1')), 5000), JSON.stringify(messages()));
    const after = await runBin(['status', '--control', control]);
    assert.equal(after.status, 1);
    assert.match(after.stderr, /no phone is running/);
  } finally {
    await stop(cm);
    py.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
