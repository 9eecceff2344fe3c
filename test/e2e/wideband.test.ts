/** The call manager's codec allow list decides the stream codec: G.722 end to end when preferred. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../src/scenario/schema.js';
import { buildEmulatedRig } from '../../src/scenario/emulated-rig.js';
import { runScenario } from '../../src/scenario/runner.js';
import { memoryLogger } from '../../src/node/logger.js';
import { pickCodec } from '../../callmanager/codec-choice.js';

test('pickCodec follows the allow list order among codecs both phones advertise', () => {
  assert.equal(pickCodec(['G722', 'PCMU', 'PCMA'], ['PCMU', 'G722'], ['g722', 'ulaw']), 'G722');
  assert.equal(pickCodec(['G722', 'PCMU', 'PCMA'], ['PCMU', 'G722'], ['ulaw', 'g722']), 'PCMU');
  assert.equal(pickCodec(['G722', 'PCMA'], ['PCMA'], ['g722', 'ulaw', 'alaw']), 'PCMA');
  assert.equal(pickCodec([], ['G722']), 'PCMU'); // no capabilities seen yet: G.711 is universal
});

for (const [config, codec] of [['wideband-g722.yaml', 'G722/20'], ['basic-call.yaml', 'PCMU/20']] as const) {
  test(`${config}: both directions run ${codec}`, { timeout: 60_000 }, async () => {
    const s = loadScenario(`test/scenarios/${config}`);
    const rig = await buildEmulatedRig(s, memoryLogger('warn'));
    try {
      const upTo = s.steps.findIndex((st) => 'expect' in st && st.expect.hears !== undefined);
      await runScenario({ ...s, steps: s.steps.slice(0, upTo + 1) }, rig);
      for (const p of rig.phones.values()) {
        const [id] = p.media.activeStreams();
        assert.ok(id !== undefined, `${p.name} has a stream`);
        assert.equal(p.media.stats(id!)?.rxCodec, codec, `${p.name} receives ${codec}`);
      }
    } finally { await rig.close(); }
  });
}
