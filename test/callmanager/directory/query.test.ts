/** The directory request's query string (callmanager/directory/query.ts): form decoding and every refusal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NAME, parseDirectoryQuery } from '../../../callmanager/directory/query.js';

test('query: name and presence, form-encoded; other parameters ignored; the name trimmed', () => {
  assert.deepEqual(parseDirectoryQuery(''), { name: '', presence: false });
  assert.deepEqual(parseDirectoryQuery('?name=Bob+B&presence=1'), { name: 'Bob B', presence: true });
  assert.deepEqual(parseDirectoryQuery('name=%C3%BC%26&presence=0&locale=en&&x'), { name: 'ü&', presence: false });
  assert.deepEqual(parseDirectoryQuery('name=++a++'), { name: 'a', presence: false });
  assert.deepEqual(parseDirectoryQuery(`name=${'x'.repeat(MAX_NAME)}`), { name: 'x'.repeat(MAX_NAME), presence: false });
  assert.deepEqual(parseDirectoryQuery('name'), { name: '', presence: false }, 'a key without = is empty');
});

test('query: refusals name the parameter and the fault', () => {
  assert.match(parseDirectoryQuery('presence=true') as string, /"presence": expected 0 or 1, not "true"/);
  assert.match(parseDirectoryQuery('presence=1&presence=1') as string, /"presence" given twice/);
  assert.match(parseDirectoryQuery('name=%zz') as string, /"name": bad percent-encoding/);
  assert.match(parseDirectoryQuery('na%zzme=a') as string, /bad percent-encoding/);
  assert.match(parseDirectoryQuery(`name=${'é'.repeat(MAX_NAME + 1)}`) as string, /65 characters, at most 64/);
  assert.match(parseDirectoryQuery('name=a%7Fb') as string, /control characters/);
  assert.match(parseDirectoryQuery('name=a%00') as string, /control characters/);
});
