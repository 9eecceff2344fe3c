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
    assert.match(screen, /▶ alice SEP000000000100 SCCP\s+bob SEP000000000101 SCCP/);
    assert.match(screen, /│Redl New  CFwd DND  │\s+│Redl New  CFwd DND  │/);
    tmux('send-keys', '-t', session, ' ', '1', '0', '1');
    screen = await screenUntil(/From 100|100 Alice/, 10_000);
    assert.match(screen, /ringer: inside/, screen);
    tmux('send-keys', '-t', session, 'Tab', ' ');
    screen = await screenUntil(/Connected 101 Bob[\s\S]*hears: 1500 Hz[\s\S]*/, 10_000);
    assert.match(screen, /│Connected 101 Bob\s*│\s+│Connected 100 Alice\s*│/, screen);
    screen = await screenUntil(/hears: 1500 Hz\s+hears: 1000 Hz/, 5_000);
    assert.match(screen, /hears: 1500 Hz\s+hears: 1000 Hz/, screen);
    tmux('send-keys', '-t', session, 'x');
    await sleep(1500);
    assert.notEqual(tmux('has-session', '-t', session).status, 0, 'x quits the simulator');
  } finally {
    tmux('kill-session', '-t', session);
  }
});
