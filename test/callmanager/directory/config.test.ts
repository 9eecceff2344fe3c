/** The `directory:` section of the CM config (callmanager/directory/config.ts) and its start with the CM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { parseCallManagerConfig } from '../../../callmanager/config.js';
import { startCallManager } from '../../../callmanager/start.js';

const BASE = 'lines: [{ number: "500", name: Ann }]\ndevices: [{ name: SEP000000000500, lines: ["500"] }]\n';

test('directory config: absent = no server; http defaults port 8080, title Directory, bind from server.bind', () => {
  assert.equal(parseCallManagerConfig(BASE).directory.http, undefined);
  assert.deepEqual(parseCallManagerConfig(`${BASE}directory: { http: {} }\n`).directory.http, { port: 8080, title: 'Directory', permit: [], deny: [] });
  const c = parseCallManagerConfig(`${BASE}directory: { http: { bind: 127.0.0.1, port: 0, title: Office, deny: [0.0.0.0/0], permit: [10.1.0.0/16] } }\n`);
  assert.deepEqual(c.directory.http, { bind: '127.0.0.1', port: 0, title: 'Office', deny: ['0.0.0.0/0'], permit: ['10.1.0.0/16'] });
});

test('directory config: mistakes name the key', () => {
  assert.throws(() => parseCallManagerConfig(`${BASE}directory: { http: { port: 70000 } }\n`, 'cm.yaml'), /directory\.http\.port/);
  assert.throws(() => parseCallManagerConfig(`${BASE}directory: { http: { title: "${'x'.repeat(33)}" } }\n`, 'cm.yaml'), /directory\.http\.title/);
  assert.throws(() => parseCallManagerConfig(`${BASE}directory: { htp: {} }\n`, 'cm.yaml'), /did you mean "http"/);
  assert.throws(() => parseCallManagerConfig(`${BASE}directory: { http: { permit: [10.0.0.0/99] } }\n`, 'cm.yaml'), /directory\.http\.permit\[0\].*prefix length/);
});

test('directory: started with the CM on its listen address, closed with it; a taken port fails the start with a hint', async () => {
  const clock = new VirtualClock();
  const cm = await startCallManager({ config: parseCallManagerConfig(`${BASE}directory: { http: { port: 0 } }\n`), host: '127.0.0.1', port: 0, clock });
  try {
    assert.equal(cm.directory?.address, '127.0.0.1');
    const r = await fetch(`${cm.directory!.url}?name=ann`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<Name>Ann<\/Name><Telephone>500<\/Telephone>/);
    await assert.rejects(startCallManager({ config: parseCallManagerConfig(`${BASE}directory: { http: { port: ${cm.directory!.port} } }\n`), host: '127.0.0.1', port: 0, clock }),
      /directory HTTP server on 127\.0\.0\.1:\d+: .*EADDRINUSE.*hint: change directory\.http\.port/);
  } finally { await cm.close(); }
  await assert.rejects(fetch(cm.directory!.url), 'closed with the CM');
  assert.equal((await startCallManager({ config: parseCallManagerConfig(BASE), host: '127.0.0.1', port: 0, clock }).then(async (c) => { await c.close(); return c.directory; })), undefined);
});
