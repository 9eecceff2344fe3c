/**
 * Logs of the real processes: `deskphone callmanager` and `deskphone phone --emulated` against it.
 * Every diagnostic is a timestamped, levelled line on stderr; stdout carries only data (nothing
 * for the call manager, the screen for the phone); a registration is logged once; --log-level
 * filters; --trace shows every SCCP message both ways, decoded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canListen, freePort, startBin, stop, until } from '../support/run-bin.js';

const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \S/;
const DEVICE = 'SEP000000000102';
const logLines = (s: string): string[] => s.split('\n').filter((l) => l !== '' && !l.startsWith('    '));

async function callAndPhone(cmArgs: string[], phoneArgs: string[]): Promise<{ cm: string; cmOut: string; phone: string; phoneOut: string; cmCode: number | null; phoneCode: number | null }> {
  const port = await freePort();
  const cm = startBin(['callmanager', '--port', String(port), ...cmArgs]);
  try {
    let up = false;
    for (let i = 0; i < 150 && !up && cm.exitCode === null; i++) { up = !(await canListen(port)); if (!up) await new Promise((r) => setTimeout(r, 100)); }
    assert.ok(up, `call manager up: ${cm.err}`);
    const phone = startBin(['phone', '--board', 'board-configs/laptop-emulated.yaml', '--server', `127.0.0.1:${port}`, '--emulated', '--device', DEVICE, ...phoneArgs]);
    const registered = await until(() => /^registered$/m.test(phone.out), 20_000);
    await new Promise((r) => setTimeout(r, 500)); // the status requests after the RegisterAck
    const phoneCode = await stop(phone);
    assert.ok(registered, `phone registered (stdout: ${phone.out.slice(0, 300)}, stderr: ${phone.err.slice(0, 600)})`);
    const cmCode = await stop(cm);
    return { cm: cm.err, cmOut: cm.out, phone: phone.err, phoneOut: phone.out, cmCode, phoneCode };
  } finally {
    if (cm.exitCode === null) cm.kill('SIGKILL');
  }
}

test('diagnostics on stderr as timestamped lines, data on stdout, a registration logged once, Ctrl-C exits 0', async () => {
  const r = await callAndPhone([], []);
  assert.equal(r.cmCode, 0);
  assert.equal(r.phoneCode, 0);
  assert.equal(r.cmOut, '', 'the call manager prints no data');
  for (const l of logLines(r.cm)) assert.match(l, LINE, `call manager: ${l}`);
  for (const l of logLines(r.phone)) assert.match(l, LINE, `phone: ${l}`);
  const registrations = r.cm.split('\n').filter((l) => l.includes(DEVICE) && /\bregistered\b/.test(l) && !/unregistered|session closed/.test(l));
  assert.equal(registrations.length, 1, registrations.join('\n'));
  assert.match(registrations[0]!, /INFO  SEP000000000102 \(127\.0\.0\.1:\d+\): registered \(protocol v11\)$/);
  // The phone's stdout is its screen: state lines and LCD rows, no log lines.
  for (const l of r.phoneOut.split('\n').filter(Boolean)) assert.match(l, /^(\|.*\||registering|registered|unregistered|lost|rejected)$/, l);
});

test('--log-level warn keeps only warnings and errors', async () => {
  const r = await callAndPhone(['--log-level', 'warn'], ['--log-level', 'warn']);
  assert.doesNotMatch(r.cm, / (INFO |DEBUG|TRACE) /);
  assert.doesNotMatch(r.phone, / (INFO |DEBUG|TRACE) /);
});

test('--trace: every SCCP message sent and received, decoded, at both ends', async () => {
  const r = await callAndPhone(['--trace'], ['--trace']);
  // The call manager's side: the Register it received, the RegisterAck it sent, by name and fields.
  assert.match(r.cm, new RegExp(`TRACE SCCP ← 127\\.0\\.0\\.1:\\d+ Register deviceName="${DEVICE}" userId=0 instance=1 stationIpAddr="127\\.0\\.0\\.1" deviceType=7 .*protocolVer=11`));
  assert.match(r.cm, new RegExp(`TRACE SCCP → ${DEVICE} RegisterAck keepAliveInterval=30 dateTemplate="M/D/Y"`));
  assert.match(r.cm, new RegExp(`TRACE SCCP → ${DEVICE} LineStat lineNumber=1 lineDirNumber="102"`));
  // The phone's side mirrors it.
  assert.match(r.phone, new RegExp(`TRACE phone: SCCP → 127\\.0\\.0\\.1:\\d+ Register deviceName="${DEVICE}"`));
  assert.match(r.phone, /TRACE phone: SCCP ← 127\.0\.0\.1:\d+ RegisterAck keepAliveInterval=30/);
  // Everything the phone sent the call manager received: the same message names in the same order.
  const names = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[1]!);
  const sent = names(r.phone, /TRACE phone: SCCP → \S+ (\w+)/g);
  const received = names(r.cm, /TRACE SCCP ← \S+ (\w+)/g);
  assert.ok(sent.length >= 8, sent.join(' '));
  assert.deepEqual(received.slice(0, sent.length - 1), sent.slice(0, sent.length - 1)); // the last may be the Unregister at Ctrl-C
});
