import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { encodeTspFrame, normaliseDialAddress, parseTspFrame, TspFramer, TspParseError, type TspFrame } from '../../../callmanager/tsp/codec.js';
import { TspServer } from '../../../callmanager/tsp/server.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import type { ThirdPartyControl, TspCallEvent } from '../../../callmanager/tsp/control.js';

/** A fake call manager: two users, each with one terminal; calls belong to the dialling user. */
class FakeControl implements ThirdPartyControl {
  private readonly users: Record<string, { secret: string; terminal: string }> = {
    alice: { secret: 's3cret', terminal: 'SEP00AA' }, bob: { secret: 'hunter2', terminal: 'SEP00BB' } };
  private readonly subs = new Map<string, Set<(ev: TspCallEvent) => void>>();
  readonly calls = new Map<string, string>();   // callId → user
  readonly dialled: string[] = [];
  private nextCall = 100;
  authenticate(user: string, secret: string): boolean { return this.users[user]?.secret === secret; }
  emit(user: string, ev: Omit<TspCallEvent, 'terminalId'>): void {
    for (const cb of this.subs.get(user) ?? []) cb({ ...ev, terminalId: this.users[user]!.terminal });
  }
  async dial(user: string, address: string) {
    this.dialled.push(`${user}:${address}`);
    const callId = String(this.nextCall++);
    this.calls.set(callId, user);
    const base = { callId, callerName: user, callerId: '1012', calleeName: '', calleeId: address };
    this.emit(user, { event: 'CALL_STATE', callState: 'OffHookState', ...base });
    queueMicrotask(() => this.emit(user, { event: 'CALL_STATE', callState: 'ProceedState', ...base }));
    return { ok: true };
  }
  async drop(user: string, callId?: string) {
    const id = callId ?? [...this.calls].find(([, u]) => u === user)?.[0];
    if (!id || !this.calls.has(id)) return { ok: false, reason: 'no such call' };
    if (this.calls.get(id) !== user) return { ok: false, reason: `call ${id} is not on your terminal` };
    this.calls.delete(id);
    return { ok: true };
  }
  onCallState(user: string, cb: (ev: TspCallEvent) => void) {
    const set = this.subs.get(user) ?? new Set();
    this.subs.set(user, set.add(cb));
    return () => { set.delete(cb); };
  }
  subscribers(user: string): number { return this.subs.get(user)?.size ?? 0; }
}

class Client {
  private readonly framer = new TspFramer();
  private readonly frames: TspFrame[] = [];
  private waiter: (() => void) | undefined;
  closed = false;
  constructor(readonly sock: Socket) {
    sock.on('data', (d) => {
      for (const it of this.framer.push(d)) if ('frame' in it) this.frames.push(it.frame);
      this.waiter?.();
    });
    sock.on('close', () => { this.closed = true; this.waiter?.(); });
  }
  static open(port: number, localAddress?: string): Promise<Client> {
    return new Promise((r) => { const s = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) }, () => r(new Client(s))); });
  }
  send(raw: string): void { this.sock.write(raw); }
  async next(ms = 2000): Promise<TspFrame> {
    const t0 = Date.now();
    while (this.frames.length === 0) {
      if (this.closed) throw new Error('connection closed');
      if (Date.now() - t0 > ms) throw new Error('no frame');
      await new Promise<void>((r) => { this.waiter = r; setTimeout(r, 20); });
    }
    return this.frames.shift()!;
  }
  /** Frames arriving within `ms` (for "nothing arrives" checks). */
  async drain(ms: number): Promise<TspFrame[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.splice(0);
  }
  close(): void { this.sock.destroy(); }
}

test('codec: seed syntax, tolerant spaces, canonical output', () => {
  assert.deepEqual(parseTspFrame('Action % Dial % 4000'), { kind: 'Action', action: 'Dial', address: '4000' });
  assert.deepEqual(parseTspFrame('Action%Drop'), { kind: 'Action', action: 'Drop' });
  assert.deepEqual(parseTspFrame('  action  %\tdrop %  17 '), { kind: 'Action', action: 'Drop', callId: '17' });
  assert.deepEqual(parseTspFrame('Response % Success'), { kind: 'Response', result: 'Success' });
  const n = parseTspFrame('Notify % CALL_STATE % SEP00AA % RingBackState % 7 % Kim % 1012 % Lee % 4000');
  assert.deepEqual(n, { kind: 'Notify', event: 'CALL_STATE', terminalId: 'SEP00AA', callState: 'RingBackState', callId: '7',
    callerName: 'Kim', callerId: '1012', calleeName: 'Lee', calleeId: '4000' });
  assert.equal(encodeTspFrame(n), 'Notify % CALL_STATE % SEP00AA % RingBackState % 7 % Kim % 1012 % Lee % 4000\r\n\r\n');
  assert.equal(encodeTspFrame({ kind: 'Response', result: 'Fail', reason: '50% off\r\n' }), 'Response % Fail % 50  off\r\n\r\n');
  assert.throws(() => parseTspFrame('Action % Transfer % 4000'), /unknown action "Transfer" \(expected Login, Logout, Dial, Drop\)/);
  assert.throws(() => parseTspFrame('Notify % CALL_STATE % X % Ringing % 1 % a % b % c % d'), /call state "Ringing"/);
  assert.throws(() => parseTspFrame('Notify % CALL_INFO % X'), (e: unknown) => e instanceof TspParseError && /expected 9/.test(e.message));
  assert.throws(() => parseTspFrame('Hello'), /expected Action, Response or Notify/);
  assert.equal(normaliseDialAddress('+82 (2) 568-3848'), '+8225683848');
  assert.equal(normaliseDialAddress('sip:bob@example.com'), undefined);
});

test('framer: partial input buffered, several frames per chunk, cap without terminator', () => {
  const f = new TspFramer(64);
  assert.deepEqual(f.push('Action % Di'), []);
  assert.equal(f.pending, 11);
  assert.deepEqual(f.push('al % 4000\r\n'), [], 'a single CRLF does not end a frame');
  const items = f.push('\r\nAction % Drop\r\n\r\nAction % Lo');
  assert.equal(items.length, 2);
  assert.deepEqual(items.map((i) => ('frame' in i ? i.offset : -1)), [0, 24]);
  const over = f.push('x'.repeat(80));
  assert.equal(over.length, 1);
  assert.ok('error' in over[0]! && over[0].fatal && /no CR LF CR LF terminator within 64 bytes/.test(over[0].error.message));
  const bytes = Buffer.from('Action % Login % jürgen % pw\r\n\r\n');
  const g = new TspFramer();
  const split = [...g.push(bytes.subarray(0, 19)), ...g.push(bytes.subarray(19))];   // splits the ü
  assert.deepEqual(split.map((i) => ('frame' in i ? i.frame : i.error.message)),
    [{ kind: 'Action', action: 'Login', user: 'jürgen', secret: 'pw' }]);
});

test('server: auth required, dial, notifications, drop, errors', async () => {
  const control = new FakeControl();
  const server = new TspServer({ control });
  const { address, port } = await server.listen();
  assert.equal(address, '127.0.0.1');
  const a = await Client.open(port);
  try {
    a.send('Action % Dial % 4000\r\n\r\n');
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Fail',
      reason: 'not authenticated: send a Login action before Dial' });
    assert.deepEqual(control.dialled, [], 'unauthenticated dial never reaches the call manager');

    a.send('Action % Login % alice % wrong\r\n\r\n');
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Fail', reason: 'authentication failed' });
    a.send('Action   %  Login%alice % s3cret\r\n\r\n');
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Success' });

    a.send('Action % Dial % 4000\r\n');                                  // terminator incomplete
    assert.deepEqual(await a.drain(80), [], 'nothing happens until CR LF CR LF');
    a.send('\r\n');
    const got = [await a.next(), await a.next(), await a.next()];
    assert.deepEqual(control.dialled, ['alice:4000']);
    assert.deepEqual(got.find((f) => f.kind === 'Response'), { kind: 'Response', result: 'Success' });
    const states = got.filter((f) => f.kind === 'Notify').map((f) => f.kind === 'Notify' && `${f.terminalId}:${f.callState}:${f.callId}`);
    assert.deepEqual(states, ['SEP00AA:OffHookState:100', 'SEP00AA:ProceedState:100']);

    a.send('Action % Transfer % 5000\r\n\r\n');
    const unk = await a.next();
    assert.ok(unk.kind === 'Response' && unk.result === 'Fail' && /unknown action "Transfer"/.test(unk.reason ?? ''));

    a.send('Response % Success\r\n\r\n');
    const wrongDir = await a.next();
    assert.ok(wrongDir.kind === 'Response' && /expected an Action/.test(wrongDir.reason ?? ''));

    a.send('Action % Dial % sip:bob@example.com\r\n\r\n');
    const bad = await a.next();
    assert.ok(bad.kind === 'Response' && bad.result === 'Fail' && /cannot dial/.test(bad.reason ?? ''));

    a.send('Action % Drop\r\n\r\n');
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Success' });
    assert.equal(control.calls.size, 0);
  } finally {
    a.close();
    await server.close();
  }
});

test("server: a user sees and controls only their own phone", async () => {
  const control = new FakeControl();
  const server = new TspServer({ control });
  const { port } = await server.listen();
  const a = await Client.open(port);
  const b = await Client.open(port);
  try {
    a.send('Action % Login % alice % s3cret\r\n\r\n');
    b.send('Action % Login % bob % hunter2\r\n\r\n');
    assert.equal((await a.next()).kind, 'Response');
    assert.equal((await b.next()).kind, 'Response');
    b.send('Action % Dial % 1012\r\n\r\n');
    const bFrames = [await b.next(), await b.next(), await b.next()];
    assert.equal(bFrames.filter((f) => f.kind === 'Notify' && f.terminalId === 'SEP00BB').length, 2);
    assert.deepEqual(await a.drain(80), [], "alice gets none of bob's notifications");

    a.send('Action % Drop % 100\r\n\r\n');                                   // bob's call
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Fail', reason: 'call 100 is not on your terminal' });
    assert.ok(control.calls.has('100'), "bob's call survives");

    a.send('Action % Login % bob % hunter2\r\n\r\n');
    const again = await a.next();
    assert.ok(again.kind === 'Response' && /already authenticated as alice/.test(again.reason ?? ''));

    a.send('Action % Logout\r\n\r\n');
    assert.deepEqual(await a.next(), { kind: 'Response', result: 'Success' });
    assert.equal(control.subscribers('alice'), 0, 'logout unsubscribes');
  } finally {
    a.close(); b.close();
    await server.close();
  }
});

test('server: repeated failed logins and a runaway frame close the session', async () => {
  const control = new FakeControl();
  const server = new TspServer({ control, maxFrame: 256 });
  const { port } = await server.listen();
  const a = await Client.open(port);
  for (let i = 0; i < 3; i++) a.send('Action % Login % alice % nope\r\n\r\n');
  const replies = [await a.next(), await a.next(), await a.next()];
  assert.ok(replies[2]!.kind === 'Response' && /closing after 3 attempts/.test(replies[2]!.reason ?? ''));
  await a.drain(50);
  assert.ok(a.closed, 'session closed after 3 failures');

  const c = await Client.open(port);
  c.send('Action % Dial % ' + '1'.repeat(400));                           // never terminated
  const r = await c.next();
  assert.ok(r.kind === 'Response' && /no CR LF CR LF terminator within 256 bytes/.test(r.reason ?? ''));
  await c.drain(50);
  assert.ok(c.closed);
  assert.equal(server.sessions, 0);
  await server.close();
});

test('defect 12: parser and encoder share one whitespace definition (space and tab); other spaces are content', () => {
  const nbsp = parseTspFrame('Action % Login % \u00a0 % s');
  assert.deepEqual(nbsp, { kind: 'Action', action: 'Login', user: '\u00a0', secret: 's' });
  assert.deepEqual(parseTspFrame(encodeTspFrame(nbsp).slice(0, -4)), nbsp, 're-encoding parses back to the same frame');
  for (const ws of ['\u00a0', '\u2003', '\u3000', '\ufeff', '\u1680', '\v', '\f']) {
    const f: TspFrame = { kind: 'Action', action: 'Login', user: `${ws}u${ws}`, secret: `${ws}` };
    assert.deepEqual(parseTspFrame(encodeTspFrame(f).slice(0, -4)), f, JSON.stringify(ws));
  }
  // Space/tab padding is trimmed by both.
  assert.deepEqual(parseTspFrame(encodeTspFrame({ kind: 'Action', action: 'Dial', address: ' \t4000\t ' }).slice(0, -4)),
    { kind: 'Action', action: 'Dial', address: '4000' });
});

test('defect 5: refused connections are destroyed (no descriptor leak) and close() ends clients that never read', async () => {
  const control = new FakeControl();
  const server = new TspServer({ control, maxSessions: 2, maxSessionsPerAddress: 100 });
  const { port } = await server.listen();
  const a = await Client.open(port);
  const b = await Client.open(port);
  a.send('Action % Login % alice % s3cret\r\n\r\n');
  assert.equal((await a.next()).kind, 'Response');
  const refused = await Promise.all(Array.from({ length: 40 }, () => Client.open(port)));
  for (const c of refused) c.sock.pause();                  // never read, never close
  const t0 = Date.now();
  while (server.connections > 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
  assert.equal(server.connections, 2, 'every refused socket is gone from the server');
  assert.equal(server.sessions, 2);
  const stuck = await Client.open(port, '127.0.0.2');
  stuck.sock.pause();
  const closing = server.close();
  const done = await Promise.race([closing.then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 3000))]);
  assert.equal(done, 'closed', 'close() returns with clients still connected');
  for (const c of [a, b, stuck, ...refused]) c.close();
});

test('defect 5: idle timeouts before and after login (virtual clock)', async () => {
  const clock = new VirtualClock();
  const server = new TspServer({ control: new FakeControl(), clock, loginIdleMs: 30_000, idleMs: 600_000 });
  const { port } = await server.listen();
  try {
    const quiet = await Client.open(port);
    const user = await Client.open(port);
    user.send('Action % Login % alice % s3cret\r\n\r\n');
    assert.equal((await user.next()).kind, 'Response');
    await new Promise((r) => setTimeout(r, 30));
    await clock.advance(30_000);
    assert.match(JSON.stringify(await quiet.next()), /idle timeout \(30 s\)/);
    await quiet.drain(50);
    assert.equal(quiet.closed, true);
    assert.equal(user.closed, false, 'a logged-in session has the longer timeout');
    await clock.advance(570_000);
    await user.drain(50);
    assert.equal(user.closed, true);
    assert.equal(server.sessions, 0);
  } finally { await server.close(); }
});

test('defect 5: per-address login lockout with backoff; other addresses unaffected', async () => {
  const clock = new VirtualClock();
  const server = new TspServer({ control: new FakeControl(), clock, maxAuthFailures: 100, lockoutAfter: 3, lockoutMs: 1000 });
  const { port } = await server.listen();
  const login = async (c: Client, secret: string) => { c.send(`Action % Login % alice % ${secret}\r\n\r\n`); return c.next(); };
  try {
    const x = await Client.open(port, '127.0.0.2');
    for (let i = 0; i < 3; i++) assert.deepEqual(await login(x, 'guess'), { kind: 'Response', result: 'Fail', reason: 'authentication failed' });
    const locked = await login(x, 's3cret');
    assert.equal(locked.kind === 'Response' && locked.result, 'Fail');
    assert.match(JSON.stringify(locked), /too many failed logins from 127\.0\.0\.2; retry in 1 s/);
    const y = await Client.open(port, '127.0.0.2');          // a new connection does not reset it
    assert.match(JSON.stringify(await login(y, 's3cret')), /too many failed logins/);
    const other = await Client.open(port, '127.0.0.3');
    assert.deepEqual(await login(other, 's3cret'), { kind: 'Response', result: 'Success' });
    await clock.advance(1000);
    assert.match(JSON.stringify(await login(x, 'guess')), /authentication failed/);   // 4th failure: 2 s now
    assert.match(JSON.stringify(await login(x, 's3cret')), /retry in 2 s/);
    await clock.advance(2000);
    assert.deepEqual(await login(x, 's3cret'), { kind: 'Response', result: 'Success' });
    for (const c of [x, y, other]) c.close();
  } finally { await server.close(); }
});
