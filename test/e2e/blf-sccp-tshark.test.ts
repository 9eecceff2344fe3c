/**
 * The SCCP busy-lamp-field scenario on loopback, captured with tshark: the CM's speed-dial lamps
 * must decode as SetLamp (0x86) with stimulus 2 SpeedDial, Olga's speed dial 1, and the modes
 * Blink → On → Off as Pavel rings, talks and hangs up (docs/sccp.md §5 "Busy-lamp-field speed
 * dials"), with no malformed frame.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../src/scenario/schema.js';
import { buildEmulatedRig } from '../../src/scenario/emulated-rig.js';
import { runScenario } from '../../src/scenario/runner.js';
import { memoryLogger } from '../../src/node/logger.js';
import { requireCapture } from '../support/oracles.js';
import { startCapture, tshark } from '../support/capture.js';

const MALFORMED = '_ws.malformed || _ws.unreassembled || (tcp.len > 0 && _ws.expert.severity >= 6291456 && !tcp.analysis.flags)';

test('BLF on SCCP: tshark decodes SetLamp(SpeedDial, 1) Blink, On, Off', { timeout: 90_000 }, async (t) => {
  if (!requireCapture(t)) return;
  const scenario = loadScenario('test/scenarios/blf-sccp.yaml');
  const rig = await buildEmulatedRig(scenario, memoryLogger('warn'));
  const cmPort = rig.server.port;
  const cap = await startCapture(`tcp port ${cmPort}`);
  let captured = false;
  try {
    await runScenario(scenario, rig);
    await new Promise((r) => setTimeout(r, 300));
    await cap.stop();
    captured = true;
  } finally {
    if (!captured) await cap.stop();
    await rig.close();
  }
  const decodeAs = ['-d', `tcp.port==${cmPort},skinny`];
  const bad = tshark(['-r', cap.file, ...decodeAs, '-Y', MALFORMED]);
  assert.equal(bad.trim(), '', `tshark flagged frames:\n${bad}`);
  // One row per SetLamp with stimulus 2 (a frame may carry several PDUs: tshark joins each field with ',').
  const rows = tshark(['-r', cap.file, ...decodeAs, '-Y', 'skinny.messageId == 0x0086', '-T', 'fields',
    '-e', 'skinny.stimulus', '-e', 'skinny.stimulusInstance', '-e', 'skinny.lampMode']).trim().split('\n');
  const lamps: string[] = [];
  for (const row of rows) {
    const [st, inst, mode] = row.split('\t').map((c) => c.split(',').map(Number));
    st!.forEach((s, i) => { if (s === 2) lamps.push(`${inst![i]}:${mode![i]}`); });
  }
  // §4 lamp modes: 5 Blink, 2 On, 1 Off; only speed dial 1 (Pavel) changes during the call.
  assert.deepEqual(lamps, ['1:5', '1:2', '1:1'], `speed-dial SetLamps in the capture: ${lamps.join(' ')}`);
});
