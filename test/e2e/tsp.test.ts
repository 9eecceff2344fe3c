/**
 * TSP against the real call manager (docs/tsp.md): two emulated desk phones (board emulators, real
 * drivers, PhoneApp, SCCP station, RTP) register; a TSP client speaking raw TCP logs in as alice
 * and dials 101. Alice's phone goes off hook on the speaker (its speaker lamp lights), Bob's rings,
 * Notifies arrive in order, Bob answers, Drop ends the call. Refusals: actions before Login, and
 * a Drop naming a call that is not on the user's phone. Then the `deskphone tsp` client itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';
import { encodeTspFrame, TspFramer, type TspFrame } from '../../callmanager/tsp/codec.js';
import { createEmulatedPhone, type EmulatedPhone } from '../../src/node/emulated-phone.js';

const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const ALICE = 'SEP000000000100';
const BOB = 'SEP000000000101';
const CONFIG = `
server: { keepalive: 30 }
lines: [{ number: "100", name: Alice }, { number: "101", name: Bob }, { number: "102", name: Carol }]
devices:
  - { name: ${ALICE}, lines: ["100"] }
  - { name: ${BOB}, lines: ["101"] }
  - { name: SEP000000000102, lines: ["102"] }
tsp:
  port: 0
  users:
    - { name: alice, secret: s3cret, device: ${ALICE} }
    - { name: bob, secret: hunter2, device: ${BOB} }
    - { name: carol, secret: pw, device: SEP000000000102 }
`;
const clock = new SystemClock();
const quiet = { info() {}, warn() {}, debug() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

class Client {
  private readonly framer = new TspFramer();
  readonly frames: TspFrame[] = [];
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d) => { for (const it of this.framer.push(d)) if ('frame' in it) this.frames.push(it.frame); });
  }
  static open(port: number): Promise<Client> {
    return new Promise((res, rej) => { const s = connect(port, '127.0.0.1', () => res(new Client(s))); s.once('error', rej); });
  }
  send(text: string): void { this.sock.write(`${text}\r\n\r\n`); }
  /** The next Response after the ones already taken. */
  private taken = 0;
  async response(): Promise<Extract<TspFrame, { kind: 'Response' }>> {
    const responses = () => this.frames.filter((f) => f.kind === 'Response');
    await until('a TSP Response', () => responses().length > this.taken);
    return responses()[this.taken++] as Extract<TspFrame, { kind: 'Response' }>;
  }
  notifies(event = 'CALL_STATE') { return this.frames.filter((f): f is Extract<TspFrame, { kind: 'Notify' }> => f.kind === 'Notify' && f.event === event); }
  close(): void { this.sock.destroy(); }
}

async function rig(): Promise<{ cm: CallManagerHandle; alice: EmulatedPhone; bob: EmulatedPhone; close(): Promise<void> }> {
  const cm = await startCallManager({ config: parseCallManagerConfig(CONFIG, 'tsp-e2e.yaml'), host: '127.0.0.1', port: 0, clock, log: quiet });
  const phones: EmulatedPhone[] = [];
  for (const [name, device, board, freq] of [['alice', ALICE, 'test/fixtures/tsp/speaker-board.yaml', 1000], ['bob', BOB, 'board-configs/laptop-emulated.yaml', 1500]] as const) {
    const p = await createEmulatedPhone({ name, deviceName: device, boardFile: root(board), servers: [{ host: '127.0.0.1', port: cm.port }],
      clock, micFrequency: freq, log: quiet });
    phones.push(p);
    await p.start();
  }
  await until('both phones registered', () => cm.devices().filter((d) => d.registered).length === 2);
  return { cm, alice: phones[0]!, bob: phones[1]!, async close() { for (const p of phones) await p.close(); await cm.close(); } };
}

test('TSP Dial/Drop drive the real phones; Notifies follow the call; other users and anonymous sessions are refused',
  { timeout: 30_000 }, async () => {
    const r = await rig();
    const c = await Client.open(r.cm.tsp!.port);
    const other = await Client.open(r.cm.tsp!.port);
    try {
      assert.equal(r.cm.tsp!.address, '127.0.0.1', 'TSP binds to loopback unless configured');
      c.send('Action % Dial % 101');
      assert.deepEqual(await c.response(), { kind: 'Response', result: 'Fail', reason: 'not authenticated: send a Login action before Dial' });
      c.send('Action % Login % alice % wrong');
      assert.equal((await c.response()).result, 'Fail');
      c.send('Action % Login % alice % s3cret');
      assert.equal((await c.response()).result, 'Success');
      other.send('Action % Login % carol % pw');
      assert.equal((await other.response()).result, 'Success');

      assert.equal(r.alice.lamps()['speaker'], 'off');
      c.send('Action % Dial % 101');
      assert.deepEqual(await c.response(), { kind: 'Response', result: 'Success' });
      await until('alice off hook on the speaker', () => r.alice.lamps()['speaker'] === 'on');
      await until('bob rings', () => r.bob.ringer() !== 'off');
      await until('RingBackState', () => c.notifies().some((n) => n.callState === 'RingBackState'));
      assert.equal(r.cm.core.legState(ALICE), 'ringout');
      const callId = c.notifies()[0]!.callId;

      // Carol (another TSP user, phone not in the call) may not drop it, and sees none of its Notifies.
      other.send(`Action % Drop % ${callId}`);
      assert.deepEqual(await other.response(), { kind: 'Response', result: 'Fail', reason: `call ${callId} is not on your terminal SEP000000000102` });
      other.send('Action % Dial % 100');
      assert.deepEqual(await other.response(), { kind: 'Response', result: 'Fail', reason: 'phone SEP000000000102 is not registered with the call manager' });
      assert.equal(other.frames.filter((f) => f.kind === 'Notify').length, 0);
      // Alice may not dial while her phone is busy.
      c.send('Action % Dial % 102');
      assert.match((await c.response()).reason ?? '', /busy .*Drop it first/);

      await r.bob.lift();
      await until('ConnectedState', () => c.notifies().some((n) => n.callState === 'ConnectedState'));
      await sleep(600);
      const heard = r.bob.heard(300);
      assert.ok(heard.samples.some((s) => Math.abs(s) > 1000), 'bob hears alice (media flows after a TSP dial)');

      c.send('Action % Drop');
      assert.equal((await c.response()).result, 'Success');
      await until('OnHookState', () => c.notifies().some((n) => n.callState === 'OnHookState'));
      await until('speaker off after Drop', () => r.alice.lamps()['speaker'] === 'off');
      assert.equal(r.cm.core.legState(ALICE), 'idle');

      assert.deepEqual(c.notifies().map((n) => n.callState), ['OffHookState', 'ProceedState', 'RingBackState', 'ConnectedState', 'OnHookState']);
      for (const n of c.notifies()) {
        assert.deepEqual([n.terminalId, n.callId, n.callerName, n.callerId, n.calleeId], [ALICE, callId, 'Alice', '100', '101']);
      }
      assert.equal(c.notifies().at(-2)!.calleeName, 'Bob');
      const info = c.notifies('CALL_INFO');
      assert.ok(info.length >= 1 && info[0]!.calleeName === 'Bob', 'CALL_INFO names the callee once known');
      assert.equal(other.frames.filter((f) => f.kind === 'Notify').length, 0, 'carol saw nothing of alice\'s call');

      c.send('Action % Drop');
      assert.deepEqual(await c.response(), { kind: 'Response', result: 'Fail', reason: `no call on phone ${ALICE}` });
      c.send('Action % Dial % 999');
      assert.match((await c.response()).reason ?? '', /cannot dial 999/);
      assert.equal(r.cm.core.legState(ALICE), 'idle', 'an undialable number leaves the phone on hook');
    } finally {
      c.close(); other.close();
      await r.close();
    }
  });

type Ran = Promise<{ code: number | null; out: string; err: string }> & { stop(): void };

/** `deskphone tsp ARGS`; `stop()` sends Ctrl-C (SIGINT); `onOut` sees stdout as it comes. */
function run(args: string[], env: Record<string, string> = {}, stopAfterMs?: number, onOut?: (d: string) => void): Ran {
  const p = spawn(process.execPath, [root('dist/src/bin.js'), 'tsp', ...args], { env: { ...process.env, ...env } });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    let out = ''; let err = '';
    p.stdout.on('data', (d) => { out += d; onOut?.(String(d)); });
    p.stderr.on('data', (d) => { err += d; });
    if (stopAfterMs) setTimeout(() => p.kill('SIGINT'), stopAfterMs);
    p.on('close', (code) => resolve({ code, out, err }));
  });
  return Object.assign(done, { stop: () => { p.kill('SIGINT'); } });
}

test('deskphone tsp dial / watch / drop against the call manager; clear errors', { timeout: 90_000 }, async () => {
  const r = await rig();
  const port = String(r.cm.tsp!.port);
  try {
    // Ctrl-C once the watch has shown the drop, not after a fixed time: on a loaded machine the
    // CLI takes seconds to start, and a signal before it logs in ends it as a kill.
    let watchOut = '';
    const watch = run(['watch', '--port', port], { DESKPHONE_TSP_USER: 'alice', DESKPHONE_TSP_SECRET: 's3cret' }, undefined, (d) => { watchOut += d; });
    await until('the watch logs in', () => /watching call state of alice/.test(watchOut), 30_000);
    const dial = await run(['dial', '101', '--port', port, '--user', 'alice', '--secret', 's3cret']);
    assert.equal(dial.code, 0, dial.err);
    assert.match(dial.out, /dial 101: Success/);
    await until('bob rings', () => r.bob.ringer() !== 'off');
    const drop = await run(['drop', '--port', port, '--user', 'alice', '--secret', 's3cret']);
    assert.equal(drop.code, 0, drop.err);
    await until('the watch shows the drop', () => /OnHookState/.test(watchOut), 15_000);
    watch.stop();
    const w = await watch;
    assert.equal(w.code, 0, w.err);
    assert.match(w.out, /CALL_STATE SEP000000000100 OffHookState call \d+: Alice <100>/);
    assert.match(w.out, /RingBackState[\s\S]*OnHookState/);

    const bad = await run(['dial', '101', '--port', port, '--user', 'alice', '--secret', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /login as alice at 127\.0\.0\.1:\d+ refused: authentication failed/);
    const again = await run(['drop', '--port', port, '--user', 'alice', '--secret', 's3cret']);
    assert.equal(again.code, 1);
    assert.match(again.err, /drop failed: no call on phone/);
  } finally {
    await r.close();
  }
  // Nobody listens any more: the error names host:port and how to enable TSP.
  const refused = await run(['dial', '101', '--port', port, '--user', 'alice', '--secret', 's3cret']);
  assert.equal(refused.code, 1);
  assert.match(refused.err, new RegExp(`cannot connect to the TSP port 127\\.0\\.0\\.1:${port}`));
  assert.match(refused.err, /tsp:\n\s+port:/);
  const usage = await run(['frobnicate']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /unknown action "frobnicate" \(actions: dial NUMBER, drop \[CALLID\], watch\)/);
});
