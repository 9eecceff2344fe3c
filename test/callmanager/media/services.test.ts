/**
 * Config schema for the CM's media services (conference, moh, meetme) and createMediaServices:
 * defaults, errors at the key, meet-me rooms shared per number, the limit taken from the config.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { wavFile } from '../../../firmware/media/wav.js';
import { parseCallManagerConfig } from '../../../callmanager/config.js';
import { ConferenceFullError } from '../../../callmanager/media/conference.js';
import { createMediaServices } from '../../../callmanager/media/services.js';
import { tempDir } from '../../support/oracles.js';

const BASE = `server: { bind: 127.0.0.1 }
lines:
  - { number: "100", name: Alice }
devices:
  - name: SEP000000000100
    lines: ["100"]
`;

test('config: conference, moh and meetme have defaults and are checked', () => {
  const c = parseCallManagerConfig(BASE, 'cm.yaml');
  assert.deepEqual(c.conference, { maxParticipants: 6 });
  assert.deepEqual(c.moh, { enabled: true });
  assert.equal(parseCallManagerConfig(`${BASE}moh: { enabled: false }\n`, 'cm.yaml').moh.enabled, false);
  assert.throws(() => parseCallManagerConfig(`${BASE}moh: { enabled: 1 }\n`, 'cm.yaml'), /moh\.enabled/);
  assert.deepEqual(c.meetme, []);
  const d = parseCallManagerConfig(`${BASE}conference: { maxParticipants: 4 }\nmoh: { file: music/hold.wav }\nmeetme:\n  - { number: "800", name: Team }\n  - { number: "801", maxParticipants: 10 }\n`, 'cm.yaml');
  assert.equal(d.conference.maxParticipants, 4);
  assert.equal(d.moh.file, 'music/hold.wav');
  assert.deepEqual(d.meetme.map((m) => m.number), ['800', '801']);
  assert.throws(() => parseCallManagerConfig(`${BASE}meetme:\n  - { number: "100" }\n`, 'cm.yaml'),
    (e: Error) => /cm\.yaml:\d+:\d+/.test(e.message) && /meet-me number "100" is already used by lines\[0\]/.test(e.message));
  assert.throws(() => parseCallManagerConfig(`${BASE}meetme:\n  - { number: "800" }\n  - { number: "800" }\n`, 'cm.yaml'), /already used by meetme\[0\]/);
  assert.throws(() => parseCallManagerConfig(`${BASE}meetme:\n  - { number: "*97" }\n`, 'cm.yaml'), /already used by voicemail\.number/);
  assert.throws(() => parseCallManagerConfig(`${BASE}conference: { maxParticipants: 2 }\n`, 'cm.yaml'), /conference\.maxParticipants/);
  assert.throws(() => parseCallManagerConfig(`${BASE}conference: { max: 5 }\n`, 'cm.yaml'), /max/);
});

test('createMediaServices: meet-me rooms are shared per number, limits from the config, moh.file relative to baseDir', async () => {
  const dir = tempDir('services');
  const tone = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  writeFileSync(join(dir, 'hold.wav'), wavFile(tone, 8000));
  const cfg = parseCallManagerConfig(`${BASE}conference: { maxParticipants: 3 }\nmoh: { file: hold.wav }\nmeetme:\n  - { number: "800" }\n  - { number: "801", maxParticipants: 2 }\n`, 'cm.yaml');
  const svc = createMediaServices(cfg, new VirtualClock(), { baseDir: dir });
  try {
    assert.equal(svc.moh.music.name, join(dir, 'hold.wav'));
    assert.deepEqual(svc.moh.music.pcm8, tone);
    assert.equal(svc.moh.music.pcm16.length, 16000);
    assert.ok(svc.isMeetme('800') && !svc.isMeetme('100'));
    assert.equal(svc.meetme('100'), undefined);
    const room = svc.meetme('800')!;
    assert.equal(svc.meetme('800'), room, 'one bridge per meet-me number');
    assert.equal(room.maxParticipants, 3);
    assert.equal(svc.meetme('801')!.maxParticipants, 2);
    const adhoc = svc.conference();
    assert.notEqual(adhoc, room);
    for (let i = 0; i < 3; i++) await adhoc.addParticipant({ codec: 'ulaw' });
    await assert.rejects(adhoc.addParticipant({ codec: 'ulaw' }), ConferenceFullError);
    const info = await room.addParticipant({ codec: 'g722', remote: { ip: '127.0.0.1', port: 50000 } });
    assert.equal(info.localAddress, '127.0.0.1');
    await room.close(); // the call core closes a room when it empties
    const fresh = svc.meetme('800')!;
    assert.notEqual(fresh, room, 'a closed room is made afresh');
    assert.equal((await fresh.addParticipant({ codec: 'ulaw' })).localAddress, '127.0.0.1');
  } finally { await svc.close(); }
  const missing = parseCallManagerConfig(`${BASE}moh: { file: nowhere.wav }\n`, 'cm.yaml');
  assert.throws(() => createMediaServices(missing, new VirtualClock(), { baseDir: dir }), /cannot read music file .*nowhere\.wav/);
});
