import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HalError, type PcmFormat, type PcmSink, type PcmSource } from '../../../hal/api/index.js';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { ResilientSink, ResilientSource } from '../../../src/node/resilient-audio.js';

const format: PcmFormat = { sampleRate: 8000, channels: 1, periodFrames: 160 };
const missing = () => new HalError('ENOENT', 'no such device', { device: 'hw:9,0', operation: 'open', hint: 'plug in the USB audio device' });

/** A capture device the test plugs in and out. */
class FakeSource implements PcmSource {
  readonly name = 'fake'; readonly format = format;
  private errs = new Set<(e: Error) => void>();
  periodCb: ((s: Int16Array) => void) | undefined;
  async start(cb: (s: Int16Array) => void) { this.periodCb = cb; }
  async stop() { this.periodCb = undefined; }
  onError(cb: (e: Error) => void) { this.errs.add(cb); return () => this.errs.delete(cb); }
  unplug() { for (const cb of this.errs) cb(new HalError('DISCONNECTED', 'read error', { device: 'hw:9,0', operation: 'capture' })); }
}

test('capture: a missing device is logged once and retried; when it appears, periods flow; unplug → retried again', async () => {
  const clock = new VirtualClock();
  const logs: string[] = [];
  let present = false;
  let current: FakeSource | undefined;
  const src = new ResilientSource({ name: 'audio.capture hw:9,0', format, clock, retryMs: 1000, log: (m) => logs.push(m),
    open: async () => { if (!present) throw missing(); current = new FakeSource(); return current; } });
  const got: number[] = [];
  await src.start((s) => got.push(s.length));             // does not throw: the phone keeps working
  await clock.advance(3000);
  assert.equal(logs.length, 1, 'one line per outage, not per retry');
  assert.match(logs[0]!, /audio\.capture hw:9,0: open capture failed: .*no such device.*plug in the USB audio device.*retrying every 1000 ms/);
  present = true;
  await clock.advance(1000);
  current!.periodCb!(new Int16Array(160));
  assert.deepEqual(got, [160]);
  assert.match(logs[1]!, /audio device is back/);
  present = false;
  current!.unplug();
  await clock.advance(2500);
  assert.match(logs[2]!, /capture failed: .*read error/);
  present = true;
  await clock.advance(1000);
  current!.periodCb!(new Int16Array(160));
  assert.deepEqual(got, [160, 160]);
  await src.stop();
  assert.equal(clock.pending(), 0, 'no timers left after stop');
});

test('playback: periods are dropped and counted while the device is missing, then played', async () => {
  const clock = new VirtualClock();
  let present = false;
  const written: number[] = [];
  const sink = new ResilientSink({ name: 'audio.playback hw:9,0', format, clock, retryMs: 500, log: () => {},
    open: async (): Promise<PcmSink> => {
      if (!present) throw missing();
      return { name: 'fake', format, write: (s) => written.push(s.length), close: async () => {}, onError: () => () => {} };
    } });
  await clock.advance(0);
  sink.write(new Int16Array(160));
  sink.write(new Int16Array(160));
  assert.equal(sink.dropped, 2);
  present = true;
  await clock.advance(500);
  sink.write(new Int16Array(160));
  assert.deepEqual(written, [160]);
  await sink.close();
  assert.equal(clock.pending(), 0);
});
