/**
 * The README's commands work as written (through the built binary, the way `npx deskphone` runs
 * them), and the phone's one common failure — a device name the call manager does not list —
 * says why and how to fix it instead of retrying silently.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, canListen, freePort, runBin, startBin, stop, until } from '../support/run-bin.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The `sh` block after "Try them": one command per line. */
function tryThem(): string[][] {
  const m = /Try them[^]*?```sh\n([^]*?)```/.exec(README);
  assert.ok(m, 'README has the "Try them" block');
  return m[1]!.trim().split('\n').map((l) => l.trim().split(/\s+/));
}

test('README "Try them": call manager, emulated phone (registers), board check, scenario — as written', async (t) => {
  const cmds = tryThem();
  assert.deepEqual(cmds.map((c) => c.slice(0, 2).join(' ')), ['deskphone callmanager', 'deskphone phone', 'deskphone board', 'deskphone scenario']);
  // Port 2000 as written when it is free; another test run may hold it, then the same commands on a free port.
  let port = 2000;
  if (!(await canListen(2000))) { port = await freePort(); t.diagnostic(`port 2000 is taken here: using ${port}`); }
  const args = (c: string[]): string[] => c.slice(1).map((a) => a.replace(':2000', `:${port}`));
  const cm = startBin([...args(cmds[0]!), ...(port === 2000 ? [] : ['--port', String(port)])]);
  try {
    assert.ok(await until(() => /listening on/.test(cm.err), 15_000), cm.err);
    const phone = startBin(args(cmds[1]!));
    const ok = await until(() => /^registered$/m.test(phone.out), 20_000);
    // The line label follows registration (LineStatRes after ButtonTemplate): wait for it too, as a user would look.
    const labelled = ok && await until(() => /Carol\|$/m.test(phone.out), 10_000);
    await stop(phone);
    assert.ok(ok, `the README's phone registers (stderr: ${phone.err.slice(0, 500)})`);
    assert.ok(labelled, `the LCD shows the line of SEP000000000102 (Carol):\n${phone.out.slice(-600)}`);
  } finally {
    await stop(cm);
  }
  const check = await runBin(args(cmds[2]!));
  assert.equal(check.status, 0, check.stdout);
  assert.match(check.stdout, /^ok {4}board-configs\/laptop-emulated\.yaml$/m);
  const scenario = await runBin(args(cmds[3]!), 90_000);
  assert.equal(scenario.status, 0, scenario.stdout + scenario.stderr);
  assert.match(scenario.stdout, /^1 passed, 0 failed$/m);
});

test('README command list: every command it names exists (`--help` exits 0)', async () => {
  const block = /## Commands\n\n```\n([^]*?)```/.exec(README)![1]!;
  const names = [...new Set([...block.matchAll(/^deskphone (\w+)/gm)].map((m) => m[1]!))];
  assert.deepEqual(names, ['sim', 'scenario', 'callmanager', 'phone', 'board', 'doctor', 'tsp', 'status', 'install', 'uninstall']);
  for (const n of names) assert.equal((await runBin([n, '--help'])).status, 0, n);
});

test('README quick start variants: `sim --config mixed.yaml --phones 3` and wideband register every phone', async () => {
  for (const [args, phones] of [[['--config', 'callmanager/examples/mixed.yaml', '--phones', '3'], 3], [['--config', 'callmanager/examples/wideband.yaml'], 2]] as const) {
    assert.ok(README.includes(args.join(' ')), `README mentions ${args.join(' ')}`);
    const sim = startBin(['sim', ...args, '--port', '0', '--seconds', '60']);
    const all = await until(() => {
      const frames = sim.out.split('deskphone sim: call manager');
      return (frames.at(-1)!.match(/registered/g) ?? []).length >= phones;
    }, 30_000);
    sim.kill('SIGINT');
    await new Promise((r) => sim.once('close', r));
    assert.ok(all, `${args.join(' ')}: ${phones} phones registered:\n${sim.out.split('deskphone sim: call manager').at(-1)}\n${sim.err}`);
    assert.equal(sim.exitCode, 0);
  }
});

test('phone with a device the call manager does not list: why and how to fix it, once; then it backs off', async () => {
  const port = await freePort();
  const cm = startBin(['callmanager', '--port', String(port)]);
  try {
    assert.ok(await until(() => /listening on/.test(cm.err), 15_000), cm.err);
    const phone = startBin(['phone', '--board', 'board-configs/laptop-emulated.yaml', '--server', `127.0.0.1:${port}`, '--emulated', '--device', 'SEP0000DEADBEEF']);
    const hinted = await until(() => /Fix: run with --device NAME/.test(phone.err), 20_000);
    await new Promise((r) => setTimeout(r, 2500)); // two more rejections (0.5 s, 1 s)
    await stop(phone);
    assert.ok(hinted, phone.err);
    const hint = phone.err.split('\n').filter((l) => /Fix: run with --device NAME/.test(l));
    assert.equal(hint.length, 1, 'the hint is given once, on one line');
    assert.match(hint[0]!, /ERROR the call manager refused SEP0000DEADBEEF \("No Authority: SEP0000DEADBEEF"\): it registers only the devices listed under devices: in its config\. Fix: run with --device NAME, a device of that config, or add "- \{ name: SEP0000DEADBEEF, lines: \[NUMBER\] \}" under devices: of the call manager config\. Retrying with a growing pause \(up to 60 s\)\.$/);
    assert.match(phone.out, /^rejected$/m);
    assert.match(phone.out, /Rejected: No Authori/, 'the LCD says so too');
    const rejections = cm.err.split('\n').filter((l) => /SEP0000DEADBEEF.*rejected/.test(l)).length;
    assert.ok(rejections >= 2 && rejections <= 4, `backing off: ${rejections} rejections in ~3 s`);
  } finally {
    await stop(cm);
  }
});
