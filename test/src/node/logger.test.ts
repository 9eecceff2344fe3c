/**
 * Log lines: timestamp + level + message, one line per event, on stderr (pino underneath);
 * journald's priority prefix under systemd; the level options; the `--trace` line format for
 * SCCP, SSCP and TSP (SCCP end to end in test/src/cli-logging.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { createLogger, formatRecord, levelFromOptions, memoryLogger } from '../../../src/node/logger.js';
import { formatTrace, traceTo } from '../../../firmware/station/trace.js';
import { SscpEndpoint } from '../../../firmware/sscp/transport.js';
import { tspTrace } from '../../../callmanager/tsp/codec.js';

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \S/;

test('one line per event: ISO timestamp, level, message; levels below the minimum are dropped', () => {
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l), 'iso');
  log.trace('t'); log.debug('d'); log.info('registered SEP000000000100'); log.warn('w'); log.error('e');
  assert.equal(lines.length, 3);
  for (const l of lines) assert.match(l, LINE);
  assert.match(lines[0]!, / INFO  registered SEP000000000100$/);
  assert.match(lines[1]!, / WARN  w$/);
  assert.match(lines[2]!, / ERROR e$/);
  assert.equal(log.enabled('debug'), false);
  assert.equal(log.enabled('warn'), true);
  const t = Date.parse(lines[0]!.slice(0, 24));
  assert.ok(Math.abs(Date.now() - t) < 60_000, 'the timestamp is now');
});

test('a message with line breaks stays one event: continuation lines are indented', () => {
  const lines: string[] = [];
  createLogger('info', (l) => lines.push(l), 'iso').warn('first\nsecond');
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, / WARN  first\n {4}second$/);
});

test('journald format: the sd-daemon priority prefix, no timestamp', () => {
  const lines: string[] = [];
  const log = createLogger('trace', (l) => lines.push(l), 'journald');
  log.trace('t'); log.debug('d'); log.info('i'); log.warn('w'); log.error('e');
  assert.deepEqual(lines, ['<7>t', '<7>d', '<6>i', '<4>w', '<3>e']);
  assert.equal(formatRecord({ level: 30, time: 0, msg: 'x' }, 'clock'), '00:00:00 INFO  x');
});

test('the default sink is stderr; stdout stays clean', async () => {
  const writes: { fd: 'out' | 'err'; s: string }[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => { writes.push({ fd: 'out', s }); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { writes.push({ fd: 'err', s }); return true; }) as typeof process.stderr.write;
  try {
    createLogger('info', undefined, 'iso').info('to stderr');
  } finally {
    process.stdout.write = out; process.stderr.write = err;
  }
  assert.deepEqual(writes.map((w) => w.fd), ['err']);
  assert.match(writes[0]!.s, /INFO  to stderr\n$/);
});

test('--log-level, --verbose and --trace pick the level', () => {
  assert.equal(levelFromOptions({}), 'info');
  assert.equal(levelFromOptions({ 'log-level': 'warn' }), 'warn');
  assert.equal(levelFromOptions({ 'log-level': 'error', verbose: true }), 'debug');
  assert.equal(levelFromOptions({ 'log-level': 'warn', trace: true }), 'trace');
  assert.equal(levelFromOptions({}, 'warn'), 'warn');
  const m = memoryLogger('warn', 2);
  m.info('no'); m.warn('a'); m.error('b'); m.warn('c');
  assert.deepEqual(m.lines.map((l) => l.slice(9)), ['ERROR b', 'WARN  c']);
});

test('trace lines: protocol, direction, peer, message name, fields as key=value; bytes by length, long values cut', () => {
  assert.equal(formatTrace('SCCP', 'send', '127.0.0.1:2000', 'KeepAlive', {}), 'SCCP → 127.0.0.1:2000 KeepAlive');
  assert.equal(formatTrace('SCCP', 'recv', 'SEP000000000100', 'CallState', { callState: 4, lineInstance: 1, callReference: 7, x: undefined }),
    'SCCP ← SEP000000000100 CallState callState=4 lineInstance=1 callReference=7');
  assert.equal(formatTrace('SSCP', 'send', '[::1]:5070', 'Display', { text: 'Hi "you"', raw: new Uint8Array(12) }),
    'SSCP → [::1]:5070 Display text="Hi \\"you\\"" raw=<12 bytes>');
  const long = formatTrace('SCCP', 'recv', 'p', 'SoftKeyTemplateRes', { labels: 'x'.repeat(1000) });
  assert.ok(long.length < 260, `cut: ${long.length} chars`);
  assert.match(long, /…\(1002 chars\)$/);
});

test('TSP frames in the trace: Action/Login with the secret masked', () => {
  assert.deepEqual(tspTrace({ kind: 'Action', action: 'Login', user: 'alice', secret: 's3cret' }), { name: 'Action/Login', fields: { user: 'alice', secret: '***' } });
  assert.deepEqual(tspTrace({ kind: 'Response', result: 'Success' }), { name: 'Response', fields: { result: 'Success' } });
});

test('SSCP endpoints trace what they send and what they deliver, decoded', async () => {
  const clock = new VirtualClock();
  const cmLines: string[] = [];
  const phoneLines: string[] = [];
  const cm = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, onMessage: () => {}, trace: traceTo((l) => cmLines.push(l)) });
  const addr = await cm.start();
  const phone = new SscpEndpoint({ clock, bind: { address: '127.0.0.1' }, peer: addr, device: 'SEP000000000100', onMessage: () => {},
    trace: traceTo((l) => phoneLines.push(l)) });
  await phone.start();
  try {
    const sent = phone.send({ name: 'KeepAlive', fields: {} });
    for (let i = 0; i < 100 && cmLines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await sent;
    assert.deepEqual(phoneLines, [`SSCP → 127.0.0.1:${addr.port} KeepAlive`]);
    assert.equal(cmLines.length, 1);
    assert.match(cmLines[0]!, /^SSCP ← 127\.0\.0\.1:\d+ KeepAlive$/);
  } finally {
    await phone.close();
    await cm.close();
  }
});
