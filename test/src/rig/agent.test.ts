/**
 * The rig agent over real TCP against one emulated board registered to an in-process call
 * manager: the protocol is safe (token, hello first, version, line limits, off unless asked,
 * loopback by default), requests act at the board's pins and the answers come from what the
 * board did (decoded screen, lamp lines, on-board tone analysis, raw audio).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { loadCallManagerConfig } from '../../../callmanager/config.js';
import { startCallManager, type CallManagerHandle } from '../../../callmanager/start.js';
import { detectTones } from '../../../firmware/media/tone-detect.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { emulatedBoardUnderTest, fuseRinger, type BoardUnderTest } from '../../../src/rig/board-under-test.js';
import { startRigAgent, type RigAgent } from '../../../src/rig/agent.js';
import { AgentConnection, RemotePhone, RigAgentError } from '../../../src/rig/client.js';
import { rigListenOptions } from '../../../src/rig/agent-options.js';
import { buildAgentRig, connectBench } from '../../../src/rig/agent-rig.js';
import { loadScenario } from '../../../src/scenario/schema.js';
import { TOKEN } from '../../support/rig.js';

const clock = new SystemClock();
const log = memoryLogger('debug');
let cm: CallManagerHandle;
let board: BoardUnderTest & { phone: import('../../../src/node/emulated-phone.js').EmulatedPhone };
let agent: RigAgent;

before(async () => {
  cm = await startCallManager({ config: loadCallManagerConfig('callmanager/examples/two-phones.yaml'), host: '127.0.0.1', port: 0, sscpPort: 0, clock });
  board = await emulatedBoardUnderTest({
    boardFile: 'board-configs/laptop-emulated.yaml', deviceName: 'SEP000000000100', servers: [{ host: '127.0.0.1', port: cm.port }], micFrequency: 1000, clock, log,
  });
  agent = await startRigAgent({ board, host: '127.0.0.1', port: 0, token: TOKEN, clock, log, helloTimeoutMs: 300 });
});
after(async () => { await agent.close(); await board.close(); await cm.close(); });

/** Sends raw lines, returns every line received until the agent closes the connection. */
function rawSession(lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(agent.port, '127.0.0.1');
    let got = '';
    s.setEncoding('utf8');
    s.on('connect', () => { for (const l of lines) s.write(l); });
    s.on('data', (c: string) => { got += c; });
    s.on('error', reject);
    s.on('close', () => resolve(got.split('\n').filter(Boolean)));
  });
}

test('the agent refuses a connection without the right token, a wrong version, a request before hello, and silence', async () => {
  const wrong = await rawSession([`${JSON.stringify({ id: 1, op: 'hello', version: 1, token: 'not-the-token' })}\n`]);
  assert.deepEqual(JSON.parse(wrong[0]!), { id: 1, ok: false, error: { code: 'AUTH', message: 'wrong token' } });
  const early = await rawSession([`${JSON.stringify({ id: 2, op: 'tap', key: '1' })}\n`]);
  assert.equal(JSON.parse(early[0]!).error.code, 'AUTH');
  const version = await rawSession([`${JSON.stringify({ id: 3, op: 'hello', version: 2, token: TOKEN })}\n`]);
  assert.equal(JSON.parse(version[0]!).error.code, 'VERSION');
  const silent = await rawSession([]); // closed by the hello timer
  assert.match(JSON.parse(silent[0]!).error.message, /no hello with a token within 300 ms/);
  const flood = await rawSession(['x'.repeat(20_000)]);
  assert.match(JSON.parse(flood[0]!).error.message, /longer than 16384 bytes/);
  await assert.rejects(AgentConnection.open({ host: '127.0.0.1', port: agent.port }, 'not-the-token'), (e: RigAgentError) => e.code === 'AUTH');
  await assert.rejects(startRigAgent({ board, host: '127.0.0.1', port: 0, token: 'short', clock, log }), /at least 8 characters/);
});

test('--rig-listen: off unless given, loopback for a bare port, a token required', () => {
  assert.equal(rigListenOptions({}, {}), undefined);
  assert.throws(() => rigListenOptions({ 'rig-token': TOKEN }, {}), /need --rig-listen/);
  assert.deepEqual(rigListenOptions({ 'rig-listen': '7700' }, { DESKPHONE_RIG_TOKEN: TOKEN }), { host: '127.0.0.1', port: 7700, token: TOKEN });
  assert.throws(() => rigListenOptions({ 'rig-listen': '7700' }, {}), /needs a token/);
  assert.throws(() => rigListenOptions({ 'rig-listen': 'nowhere' }, { DESKPHONE_RIG_TOKEN: TOKEN }), /expected HOST:PORT/);
  const file = join(mkdtempSync(join(tmpdir(), 'rig-token-')), 'rig.token');
  writeFileSync(file, `${TOKEN}\n`);
  assert.deepEqual(rigListenOptions({ 'rig-listen': '0.0.0.0:7701', 'rig-token-file': file }, {}), { host: '0.0.0.0', port: 7701, token: TOKEN });
});

test('agent requests act on the board\'s pins and report what it did: screen, lamps, tones, raw audio', { timeout: 30_000 }, async () => {
  const conn = await AgentConnection.open({ host: '127.0.0.1', port: agent.port }, TOKEN);
  try {
    assert.equal(conn.info.device, 'SEP000000000100');
    assert.equal(conn.info.softkeyCount, 4);
    assert.ok(conn.info.keys.includes('1') && conn.info.keys.includes('line1'), conn.info.keys.join(' '));
    assert.equal(conn.info.ringerSource, 'driver+wire');
    await conn.waitFor((s) => s.station === 'registered' && s.screen.join('\n').includes('Alice'), 10_000, 'idle screen');
    await assert.rejects(conn.request('tap', { key: 'nope' }), (e: RigAgentError) => e.code === 'NO_SUCH_KEY' && /keys: 1 2 3/.test(e.message));
    await assert.rejects(conn.request('tap', {}), (e: RigAgentError) => e.code === 'BAD_REQUEST' && /key/.test(e.message));
    await assert.rejects(conn.request('hears', { freqs: [], ms: 200 }), (e: RigAgentError) => e.code === 'BAD_REQUEST');

    const phone = new RemotePhone('alice', conn);
    await phone.lift();
    await conn.waitFor((s) => s.offHook && s.lamps.line1 === 'on', 3000, 'line1 lamp on'); // pushed by the agent
    await new Promise((r) => setTimeout(r, 400)); // dial tone in the earpiece history
    assert.equal(await phone.hearing.tone(200), 'dial');
    assert.equal(await phone.hearing.present([350, 440], 200), true);
    assert.equal(await phone.hearing.present([1500], 200), false);
    assert.equal(await phone.hearing.describe([1000]), '350 Hz, 440 Hz');
    const music = await phone.hearing.music([1000], 200);
    assert.equal(music.music, false, 'dial tone is not music on hold');
    assert.match(music.why, /known tone/);
    const raw = await phone.fetchAudio(200);
    assert.equal(raw.sampleRate, 8000);
    assert.equal(raw.samples.length, 1600);
    const [l350, l1000] = detectTones(raw.samples, raw.sampleRate, [350, 1000]);
    assert.ok(l350!.dbfs > -30 && l1000!.dbfs < -40, `raw audio is dial tone (${l350!.dbfs} / ${l1000!.dbfs} dBFS)`);

    await phone.tap('1'); // through the key matrix contact and the driver's debounce
    await conn.waitFor((s) => /\b1\b/.test(s.screen.join('\n')), 3000, 'the dialled digit on the screen');
    await phone.replace();
    await conn.waitFor((s) => !s.offHook, 3000, 'on hook');

    await conn.request('standby');
    await conn.waitFor((s) => s.station === 'unregistered', 3000, 'standby');
    const info = await conn.request('reset') as { device: string };
    assert.equal(info.device, 'SEP000000000100');
    await conn.waitFor((s) => s.station === 'registered', 10_000, 'registered after reset');
  } finally {
    conn.close();
  }
});

test('the ringer: "off" as soon as the driver stops and the line is quiet, while the wire alone still shows the cadence', async () => {
  assert.equal(fuseRinger('off', 'inside', false), 'off');
  assert.equal(fuseRinger('off', 'inside', true), 'inside'); // a line still driven after "off" is reported as ringing
  assert.equal(fuseRinger('off', 'off', true), 'inside');
  assert.equal(fuseRinger('inside', 'off', false), 'off'); // the driver rings but nothing reaches the wire
  assert.equal(fuseRinger('outside', 'outside', true), 'outside');
  const ringer = board.phone.board.hardware.ringer;
  ringer.ring('inside');
  await new Promise((r) => setTimeout(r, 300));
  assert.notEqual(board.state().ringer, 'off');
  ringer.ring('off');
  assert.equal(board.state().ringer, 'off');
  assert.notEqual(board.phone.ringer(), 'off', 'the wire reading alone cannot tell the gap from off yet');
});

test('a scenario phone without a board on the bench is refused before anything starts, naming both files', async () => {
  const bench = await connectBench({
    file: 'bench.yaml', version: 1, callmanager: { host: '127.0.0.1', port: 1, sscpPort: 1 }, registerTimeout: 1000,
    boards: { desk1: { agent: `127.0.0.1:${agent.port}`, token: TOKEN } },
  });
  try {
    await assert.rejects(buildAgentRig(loadScenario('test/scenarios/busy.yaml'), bench, { log }),
      /busy\.yaml: phone bob \(SEP000000000101\) has no board in bench\.yaml \(boards: desk1=SEP000000000100\)/);
    await assert.rejects(connectBench({ file: 'bench.yaml', version: 1, callmanager: { host: '127.0.0.1', port: 1, sscpPort: 1 }, registerTimeout: 1000,
      boards: { desk1: { agent: `127.0.0.1:${agent.port}`, token: TOKEN, device: 'SEP0000000009FF' } } }),
    /boards\.desk1: the board registers as SEP000000000100, the rig file says SEP0000000009FF/);
  } finally {
    bench.close();
  }
});
