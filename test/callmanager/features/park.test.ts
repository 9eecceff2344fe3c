/** Group call park (callmanager/features/park.ts, docs/features.md §2) on fake sinks and a virtual clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CAROL, DANA, DAVE, EVE, connect, digits, settle, setup } from '../../support/park-core.js';

test('Park: the far party goes to the first free slot of the parker\'s group, hears music; the parker is idle', async () => {
  const { core, s, moh } = setup();
  connect(core, ALICE, '101', BOB);
  assert.equal(core.legState(BOB), 'connected');
  core.softkey(ALICE, 'park');
  assert.equal(core.legState(ALICE), 'idle');
  assert.deepEqual(s[ALICE]!.last('notify'), { t: 'notify', text: 'Call park at 701', timeoutS: 5 });
  assert.equal(core.legState(BOB), 'parked');
  assert.equal(core.features.park.slotOf(BOB), '701');
  assert.ok(s[BOB]!.hasText('prompt', 'Call parked'));
  const orc = s[BOB]!.last('openReceive')!;
  core.mediaReady(BOB, orc.passThru, 0, '127.0.0.1', 4000);
  await settle();
  // the same music on hold as a held party's (hold-music.ts): sent from the CM's address towards this phone
  assert.deepEqual(moh.started, [{ id: 1, codec: 'ulaw', ptimeMs: 20, remote: { ip: '127.0.0.1', port: 4000 }, bindAddress: '127.0.0.1' }]);
  const sm = s[BOB]!.last('startMedia')!;
  assert.deepEqual([sm.passThru, sm.ip, sm.port], [orc.passThru, '127.0.0.1', 30001], 'the phone plays what the music socket sends');

  // a second call of the group takes the next slot; an SSCP phone's call parks the same way
  connect(core, CAROL, '200', DANA);
  core.softkey(CAROL, 'park');
  assert.equal(core.features.park.slotOf(DANA), '702');
  assert.equal(s[CAROL]!.last('notify')?.text, 'Call park at 702');
});

test('retrieval: a phone of the group dials the slot and talks to the parked party; music stops, the slot is free again', async () => {
  const { core, s, moh } = setup();
  connect(core, ALICE, '101', BOB);
  core.softkey(ALICE, 'park');
  core.mediaReady(BOB, s[BOB]!.last('openReceive')!.passThru, 0, '127.0.0.1', 4000);
  await settle();
  s[BOB]!.cmds = [];
  core.offHook(CAROL); digits(core, CAROL, '701');
  assert.equal(core.legState(CAROL), 'connected');
  assert.equal(core.legState(BOB), 'connected');
  assert.deepEqual(moh.stopped, [1]);
  assert.equal(core.features.park.slotOf(BOB), undefined);
  const kinds = s[BOB]!.cmds.map((c) => c.t);
  assert.ok(kinds.indexOf('closeReceive') >= 0 && kinds.indexOf('closeReceive') < kinds.lastIndexOf('openReceive'), 'the music channel closes before the call\'s opens');
  assert.ok(kinds.includes('stopMedia'), 'and its transmission to the music stops');
  const info = s[CAROL]!.last('callInfo')!;
  assert.deepEqual([info.calling, info.called], ['102', '101']);
  // the media of the new call goes phone to phone
  core.mediaReady(CAROL, s[CAROL]!.last('openReceive')!.passThru, 0, '127.0.0.1', 5000);
  core.mediaReady(BOB, s[BOB]!.last('openReceive')!.passThru, 0, '127.0.0.1', 4002);
  assert.deepEqual([s[CAROL]!.last('startMedia')?.port, s[BOB]!.last('startMedia')?.port], [4002, 5000]);
  // the slot takes the next park again
  core.softkey(CAROL, 'park');
  assert.equal(core.features.park.slotOf(BOB), '701');
});

test('reversion: unanswered for park.timeout (60 s), the call rings back the parker, who talks to the parked party on answer', async () => {
  const { clock, core, s } = setup();
  connect(core, ALICE, '101', BOB);
  core.softkey(ALICE, 'park');
  await clock.advance(59_900);
  assert.equal(core.legState(ALICE), 'idle');
  await clock.advance(200);
  assert.equal(core.legState(ALICE), 'ringin');
  assert.ok(s[ALICE]!.hasText('prompt', 'Park reversion 101'));
  assert.equal(s[ALICE]!.last('callInfo')?.calling, '101');
  core.offHook(ALICE);
  assert.equal(core.legState(ALICE), 'connected');
  assert.equal(core.legState(BOB), 'connected');
  assert.equal(core.features.park.slotOf(BOB), undefined);
});

test('reversion uses the group\'s own timeout; a refused reversion rings again after another timeout', async () => {
  const { clock, core } = setup();
  connect(core, DAVE, '104', EVE);
  core.softkey(DAVE, 'park');
  assert.equal(core.features.park.slotOf(EVE), '711');
  await clock.advance(2_900);
  assert.equal(core.legState(DAVE), 'idle');
  await clock.advance(200);
  assert.equal(core.legState(DAVE), 'ringin');
  core.softkey(DAVE, 'endCall');
  assert.equal(core.legState(DAVE), 'idle');
  assert.equal(core.legState(EVE), 'parked', 'the call stays parked');
  await clock.advance(3_100);
  assert.equal(core.legState(DAVE), 'ringin');
});

test('no free slot: a notice, the call stays; slots of another group and empty slots give reorder', () => {
  const { core, s } = setup();
  connect(core, DAVE, '104', EVE);
  core.softkey(DAVE, 'park'); // 711, the group's only slot
  connect(core, DAVE, '100', ALICE);
  core.softkey(DAVE, 'park');
  assert.equal(s[DAVE]!.last('notify')?.text, 'No park slot free');
  assert.equal(core.legState(DAVE), 'connected');
  assert.equal(core.legState(ALICE), 'connected');
  core.onHook(DAVE); core.onHook(ALICE);

  core.offHook(ALICE); digits(core, ALICE, '711');
  assert.equal(core.legState(ALICE), 'reorder');
  assert.ok(s[ALICE]!.hasText('prompt', 'Not your park group'));
  assert.equal(core.legState(EVE), 'parked');
  core.onHook(ALICE);
  core.offHook(ALICE); digits(core, ALICE, '702');
  assert.ok(s[ALICE]!.hasText('prompt', 'Nothing parked at 702'));
});

test('a parked party that hangs up frees its slot and its music; Park on a phone without a group or a call is refused', async () => {
  const { clock, core, s, moh } = setup((y) => y.replace('lines: ["100", "101", "102", "200", "201"]', 'lines: ["101", "102", "200", "201"]'));
  connect(core, BOB, '102', CAROL);
  core.softkey(BOB, 'park');
  core.mediaReady(CAROL, s[CAROL]!.last('openReceive')!.passThru, 0, '127.0.0.1', 4000);
  await settle();
  core.onHook(CAROL);
  assert.equal(core.legState(CAROL), 'idle');
  assert.deepEqual(moh.stopped, [1]);
  assert.equal(core.features.park.slotOf(CAROL), undefined);
  await clock.advance(61_000);
  assert.equal(core.legState(BOB), 'idle', 'no reversion for a call that ended');

  connect(core, ALICE, '101', BOB);
  core.softkey(ALICE, 'park');
  assert.equal(s[ALICE]!.last('notify')?.text, 'No park group');
  core.softkey(CAROL, 'park');
  assert.equal(s[CAROL]!.last('notify')?.text, 'Not available');
});

test('a BLF speed dial to a park slot is lit while a call waits there (a park-slot key)', async () => {
  const { core, s } = setup((y) => y.replace('- { name: SEP000000000102, type: 7960, lines: ["102"] }',
    '- { name: SEP000000000102, type: 7960, lines: ["102"], speeddials: [{ number: "701", label: "Park 1", blf: true }] }'));
  const carol = s[CAROL]!;
  await settle();
  const slotLamps = () => carol.take().filter((c) => c.t === 'lamp' && c.target === 'speeddial').map((c) => (c.t === 'lamp' ? c.mode : ''));
  carol.clear();
  connect(core, ALICE, '101', BOB);
  core.softkey(ALICE, 'park');
  await settle();
  assert.equal(core.presenceOf('701'), 'talking');
  assert.deepEqual(slotLamps(), ['on'], 'parked at 701: the key lights');
  core.offHook(CAROL); digits(core, CAROL, '701');
  await settle();
  assert.equal(core.presenceOf('701'), 'idle');
  assert.deepEqual(slotLamps(), ['off'], 'retrieved: dark again');
});
