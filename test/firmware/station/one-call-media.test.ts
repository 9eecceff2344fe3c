import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OneCallMedia } from '../../../firmware/station/one-call-media.js';
import { InbandDtmf } from '../../../firmware/station/inband-dtmf.js';
import { FakeMedia } from '../../support/fake-cm.js';

test('a stream starting to transmit stops the others; the stopped one no longer carries DTMF', async () => {
  const media = new FakeMedia();
  const logs: string[] = [];
  const dtmf = new InbandDtmf(media);
  const one = new OneCallMedia(media, (l, m) => logs.push(`${l} ${m}`), dtmf);
  await one.starting(1, 1);
  assert.equal(media.calls.length, 0);
  await one.starting(2, 2);
  assert.deepEqual(media.calls.map((c) => `${c.op} ${c.id}`), ['stopTransmit 1']);
  assert.deepEqual(one.transmitting, [2]);
  assert.match(logs[0]!, /stream 1 still transmitting: stopped \(stream 2 \(call 2\) starts/);
  await one.starting(2, 2); // the same stream again: nothing to stop
  assert.equal(media.calls.length, 1);
});

test('hold stops the held call\'s stream, and a stream of unknown call; not another known call\'s', async () => {
  const media = new FakeMedia();
  const one = new OneCallMedia(media, () => {});
  await one.starting(7, 0); // Asterisk: no call reference on the stream
  await one.held(5);
  assert.deepEqual(media.calls.map((c) => `${c.op} ${c.id}`), ['stopTransmit 7']);
  await one.starting(8, 6);
  await one.held(5);
  assert.deepEqual(one.transmitting, [8], 'call 6\'s stream is not call 5\'s');
  await one.held(6);
  assert.deepEqual(one.transmitting, []);
  one.stopped(8);
  await one.held(6);
  assert.equal(media.calls.filter((c) => c.id === 8).length, 1, 'a stream the CM already stopped is not stopped again');
});
