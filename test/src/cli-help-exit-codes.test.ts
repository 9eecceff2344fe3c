/**
 * `deskphone COMMAND --help` lists every option with its short form and default; `--version`/`-V`
 * are in the help; exit codes mean one thing everywhere: 0 done, 1 runtime failure, 2 usage or
 * config error. All through the built binary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runBin } from '../support/run-bin.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

test('deskphone --help lists the commands, -V/--version and the exit codes; -V and --version print the version', async () => {
  const h = await runBin(['--help']);
  assert.equal(h.status, 0);
  for (const c of ['sim', 'scenario', 'callmanager', 'phone', 'board', 'doctor', 'tsp']) assert.match(h.stdout, new RegExp(`^  ${c} `, 'm'));
  assert.match(h.stdout, /-V, --version/);
  assert.match(h.stdout, /Exit codes: 0 done, 1 runtime failure, 2 usage or config error/);
  for (const v of ['-V', '--version']) {
    const r = await runBin([v]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim(), VERSION);
  }
  const none = await runBin([]);
  assert.equal(none.status, 2, 'no command is a usage error');
});

/** Every option of the command as `--help` must show it: flags (with the short form) and the default. */
const EXPECTED: Record<string, [flags: RegExp, def?: string][]> = {
  sim: [[/-n, --phones <N>/, '"2"'], [/-c, --config <FILE>/, 'callmanager/examples/two-phones.yaml'], [/-b, --board <FILE>/, 'board-configs/laptop-emulated.yaml'],
    [/-p, --port <N>/, '"2000"'], [/--seconds <S>/], [/--log-level <LEVEL>/, '"info"'], [/-v, --verbose/, 'false'], [/--trace/, 'false']],
  phone: [[/-b, --board <FILE>/], [/-s, --server <HOST:PORT>/], [/-d, --device <NAME>/], [/--emulated/, 'false'], [/--tone <HZ>/, '"1000"'],
    [/--log-level <LEVEL>/, '"info"'], [/-v, --verbose/, 'false'], [/--trace/, 'false']],
  callmanager: [[/-c, --config <FILE>/, 'callmanager/examples/two-phones.yaml'], [/--host <ADDR>/], [/-p, --port <N>/], [/--log-level <LEVEL>/, '"info"'], [/-v, --verbose/, 'false'], [/--trace/, 'false']],
  scenario: [[/--log-level <LEVEL>/, '"warn"'], [/-v, --verbose/, 'false'], [/--debug/, 'false'], [/--trace/, 'false']],
  tsp: [[/--host <H>/, '"127.0.0.1"'], [/-p, --port <N>/, '"5001"'], [/-u, --user <U>/], [/-s, --secret <S>/], [/-w, --watch/, 'false']],
  doctor: [[/-b, --board <FILE>/]],
};

for (const [command, options] of Object.entries(EXPECTED)) {
  test(`deskphone ${command} --help lists every option with its default`, async () => {
    const r = await runBin([command, '--help']);
    assert.equal(r.status, 0, r.stderr);
    // One entry per option: a line starting "  -", plus the wrapped lines after it.
    const entries: string[] = [];
    for (const line of r.stdout.split('\n')) {
      if (/^  -/.test(line)) entries.push(line.trim());
      else if (/^ {4,}\S/.test(line) && entries.length) entries[entries.length - 1] += ` ${line.trim()}`;
    }
    const text = r.stdout;
    assert.match(text, new RegExp(`^Usage: deskphone ${command} `));
    for (const [flags, def] of options) {
      const entry = entries.find((e) => new RegExp(`^${flags.source}(\\s|$)`).test(e));
      assert.ok(entry, `${command}: ${flags.source} listed in ${JSON.stringify(entries)}`);
      if (def !== undefined) assert.ok(entry.includes(`default: ${def}`), `${command}: "${entry}" shows default ${def}`);
    }
    assert.match(text, /-h, --help/);
  });
}

test('deskphone board --help and board check --help show the usage', async () => {
  for (const args of [['board', '--help'], ['board', 'check', '--help']]) {
    const r = await runBin(args);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: deskphone board check \[options\] <FILE\.\.\.>/);
  }
});

test('usage errors exit 2 with a suggestion: unknown command, unknown option, bad value, missing argument', async () => {
  const cases: [string[], RegExp][] = [
    [['simm'], /unknown command 'simm'\n\(Did you mean sim\?\)/],
    [['sim', '--phone', '3'], /deskphone sim: unknown option '--phone'\n\(Did you mean --phones\?\)/],
    [['sim', '--phones', 'x'], /deskphone sim: --phones x: expected phones .*1\.\.3/],
    [['sim', '--log-level', 'loud'], /deskphone sim: option '--log-level <LEVEL>' argument 'loud' is invalid\. Allowed choices are debug, info, warn, error\./],
    [['phone', '--emulated'], /deskphone phone: --board FILE and --server HOST:PORT are required/],
    [['phone', '--board', 'x.yaml', '--server', 'nowhere'], /--server nowhere: expected HOST:PORT/],
    [['board', 'check'], /deskphone board check: missing required argument 'FILE'/],
    [['board', 'lint', 'x.yaml'], /unknown subcommand "lint"/],
    [['scenario'], /deskphone scenario: missing required argument 'FILE'/],
    [['tsp', 'call', '100'], /unknown action "call"/],
    [['doctor'], /--board FILE is required/],
    [['callmanager', '--port', '70000'], /--port 70000: expected a TCP port 0\.\.65535/],
  ];
  for (const [args, re] of cases) {
    const r = await runBin(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
  }
});

test('config errors exit 2, runtime failures exit 1, success 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exit-'));
  const badCm = join(dir, 'cm.yaml');
  writeFileSync(badCm, 'server: {}\n');
  const failing = join(dir, 'fails.yaml');
  writeFileSync(failing, `name: fails on purpose\ncallmanager: {embedded: ${join(ROOT, 'callmanager/examples/two-phones.yaml')}}\n` +
    'phones:\n  alice: {device: SEP000000000100, tone: 1000}\nsteps:\n  - expect: {phone: alice, within: 300ms, lcd: "NEVER SHOWN"}\n');
  const cases: [string[], number][] = [
    [['callmanager', '--config', badCm], 2],
    [['board', 'check', badCm], 2],
    [['scenario', badCm], 2],
    [['sim', '--config', badCm], 2],
    [['scenario', failing], 1],
    [['board', 'check', 'board-configs/laptop-emulated.yaml'], 0],
  ];
  for (const [args, code] of cases) {
    const r = await runBin(args, 60_000);
    assert.equal(r.status, code, `${args.join(' ')} → ${code} (stderr: ${r.stderr})`);
  }
});
