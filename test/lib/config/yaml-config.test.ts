import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { YamlSource, loadConfig, ConfigError, suggest } from '../../../lib/config/yaml-config.js';

const schema = z.strictObject({
  display: z.strictObject({ address: z.number().int().min(0).max(0x7f), cols: z.number() }),
  lines: z.array(z.strictObject({ number: z.string() })),
});

test('unknown key names file, line, key path and a suggestion', () => {
  const src = new YamlSource('b.yaml', 'display:\n  adress: 39\n  cols: 20\nlines: []\n');
  assert.throws(() => loadConfig(src, schema), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    const msg = e.message;
    assert.match(msg, /^b\.yaml:2:3: display\.adress: unknown key \(did you mean "address"\?\)/m);
    assert.match(msg, /^b\.yaml:1:1: display\.address: missing: a number$/m);
    return true;
  });
});

test('wrong type inside an array points at the element', () => {
  const src = new YamlSource('c.yaml', 'display: {address: 39, cols: 20}\nlines:\n  - number: "100"\n  - number: 101\n');
  assert.throws(() => loadConfig(src, schema), /c\.yaml:4:5: lines\[1\]\.number: expected text, not the number 101/);
});

test('YAML syntax errors carry the line', () => {
  const src = new YamlSource('d.yaml', 'display:\n  address: [1, 2\n');
  assert.throws(() => loadConfig(src, schema), /d\.yaml:\d+:\d+: YAML syntax error/);
});

test('valid config loads, cross-check problems are reported', () => {
  const src = new YamlSource('e.yaml', 'display: {address: 39, cols: 20}\nlines: [{number: "1"}, {number: "1"}]\n');
  assert.deepEqual(loadConfig(src, schema).display, { address: 39, cols: 20 });
  assert.throws(() => loadConfig(src, schema, { crossCheck: (v, s) =>
    v.lines[1]?.number === v.lines[0]?.number ? [s.problem(['lines', 1, 'number'], 'duplicate line number "1"')] : [] }),
  /e\.yaml:2:25: lines\[1\]\.number: duplicate line number "1"/);
});

test('suggest only offers close words', () => {
  assert.equal(suggest('adress', ['address', 'cols']), 'address');
  assert.equal(suggest('zzzz', ['address', 'cols']), undefined);
});
