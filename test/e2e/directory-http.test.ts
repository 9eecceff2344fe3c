/**
 * End to end: SCCP stations registered with the software CM search its HTTP directory
 * (callmanager/directory/ ↔ firmware/sccp/xml-directory.ts) through `{cm}` in the directory URL,
 * and see each line's presence follow a real call: idle, ringing, talking, unregistered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../hal/bindings/system-clock.js';
import { ToneMicrophone } from '../../firmware/media/emulated-audio.js';
import { RecordingSpeaker } from '../../firmware/media/pcm-recorder.js';
import { RtpMediaEngine } from '../../firmware/media/rtp-engine.js';
import { SccpStation } from '../../firmware/sccp/station.js';
import type { SignallingEvent } from '../../firmware/station/signalling.js';
import { parseCallManagerConfig } from '../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../callmanager/start.js';

const A = 'SEP000000000500';
const B = 'SEP000000000501';
const config = parseCallManagerConfig(`
lines:
  - { number: "500", name: Alice Archer }
  - { number: "501", name: Bob Builder }
  - { number: "502", name: "Carol & <Co>" }
devices:
  - { name: ${A}, lines: ["500"] }
  - { name: ${B}, lines: ["501"] }
  - { name: SEP000000000502, lines: ["502"], protocol: sscp }
directory: { http: { port: 0, title: Office } }
`, 'directory-http-test.yaml');

const clock = new SystemClock();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Phone { station: SccpStation; events: SignallingEvent[]; close(): Promise<void> }
async function phone(cm: CallManagerHandle, device: string, directoryUrl?: string): Promise<Phone> {
  const media = new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: 700, name: `${device}-mic` }),
    speaker: new RecordingSpeaker({ seconds: 1, name: `${device}-ear` }), bindAddress: '127.0.0.1' });
  const station = new SccpStation({ deviceName: device, servers: [{ host: '127.0.0.1', port: cm.port }], clock, media,
    localAddress: '127.0.0.1', ...(directoryUrl ? { directoryUrl } : {}) });
  const events: SignallingEvent[] = [];
  station.onEvent((e) => events.push(e));
  await station.start();
  await until(`${device} registered`, () => station.state === 'registered');
  return { station, events, async close() { await station.stop(); await media.close(); } };
}

test('SCCP station ↔ CM directory over HTTP: search, presence through a call, escaping', { timeout: 20_000 }, async () => {
  const cm = await startCallManager({ config, host: '127.0.0.1', port: 0, clock });
  assert.ok(cm.directory, 'directory.http configured: the server runs');
  assert.match(cm.directory.url, /^http:\/\/127\.0\.0\.1:\d+\/directory$/);
  const a = await phone(cm, A, `http://{cm}:${cm.directory.port}/directory`);
  const b = await phone(cm, B);
  try {
    assert.equal(b.station.searchDirectory, undefined, 'no directoryUrl: no directory');
    const search = a.station.searchDirectory!;
    assert.deepEqual(await search(''), [
      { name: 'Alice Archer', number: '500', presence: 'idle' },
      { name: 'Bob Builder', number: '501', presence: 'idle' },
      { name: 'Carol & <Co>', number: '502', presence: 'unregistered' },
    ]);
    assert.deepEqual((await search('& <')).map((e) => e.number), ['502'], 'the search text travels percent-encoded');
    a.station.offHook(1);
    a.station.dial('501');
    await until('B rings', () => b.events.some((e) => e.type === 'callState' && e.state === 'ringin'));
    assert.deepEqual(await search('bob'), [{ name: 'Bob Builder', number: '501', presence: 'ringing' }]);
    b.station.offHook(1);
    await until('connected', () => b.events.some((e) => e.type === 'callState' && e.state === 'connected'));
    await sleep(20); // presence settles a microtask after the core
    assert.deepEqual((await search('b')).map((e) => [e.number, e.presence]), [['501', 'talking']]);
    assert.deepEqual((await search('500')).map((e) => e.presence), ['talking'], 'the searcher is on the call too');
    a.station.onHook();
    b.station.onHook();
    await until('A on hook', () => a.events.some((e) => e.type === 'callState' && e.state === 'onhook'));
    await sleep(50);
    assert.deepEqual((await search('')).map((e) => e.presence), ['idle', 'idle', 'unregistered']);
  } finally {
    await a.close();
    await b.close();
    await cm.close();
  }
  await assert.rejects(a.station.searchDirectory!('x'), /^DirectoryError: directory http:\/\/127\.0\.0\.1:\d+\/directory\?name=x&presence=1: request failed: ECONNREFUSED/,
    'the CM is gone: the error names the URL');
});
