/**
 * The real-board composition of the agent (src/rig/tapped-board.ts: drivers over the bus and line
 * taps, earpiece PCM copied on its way to the sink), with emulated devices standing in for the
 * hardware under the taps: alice is a Pi 4 board read only through the taps, bob an emulated
 * board; basic-call passes through both agents over TCP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { createEmulatedDevices } from '../../../hal/board/emulated-board.js';
import { DEFAULT_FORMAT, RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { emulatedBoardUnderTest, type BoardUnderTest } from '../../../src/rig/board-under-test.js';
import { tappedBoardUnderTest } from '../../../src/rig/tapped-board.js';
import { startRigAgent, type RigAgent } from '../../../src/rig/agent.js';
import { buildAgentRig, connectBench } from '../../../src/rig/agent-rig.js';
import { loadScenario } from '../../../src/scenario/schema.js';
import { runScenario, ScenarioFailure } from '../../../src/scenario/runner.js';
import { freeTcpPort, freeUdpPort, TOKEN } from '../../support/rig.js';

test('tapped board: basic-call passes with the screen, lamps and ringer read through the taps', { timeout: 90_000 }, async () => {
  const clock = new SystemClock();
  const log = memoryLogger('info');
  const cm = { host: '127.0.0.1', port: await freeTcpPort(), sscpPort: await freeUdpPort() };
  const servers = [{ host: '127.0.0.1', port: cm.port }];
  /** The "ALSA" devices of the tapped board: its microphone a 1000 Hz tone, its earpiece a recorder. */
  const sinks: RecordingSpeaker[] = [];
  const alice = await tappedBoardUnderTest({
    boardFile: 'board-configs/pi4-hd44780-matrix.yaml', deviceName: 'SEP000000000100', servers, clock, log,
    platform: async (config) => (await createEmulatedDevices(config, clock)).platform,
    audio: () => {
      const speaker = new RecordingSpeaker({ seconds: 2, format: DEFAULT_FORMAT, name: 'alsa playback' });
      sinks.push(speaker);
      return { microphone: new ToneMicrophone({ clock, freq: 1000, name: 'alsa capture' }), speaker, micFrequency: 1000 };
    },
  });
  const bob = await emulatedBoardUnderTest({ boardFile: 'board-configs/laptop-emulated.yaml', deviceName: 'SEP000000000101', servers, micFrequency: 1500, clock, log });
  const boards: BoardUnderTest[] = [alice, bob];
  const agents: RigAgent[] = [];
  try {
    for (const b of boards) agents.push(await startRigAgent({ board: b, host: '127.0.0.1', port: 0, token: TOKEN, clock, log }));
    const bench = await connectBench({
      file: 'inline rig', version: 1, callmanager: cm, registerTimeout: 20_000,
      boards: Object.fromEntries(agents.map((a, i) => [`b${i}`, { agent: `127.0.0.1:${a.port}`, token: TOKEN }])),
    });
    try {
      assert.equal(bench.boards.get('b0')!.conn.info.board, 'Desk phone (Pi 4, 20x4 LCD, matrix keypad)');
      const scenario = loadScenario('test/scenarios/basic-call.yaml');
      const rig = await buildAgentRig(scenario, bench, { log });
      try {
        await runScenario(scenario, rig).catch((e: unknown) => {
          if (e instanceof ScenarioFailure) assert.fail(`${e.message}\n${log.lines.slice(-20).join('\n')}`);
          throw e;
        });
      } finally {
        await rig.close();
      }
    } finally {
      bench.close();
    }
    // The far end's voice reached the "ALSA" sink too, not only the agent's copy.
    assert.ok(sinks.some((s) => s.totalSamples > 8000), 'the earpiece PCM went on to the playback device');
  } finally {
    for (const a of agents) await a.close();
    for (const b of boards) await b.close();
  }
});
