/** Rig files (src/rig/rig-file.ts, docs/hil.md "Rig file"): defaults, tokens, and errors naming file, line and key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/config/yaml-config.js';
import { loadRigFile } from '../../../src/rig/rig-file.js';
import { TOKEN } from '../../support/rig.js';

const dir = mkdtempSync(join(tmpdir(), 'rig-file-'));
const write = (name: string, text: string): string => { const f = join(dir, name); writeFileSync(f, text); return f; };

test('a rig file: defaults, token from a file next to it, host lines parsed', () => {
  write('rig.token', `${TOKEN}\n`);
  const rig = loadRigFile(write('ok.yaml', [
    'version: 1', 'boards:', '  desk1:', '    agent: 192.0.2.21:7700', '    tokenFile: rig.token',
    '    wired: { keys: { "1": gpio4 }, hook: gpio22, lamps: { line1: { line: gpio23, activeLow: true } }, ringer: gpio26 }', '',
  ].join('\n')), {});
  assert.deepEqual(rig.callmanager, { host: '127.0.0.1', port: 2000, sscpPort: 5070 });
  assert.equal(rig.registerTimeout, 20_000);
  const b = rig.boards.desk1!;
  assert.equal(b.token, TOKEN);
  assert.deepEqual(b.wired, { chip: 'gpiochip0', keys: { 1: 4 }, hook: 22, lamps: { line1: { line: 23, activeLow: true } }, ringer: { line: 26, activeLow: false } });
});

test('a broken rig file names file, line and key: a bad address, a misspelt key, two tokens, a host line wired twice, a missing token variable', () => {
  const f = write('bad.yaml', [
    'version: 1',
    'boards:',
    '  desk1:',
    '    agent: 192.0.2.21:7700',
    `    token: ${TOKEN}`,
    '    tokenEnv: RIG_TOKEN',
    '    wired: { keys: { "1": gpio4, "2": gpio4 } }',
    '  desk2:',
    '    agent: nowhere',
    `    token: ${TOKEN}`,
    '    wried: {}',
    '',
  ].join('\n'));
  assert.throws(() => loadRigFile(f, {}), (e: ConfigError) => {
    assert.match(e.message, /bad\.yaml:9:\d+: boards\.desk2\.agent: expected HOST:PORT/);
    assert.match(e.message, /bad\.yaml:11:\d+: boards\.desk2\.wried: unknown key \(did you mean "wired"\?\)/);
    return true;
  });
  // The cross-checks run once the schema passes: the same board without desk2's mistakes.
  const f2 = write('bad2.yaml', ['version: 1', 'boards:', '  desk1:', '    agent: 192.0.2.21:7700', `    token: ${TOKEN}`, '    tokenEnv: RIG_TOKEN',
    '    wired: { keys: { "1": gpio4, "2": gpio4 } }', ''].join('\n'));
  assert.throws(() => loadRigFile(f2, {}), (e: ConfigError) => {
    assert.match(e.message, /bad2\.yaml:3:\d+: boards\.desk1: give exactly one of token, tokenFile, tokenEnv/);
    assert.match(e.message, /bad2\.yaml:7:\d+: boards\.desk1\.wired\.keys\.2: host line gpio4 is already wired to key 1/);
    return true;
  });
  const f3 = write('env.yaml', ['version: 1', 'boards:', '  d:', '    agent: 127.0.0.1:7700', '    tokenEnv: RIG_TOKEN', ''].join('\n'));
  assert.throws(() => loadRigFile(f3, {}), /boards\.d\.tokenEnv: the environment variable RIG_TOKEN is not set/);
  assert.equal(loadRigFile(f3, { RIG_TOKEN: TOKEN }).boards.d!.token, TOKEN);
});
