/**
 * `npm run fuzz` in small (docs/security.md §9): 10^4 inputs into every decoder and message
 * handler target, seeded from the encoders and the kept corpus (test/fixtures/fuzz). No input may
 * crash a target, and the corpus' known-bad inputs (defect 9's ButtonTemplate) are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGETS } from '../../scripts/fuzz-targets.js';
import { fuzz, loadCorpus } from '../../scripts/fuzz-run.js';
import { decodeMessage } from '../../firmware/sccp/codec.js';
import { StationTemplates, TemplateRangeError } from '../../firmware/sccp/station-templates.js';

for (const t of TARGETS) {
  test(`fuzz ${t.name}: 10^4 random and mutated inputs, no crash, bounded heap`, () => {
    const rep = fuzz(t, 10_000, { seed: 0x5eed, corpus: loadCorpus(t.name) });
    assert.deepEqual(rep.crashes.map((c) => c.error.split('\n')[0]), [], `${t.name} crashed`);
    assert.ok(rep.heapAfterMb - rep.heapBeforeMb < 64, `heap ${rep.heapBeforeMb.toFixed(1)} → ${rep.heapAfterMb.toFixed(1)} MB`);
  });
}

test('corpus: defect 9 ButtonTemplate (buttonOffset 0xfffffffe) is refused by the station handler', () => {
  const pdu = loadCorpus('station-sccp-handlers')[0];
  assert.ok(pdu, 'the corpus holds the defect 9 input');
  const m = decodeMessage(pdu!);
  assert.equal(m.name, 'ButtonTemplate');
  if (m.name !== 'ButtonTemplate') return;
  assert.equal(m.fields.buttonOffset, 0xfffffffe);
  const t = new StationTemplates();
  assert.throws(() => t.applyButtonTemplate(m.fields), TemplateRangeError);
  assert.deepEqual(t.lines, [], 'no phantom line');
});
