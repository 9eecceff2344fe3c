/**
 * Busy-lamp-field speed dials (callmanager/features/blf.ts): a speed dial's lamp follows the
 * presence of the line it dials — ringing blink, talking on, idle off, DND wink, unregistered off —
 * sent to every registered watcher and, at registration, the current state; only speed dials with
 * `blf: true` to a line of this CM get a lamp.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLF_LAMP } from '../../../callmanager/features/blf.js';
import type { CallManagerConfig } from '../../../callmanager/config.js';
import { ALICE, BOB, CAROL, DANA, digits, office, officeConfig, settle, Sink } from '../../support/office-core.js';

/** office.yaml with BLF speed dials: Alice → Bob 101, an outside number, Carol 102 (a plain speed dial), Dana 103; Erik → Bob. */
function blfConfig(): CallManagerConfig {
  const cfg = officeConfig();
  const dev = (name: string) => cfg.devices.find((d) => d.name === name)!;
  dev(ALICE).speeddials = [{ number: '101', label: 'Bob', blf: true }, { number: '5551234', label: 'Outside', blf: true },
    { number: '102', label: 'Carol' }, { number: '103', label: 'Dana', blf: true }];
  dev('SEP000000000104').speeddials = [{ number: '101', label: 'Bob', blf: true }];
  return cfg;
}

/** Speed-dial lamps a sink got, as "instance:mode", and forget everything it got. */
const sdLamps = (s: Sink): string[] => s.take().filter((c) => c.t === 'lamp' && c.target === 'speeddial')
  .map((c) => (c.t === 'lamp' ? `${c.instance}:${c.mode}` : ''));

test('mode mapping: idle off, ringing blink, talking on, dnd wink, unregistered off', () => {
  assert.deepEqual(BLF_LAMP, { idle: 'off', ringing: 'blink', talking: 'on', dnd: 'wink', unregistered: 'off', unknown: 'off' });
});

test('BLF lamps follow the watched line: ringing → talking → idle, on every watcher', async () => {
  const { core, s } = office({ config: blfConfig() });
  await settle();
  s[ALICE].clear(); s['SEP000000000104'].clear();
  core.offHook(CAROL);
  digits(core, CAROL, '101');
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:blink'], 'Bob rings: Alice speed dial 1 blinks');
  assert.deepEqual(sdLamps(s['SEP000000000104']), ['1:blink'], 'Erik watches Bob too');
  core.offHook(BOB);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:on'], 'Bob talks');
  core.onHook(CAROL);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:off'], 'Carol hung up: Bob is idle again');
  assert.deepEqual(sdLamps(s[CAROL]), [], 'Carol watches nobody');
});

test('BLF: DND winks, unregistered is off, registering again is off (idle)', async () => {
  const { core, s } = office({ config: blfConfig() });
  await settle();
  s[ALICE].clear();
  core.softkey(BOB, 'dnd', 0);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:wink']);
  core.softkey(BOB, 'dnd', 0);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:off']);
  core.softkey(DANA, 'dnd', 0);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['4:wink'], 'Dana (an SSCP phone) is speed dial 4');
  core.detach(DANA);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['4:off'], 'Dana unregistered');
});

test('BLF: at registration a watcher gets the state of each of its BLF speed dials, and only those', async () => {
  const { core, s } = office({ config: blfConfig() });
  await settle();
  core.softkey(DANA, 'dnd', 0);
  core.offHook(CAROL);
  digits(core, CAROL, '101');
  await settle();
  s[ALICE].clear();
  const again = new Sink();
  core.attach(ALICE, again);
  assert.deepEqual(sdLamps(again), [], 'sent once the registration burst is over, not inside attach');
  await settle();
  // 2 (an outside number) and 3 (a plain speed dial) are not BLF keys.
  assert.deepEqual(sdLamps(again), ['1:blink', '4:wink']);
  assert.deepEqual(sdLamps(s[ALICE]), [], 'the old session gets nothing more');
});

test('BLF: a plain speed dial, or one to a number of no line here, never gets a lamp', async () => {
  const { core, s } = office({ config: blfConfig() });
  await settle();
  s[ALICE].clear();
  core.offHook(BOB);
  digits(core, BOB, '102');
  await settle();
  core.offHook(CAROL);
  await settle();
  core.onHook(CAROL);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), ['1:on', '1:off'], 'only Bob (speed dial 1) is shown; Carol (3, plain) is not');
});

test('BLF: a device that is not registered is sent nothing; devices without speed dials get no speed-dial lamps', async () => {
  const { core, s } = office({ config: blfConfig() });
  await settle();
  core.detach(ALICE);
  s[ALICE].clear();
  core.offHook(BOB);
  await settle();
  assert.deepEqual(sdLamps(s[ALICE]), []);
  assert.deepEqual(sdLamps(s[CAROL]), []);
});
