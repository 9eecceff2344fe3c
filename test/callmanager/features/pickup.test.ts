/** Call pickup and group pickup (callmanager/features/pickup.ts, docs/features.md §2 "Call pickup"). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALICE, BOB, CAROL, DANA, ERIK, digits, office } from '../../support/office-core.js';

test('PickUp off hook: the oldest call ringing in the own group is answered by the picker; the picked phone idles and is told', () => {
  const { core, s } = office();
  core.offHook(ERIK); digits(core, ERIK, '101'); // rings Bob first
  core.offHook(DANA); digits(core, DANA, '102'); // then Carol
  assert.equal(core.legState(BOB), 'ringin');
  core.offHook(ALICE);
  s[ALICE].take();
  core.softkey(ALICE, 'pickUp', 1);
  assert.equal(core.legState(BOB), 'idle', 'the older ringing call (Bob) was taken');
  assert.ok(s[BOB].notices().includes('Picked up by 100'));
  assert.equal(core.legState(CAROL), 'ringin', 'the younger one still rings');
  assert.equal(core.legState(ALICE), 'connected');
  assert.equal(core.legState(ERIK), 'connected');
  const info = s[ERIK].last('callInfo')!;
  assert.deepEqual([info.called, info.calledName], ['100', 'Alice'], "the caller's CallInfo names the picker");
  assert.ok(s[ALICE].cmds.some((c) => c.t === 'stopTone'), "the picker's dial tone stops");
  assert.equal(core.currentCall(ALICE)?.callId, core.currentCall(ERIK)?.callId, 'one call id for both parties');
  core.onHook(ERIK);
  assert.equal(core.legState(ALICE), 'ended');
});

test('PickUp on hook goes to the speaker, put back off when the call ends', () => {
  const { core, s } = office();
  core.offHook(ERIK); digits(core, ERIK, '102');
  core.softkey(BOB, 'pickUp', 1);
  assert.deepEqual(s[BOB].cmds.find((c) => c.t === 'speaker'), { t: 'speaker', on: true });
  assert.equal(core.legState(BOB), 'connected');
  core.onHook(ERIK);
  assert.equal(core.legState(BOB), 'ended');
  core.onHook(BOB); // the phone on the speaker goes idle by itself (docs/features.md §2)
  assert.deepEqual(s[BOB].last('speaker'), { t: 'speaker', on: false });
  assert.equal(core.legState(BOB), 'idle');
});

test('PickUp finds nothing: ringing only in another group, or on the own phone → "No call to pick up"; busy phones may not pick up', () => {
  const { core, s } = office();
  core.softkey(ALICE, 'pickUp', 1);
  assert.equal(s[ALICE].last('notify')?.text, 'No call to pick up');
  assert.equal(core.legState(ALICE), 'idle');
  core.offHook(BOB); digits(core, BOB, '104'); // Erik is in group 51
  core.softkey(ALICE, 'pickUp', 1);
  assert.equal(s[ALICE].last('notify')?.text, 'No call to pick up');
  assert.equal(core.legState(ERIK), 'ringin');
  core.softkey(ERIK, 'pickUp', 1);
  assert.equal(s[ERIK].last('notify')?.text, 'Not available', 'a ringing phone answers, it does not pick up');
  core.offHook(CAROL); digits(core, CAROL, '10');
  core.softkey(CAROL, 'pickUp', 1);
  assert.equal(s[CAROL].last('notify')?.text, 'Not available', 'digits dialled: not a pickup');
});

test('GPickUp: prompt "Pickup group", the group number answers there; an empty or unknown group gives a notice', () => {
  const { core, s } = office();
  core.offHook(ALICE); digits(core, ALICE, '104');
  core.softkey(BOB, 'gPickUp', 1);
  assert.ok(s[BOB].cmds.some((c) => c.t === 'prompt' && c.text === 'Pickup group'));
  digits(core, BOB, '51');
  assert.equal(core.legState(ERIK), 'idle');
  assert.ok(s[ERIK].notices().includes('Picked up by 101'));
  assert.equal(core.legState(BOB), 'connected');
  assert.equal(s[ALICE].last('callInfo')?.called, '101');
  core.onHook(ALICE);

  core.softkey(CAROL, 'gPickUp', 1);
  digits(core, CAROL, '51');
  assert.equal(s[CAROL].last('notify')?.text, 'No call to pick up');
  assert.equal(core.legState(CAROL), 'idle');
  core.softkey(CAROL, 'gPickUp', 1);
  core.softkey(CAROL, 'gPickUp', 1);
  assert.equal(core.legState(CAROL), 'idle', 'GPickUp again cancels the prompt');
});

test('config: pickup groups are checked with file:line:col (unknown line, a line in two groups, a number clash)', async () => {
  const { parseCallManagerConfig } = await import('../../../callmanager/config.js');
  const text = `lines:\n  - { number: "100", name: A }\n  - { number: "101", name: B }\ndevices:\n  - { name: SEP000000000100, lines: ["100", "101"] }\n` +
    `pickupGroups:\n  - { number: "100", lines: ["100"] }\n  - { number: "51", lines: ["100", "109"] }\n`;
  assert.throws(() => parseCallManagerConfig(text, 'office.yaml'), (e: Error) => {
    assert.match(e.message, /office\.yaml:7:\d+: pickupGroups\[0\]\.number: pickup group number "100" is already used by lines\[0\]/);
    assert.match(e.message, /office\.yaml:8:\d+: pickupGroups\[1\]\.lines\[0\]: line "100" is already in pickupGroups\[0\]/);
    assert.match(e.message, /office\.yaml:8:\d+: pickupGroups\[1\]\.lines\[1\]: unknown line "109"/);
    return true;
  });
});
