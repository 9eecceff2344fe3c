/** firmware/station/inband-dtmf.ts: which stream a key goes out on, and the far-end tone length. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InbandDtmf, FarEndDtmfPlayer, DTMF_KEY_MS } from '../../../firmware/station/inband-dtmf.js';
import type { MediaEngine } from '../../../firmware/media/engine.js';
import { FakeTones, ManualClock } from '../../support/phone-fakes.js';

function fakeMedia(sent: Array<[number, string, number]>): MediaEngine {
  return {
    capabilities: () => [], openReceive: async () => ({ address: '', port: 0 }), startTransmit: async () => {},
    stopTransmit: async () => {}, closeReceive: async () => {}, stats: () => undefined, activeStreams: () => [],
    close: async () => {},
    sendDtmf: (id, digit, ms) => { if (id === 99) throw new Error('not transmitting'); sent.push([id, digit, ms]); },
  };
}

test('a key goes out in RTP only in a connected call, on that call\'s stream', () => {
  const sent: Array<[number, string, number]> = [];
  const d = new InbandDtmf(fakeMedia(sent));
  d.transmitStarted(11, 5);
  d.transmitStarted(12, 6);
  assert.equal(d.key('5', 5, 'offhook'), undefined, 'dialling digits are for the CM only');
  assert.equal(d.key('5', 5, undefined), undefined);
  assert.equal(d.key('5', 6, 'connected'), 12);
  assert.equal(d.key('+', 6, 'connected'), undefined, "'+' is not an RFC 4733 §3.2 DTMF event");
  d.transmitStopped(12);
  assert.equal(d.key('#', 6, 'connected'), undefined, 'no stream for call 6 any more');
  assert.deepEqual(sent, [[12, '5', DTMF_KEY_MS]]);
});

test('a stream started without a call reference (Asterisk) serves the connected call; send errors are logged', () => {
  const sent: Array<[number, string, number]> = [];
  const logs: string[] = [];
  const d = new InbandDtmf(fakeMedia(sent), (_l, m) => logs.push(m));
  d.transmitStarted(7, 0);
  assert.equal(d.key('a', 42, 'connected'), 7);
  assert.deepEqual(sent, [[7, 'A', DTMF_KEY_MS]]);
  d.transmitStopped(7);
  d.transmitStarted(99, 0);
  assert.equal(d.key('1', 42, 'connected'), undefined);
  assert.match(logs.join('\n'), /not transmitting/);
});

test('far-end DTMF sounds for one key press and does not cut a later call-progress tone', async () => {
  const clock = new ManualClock();
  const tones = new FakeTones();
  const p = new FarEndDtmfPlayer(tones, clock);
  p.play('5');
  assert.equal(tones.playing, 'dtmf-5');
  await clock.advance(DTMF_KEY_MS - 1);
  assert.equal(tones.playing, 'dtmf-5');
  await clock.advance(1);
  assert.equal(tones.playing, undefined);
  p.play('#');
  tones.play('callwaiting');
  await clock.advance(DTMF_KEY_MS);
  assert.equal(tones.playing, 'callwaiting');
});
