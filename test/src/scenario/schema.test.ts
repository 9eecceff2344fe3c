/** Scenario files: `hears: music` is accepted, a misspelt one and a phone called "music" are errors with file:line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../../src/scenario/schema.js';
import { tempDir } from '../../support/oracles.js';

const file = (body: string): string => { const f = join(tempDir('schema'), 's.yaml'); writeFileSync(f, body); return f; };
const HEAD = 'name: t\ncallmanager: { embedded: x.yaml }\n';

test('hears / hearsNot: music is music on hold; an unknown name is an error naming the key; no phone may be called music', () => {
  const ok = loadScenario(file(`${HEAD}phones:\n  alice: { device: SEP000000000100, tone: 1000 }\nsteps:\n  - expect: { phone: alice, hears: music }\n  - expect: { phone: alice, hearsNot: music }\n`));
  assert.equal(ok.steps.length, 2);
  assert.throws(() => loadScenario(file(`${HEAD}phones:\n  alice: { device: SEP000000000100, tone: 1000 }\nsteps:\n  - expect: { phone: alice, hears: alice }\n  - expect: { phone: alice, hearsNot: musik }\n`)),
    /s\.yaml:7:\d+: steps\[1\]\.expect\.hearsNot: unknown phone "musik" \(or "music" for music on hold\)/);
  assert.throws(() => loadScenario(file(`${HEAD}phones:\n  music: { device: SEP000000000100, tone: 1000 }\nsteps:\n  - lift: music\n`)),
    /phones\.music: "music" means music on hold/);
});
