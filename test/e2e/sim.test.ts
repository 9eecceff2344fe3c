/**
 * The simulator as a person uses it: in a real terminal (tmux), keys typed at the keyboard,
 * the screen read back. Alice lifts and dials 101, Bob (Tab) lifts: both LCDs show Connected
 * and each earpiece hears the other phone's microphone tone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { requireTool } from '../support/oracles.js';

const session = `deskphone-sim-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function screenUntil(re: RegExp, ms: number): Promise<string> {
  const until = Date.now() + ms;
  let screen = '';
  while (Date.now() < until) {
    screen = tmux('capture-pane', '-p', '-t', session).stdout;
    if (re.test(screen)) return screen;
    await sleep(100);
  }
  return screen;
}

test('deskphone sim: two phones call each other from the keyboard', { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const started = tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `${process.execPath} dist/src/bin.js sim --port 0`);
  assert.equal(started.status, 0, started.stderr);
  try {
    let screen = await screenUntil(/registered, on hook[\s\S]*registered, on hook/, 15_000);
    assert.match(screen, /▶ alice SCCP\s+bob SCCP/);
    assert.match(screen, /SEP000000000100\s+SEP000000000101/);
    assert.match(screen, /│Redl New  CFwd DND  │\s+│Redl New  CFwd DND  │/);
    tmux('send-keys', '-t', session, ' ', '1', '0', '1');
    screen = await screenUntil(/From 100|100 Alice/, 10_000);
    assert.match(screen, /ringer inside/, screen);
    tmux('send-keys', '-t', session, 'Tab', ' ');
    screen = await screenUntil(/Connected 101 Bob[\s\S]*hears: bob[\s\S]*/, 10_000);
    assert.match(screen, /│Connected 101 Bob\s*│\s+│Connected 100 Alice\s*│/, screen);
    screen = await screenUntil(/hears: bob\s+hears: alice/, 5_000);
    assert.match(screen, /hears: bob\s+hears: alice/, screen);
    tmux('send-keys', '-t', session, 'x');
    await sleep(1500);
    assert.notEqual(tmux('has-session', '-t', session).status, 0, 'x quits the simulator');
  } finally {
    tmux('kill-session', '-t', session);
  }
});

test('deskphone sim --phones 3 in 80x24: all three phones, named tones, codec, speaker, call events, board keys only', { timeout: 60_000 }, async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const s3 = `${session}-3`;
  const cap = (): string => tmux('capture-pane', '-p', '-t', s3).stdout;
  const until = async (re: RegExp, ms: number): Promise<string> => {
    const end = Date.now() + ms;
    let sc = cap();
    while (!re.test(sc) && Date.now() < end) { await sleep(100); sc = cap(); }
    return sc;
  };
  assert.equal(tmux('new-session', '-d', '-s', s3, '-x', '80', '-y', '24', `${process.execPath} dist/src/bin.js sim --port 0 --phones 3`).status, 0);
  try {
    await until(/registered, on hook[\s\S]*registered, on hook[\s\S]*registered, on hook/, 15_000);
    // Line labels arrive after registration (LineStatRes): wait for all three, as a user would look.
    let sc = await until(/│[^│\n]*Alice│\s+│[^│\n]*Bob│\s+│[^│\n]*Carol│/, 15_000);
    assert.match(sc, /^deskphone sim: call manager/m, 'the title line is not scrolled away');
    assert.match(sc, /▶ alice SCCP\s+bob SCCP\s+carol SCCP/, sc);
    assert.match(sc, /(│[^│\n]*Alice│)\s+│[^│\n]*Bob│\s+│[^│\n]*Carol│/, 'three LCDs side by side');
    // The laptop board has every key the help names; each entry is one the board really has.
    assert.match(sc, /Tab phone {2}0-9\*# {2}a-d {2}Space hook {2}qwer softkeys {2}l line1 {2}h history {2}x quit/);
    tmux('send-keys', '-t', s3, '1');                     // pre-dial on hook: alice goes off hook on the speaker
    sc = await until(/registered, speaker/, 5_000);
    assert.match(sc, /registered, speaker/, sc);
    tmux('send-keys', '-t', s3, '0', '1');
    sc = await until(/hears: ringback/, 10_000);
    assert.match(sc, /hears: ringback/, sc);
    assert.match(sc, /alice: call \d+ (ringout|proceed)/, 'the log pane shows call events');
    tmux('send-keys', '-t', s3, 'Tab', ' ');
    sc = await until(/PCMU\/20[\s\S]*hears: bob\s+hears: alice/, 10_000);
    assert.match(sc, /ringer off {2}PCMU\/20\s+ringer off {2}PCMU\/20/, sc);
    assert.match(sc, /hears: bob\s+hears: alice/, sc);
    assert.match(sc, /bob: call \d+ connected/, sc);
    tmux('send-keys', '-t', s3, ' ');                     // bob hangs up: alice, on the speaker, goes idle by itself
    sc = await until(/registered, on hook\s+registered, on hook\s+registered, on hook/, 5_000);
    assert.match(sc, /registered, on hook\s+registered, on hook\s+registered, on hook/, sc);
    assert.doesNotMatch(sc, /Call ended/, sc);
    for (const line of sc.split('\n')) assert.ok([...line].length <= 80, `wider than 80 columns: ${line}`);
  } finally {
    tmux('kill-session', '-t', s3);
  }
});

test('nameHeard and helpLine: tone names, far phones by name, only the board\'s keys', async () => {
  const { nameHeard, helpLine } = await import('../../src/sim/render.js');
  const mics = new Map([[1000, 'alice'], [1500, 'bob']]);
  assert.equal(nameHeard('350 Hz, 440 Hz', mics), 'dial tone');
  assert.equal(nameHeard('440 Hz, 480 Hz', mics), 'ringback');
  assert.equal(nameHeard('480 Hz, 620 Hz', mics, 'busy'), 'busy');
  assert.equal(nameHeard('480 Hz, 620 Hz', mics, 'reorder'), 'reorder');
  assert.equal(nameHeard('1500 Hz', mics), 'bob');
  assert.equal(nameHeard('440 Hz, 1000 Hz, 2750 Hz', mics), '440 Hz, alice, 2750 Hz');
  assert.equal(nameHeard('silence', mics), 'silence');
  const small = helpLine(new Set(['0', '1', 'softkey1']));
  assert.match(small, /0-9\*#/);
  assert.doesNotMatch(small, /a-d|line1|history/, 'a board without A-D, line or directories keys');
});

test('renderPhone: speed-dial (BLF) lamps fit a 20-column box with short names; boards without them keep the long ones', async () => {
  const { renderPhone } = await import('../../src/sim/render.js');
  const view = { name: 'olga', device: 'SEP000000000600 SCCP', registration: 'registered', lcd: ['Olga'], ringer: 'off' as const,
    offHook: false, mic: 1000, hears: 'silence', selected: false };
  const blf = renderPhone({ ...view, lamps: { line1: 'off', line2: 'off', message: 'off', speeddial1: 'blink', speeddial2: 'wink' } });
  const row = blf.find((l) => l.includes('sd1'))!;
  assert.equal(row.trimEnd(), ' ○L1 ○L2 ○MW ◍sd1 ◐sd2');
  assert.ok(blf.every((l) => [...l].length <= 22), 'no row wider than the box');
  const plain = renderPhone({ ...view, lamps: { line1: 'on', line2: 'off', message: 'off' } });
  assert.ok(plain.some((l) => l.trimEnd() === ' ●line1 ○line2 ○msg'));
});
