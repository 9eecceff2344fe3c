import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallAlerts, callWaiting, lineLampMode } from '../../../firmware/phone/call-alerts.js';
import { applyEvent, newModel } from '../../../firmware/phone/call-model.js';
import type { LampMode } from '../../../hal/api/devices.js';
import { RecordingTones } from '../../support/multi-call.js';

test('line lamp from the line\'s calls: ringing > in use > held > off', () => {
  assert.equal(lineLampMode([]), 'off');
  assert.equal(lineLampMode(['hold']), 'wink');
  assert.equal(lineLampMode(['hold', 'connected']), 'on');
  assert.equal(lineLampMode(['connected', 'callwaiting']), 'blink');
  assert.equal(lineLampMode(['offhook']), 'on');
  assert.equal(lineLampMode(['remotemultiline']), 'off');
});

test('call waiting: local tone while a call rings in beside a connected one; ringer muted only off hook in a call', () => {
  const tones = new RecordingTones();
  const lamps: Array<[string, LampMode]> = [];
  const a = new CallAlerts({ tones, setLamp: (n, mode) => lamps.push([n, mode]) });
  const m = newModel('registered');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'ringin' });
  assert.equal(a.muteRinger(m, 'inside', false), false, 'on hook: rings');
  assert.equal(a.muteRinger(m, 'inside', true), false, 'lifting to answer the only call: not a call waiting');
  a.update(m, true);
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'connected' });
  applyEvent(m, { type: 'callState', line: 2, callRef: 2, state: 'ringin' });
  assert.ok(callWaiting(m));
  assert.equal(a.muteRinger(m, 'inside', true), true);
  assert.equal(a.muteRinger(m, 'off', true), false, 'SetRinger off always applies');
  a.update(m, true);
  assert.deepEqual(tones.log, ['play callwaiting']);
  a.update(m, true);
  assert.deepEqual(tones.log, ['play callwaiting'], 'not restarted while it plays');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'hold' });
  applyEvent(m, { type: 'callState', line: 2, callRef: 2, state: 'connected' });
  a.update(m, true);
  assert.deepEqual(tones.log, ['play callwaiting', 'stop']);
  assert.deepEqual(lamps, [['line1', 'blink'], ['line1', 'on'], ['line2', 'blink'], ['line1', 'wink'], ['line2', 'on']]);
  applyEvent(m, { type: 'callState', line: 2, callRef: 2, state: 'onhook' });
  a.update(m, false);
  assert.equal(lamps.length, 5, 'lamps left to the CM when not local');
  assert.equal(a.cmLineLampApplies(m, 1), false, 'line 1 has a call');
  assert.equal(a.cmLineLampApplies(m, 2), true);
});

test('the CM\'s own tone is not stopped by the phone when the waiting ends', () => {
  const tones = new RecordingTones();
  const a = new CallAlerts({ tones, setLamp: () => {} });
  const m = newModel('registered');
  applyEvent(m, { type: 'callState', line: 1, callRef: 1, state: 'connected' });
  tones.play('ringback'); a.toneFromCm();
  applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'ringin' });
  a.update(m, false);
  assert.equal(tones.playing, 'ringback', 'another tone plays: no local call-waiting tone over it');
  applyEvent(m, { type: 'callState', line: 1, callRef: 2, state: 'onhook' });
  a.update(m, false);
  assert.equal(tones.playing, 'ringback');
});
