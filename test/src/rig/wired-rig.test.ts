/**
 * The wired rig against two emulated boards whose GPIO lines are joined by emulated wires
 * (src/rig/emulated-wiring.ts): a Pi Zero 2 W board (alice) and a Pi 4 board (bob), each wired
 * to a test host GPIO chip as test/fixtures/rig/wired-pi4-host.yaml (docs/hil.md) says. The keys
 * and the hook are pressed only by the host's output lines, lamps and ringer read only from its
 * input lines; screens and earpieces come through the agents over TCP. basic-call must pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock } from '../../../hal/bindings/system-clock.js';
import { EmulatedGpioController } from '../../../hal/emul/gpio.js';
import { memoryLogger } from '../../../src/node/logger.js';
import { emulatedBoardUnderTest } from '../../../src/rig/board-under-test.js';
import { startRigAgent, type RigAgent } from '../../../src/rig/agent.js';
import { EmulatedWiring } from '../../../src/rig/emulated-wiring.js';
import { loadRigFile } from '../../../src/rig/rig-file.js';
import { buildAgentRig, connectBench } from '../../../src/rig/agent-rig.js';
import { WiredPhone } from '../../../src/rig/wired.js';
import { loadScenario } from '../../../src/scenario/schema.js';
import { runScenario, ScenarioFailure } from '../../../src/scenario/runner.js';
import { freeTcpPort, freeUdpPort, TOKEN } from '../../support/rig.js';

const DUTS = [
  { board: 'zero', chip: 'gpiochip0', file: 'board-configs/pi-zero2w-ssd1306-mcp23017.yaml', device: 'SEP000000000100', tone: 1000 },
  { board: 'pi4', chip: 'gpiochip1', file: 'board-configs/pi4-hd44780-matrix.yaml', device: 'SEP000000000101', tone: 1500 },
];

test('wired rig: basic-call passes with keys, hook, lamps and ringer on emulated wires', { timeout: 90_000 }, async () => {
  const clock = new SystemClock();
  const log = memoryLogger('info');
  const rig = loadRigFile('test/fixtures/rig/wired-pi4-host.yaml', { DESKPHONE_RIG_TOKEN: TOKEN });
  rig.callmanager.port = await freeTcpPort();
  rig.callmanager.sscpPort = await freeUdpPort();
  const hosts = new Map<string, EmulatedGpioController>();
  const agents: RigAgent[] = [];
  /** Level changes of some host output lines, to show the steps went over the wires. */
  const edges = new Map<string, number[]>();
  const closers: (() => Promise<void> | void)[] = [];
  try {
    for (const d of DUTS) {
      const host = new EmulatedGpioController({ clock, label: d.chip, lineCount: 28 });
      hosts.set(d.chip, host);
      for (const [what, line] of [['hook', 22], ['1', 4], ['0', 16]] as const) {
        host.onOutput(line, (level) => { const k = `${d.board} ${what}`; const seen = edges.get(k) ?? []; if (seen.at(-1) !== level) seen.push(level); edges.set(k, seen); });
      }
      const wiring = new EmulatedWiring(host, rig.boards[d.board]!.wired!);
      closers.push(() => wiring.close());
      const board = await emulatedBoardUnderTest({
        boardFile: d.file, deviceName: d.device, servers: [{ host: '127.0.0.1', port: rig.callmanager.port }], micFrequency: d.tone,
        clock, log, onPhone: (p) => wiring.attach(p),
      });
      closers.push(() => board.close());
      const agent = await startRigAgent({ board, host: '127.0.0.1', port: 0, token: TOKEN, clock, log });
      agents.push(agent);
      rig.boards[d.board]!.agent = `127.0.0.1:${agent.port}`;
    }
    const bench = await connectBench(rig);
    closers.push(() => bench.close());
    const scenario = loadScenario('test/scenarios/basic-call.yaml');
    const sr = await buildAgentRig(scenario, bench, { log, hostGpio: async (chip) => hosts.get(chip)! });
    try {
      // Both phones are wired: every key, the hook, the lamps and the ringer go through host lines.
      for (const p of sr.phones.values()) assert.ok(p instanceof WiredPhone, `${p.name} is wired`);
      const results = await runScenario(scenario, sr).catch((e: unknown) => {
        if (e instanceof ScenarioFailure) assert.fail(`${e.message}\n--- log ---\n${log.lines.slice(-30).join('\n')}`);
        throw e;
      });
      assert.equal(results.length, scenario.steps.length);
      assert.ok(results.every((r) => r.ok));
    } finally {
      await sr.close();
    }
    // The wires carried it: alice's hook line went up and down, her "1" and "0" switches closed
    // (she dialled 101), and bob's hook line moved; bob never pressed a key.
    assert.deepEqual(edges.get('zero hook'), [0, 1, 0]);
    assert.deepEqual(edges.get('zero 1'), [0, 1, 0, 1, 0]);
    assert.deepEqual(edges.get('zero 0'), [0, 1, 0]);
    assert.deepEqual(edges.get('pi4 hook'), [0, 1, 0]);
    assert.deepEqual(edges.get('pi4 1'), [0]);
  } finally {
    for (const a of agents) await a.close();
    for (const c of closers.reverse()) await c();
  }
});
