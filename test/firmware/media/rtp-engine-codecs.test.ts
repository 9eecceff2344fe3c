/**
 * RtpMediaEngine `codecs` (the phone config's `codecs:`, docs/phone-config.md): the capabilities
 * offered in CapabilitiesRes / SSCP Register follow the given order and subset; an unknown name
 * is an error naming the codecs there are. The call manager picking from them: test/e2e/sscp-phone-config.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { RtpMediaEngine } from '../../../firmware/media/rtp-engine.js';

function engine(codecs?: string[]): RtpMediaEngine {
  const clock = new VirtualClock();
  return new RtpMediaEngine({ clock, microphone: new ToneMicrophone({ clock, freq: 1000 }), speaker: new RecordingSpeaker({ seconds: 1 }),
    ...(codecs ? { codecs } : {}) });
}

test('default: G.722 first, then G.711 µ-law and A-law, all 20 ms', () => {
  assert.deepEqual(engine().capabilities(), [{ codec: 'G722', ptimeMs: 20 }, { codec: 'PCMU', ptimeMs: 20 }, { codec: 'PCMA', ptimeMs: 20 }]);
});

test('codecs: that subset in that order (names in any case)', () => {
  assert.deepEqual(engine(['pcma', 'G722']).capabilities().map((c) => c.codec), ['PCMA', 'G722']);
  assert.deepEqual(engine(['PCMU']).capabilities(), [{ codec: 'PCMU', ptimeMs: 20 }]);
});

test('an unknown codec is an error naming the ones there are', () => {
  assert.throws(() => engine(['G729']), /media: codecs: "G729" is not one of G722, PCMU, PCMA/);
});
