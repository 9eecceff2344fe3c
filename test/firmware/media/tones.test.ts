import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../hal/emul/virtual-clock.js';
import { RecordingSpeaker } from '../../../firmware/media/pcm-recorder.js';
import { ToneMicrophone } from '../../../firmware/media/emulated-audio.js';
import { detectTones, dominantFrequencies } from '../../../firmware/media/tone-detect.js';
import { SpeakerMixer } from '../../../firmware/media/mixer.js';
import { LocalTonePlayer, ToneGenerator, dbm0ToPeak, dtmfPair, toneSpec } from '../../../firmware/media/tones.js';

const RATE = 8000;
const CANDIDATES = [350, 440, 480, 620, 697, 770, 852, 941, 1000, 1209, 1336, 1477, 1500, 1633];

function render(name: string, ms: number): Int16Array {
  const g = new ToneGenerator(RATE);
  g.start(toneSpec(name)!);
  const out = new Int16Array((ms * RATE) / 1000);
  for (let off = 0; off < out.length; off += 160) g.fill(out, off, Math.min(160, out.length - off));
  return out;
}
/** On/off pattern of 50 ms blocks: 1 when the block carries energy. */
function cadence(samples: Int16Array): string {
  let s = '';
  for (let off = 0; off + 400 <= samples.length; off += 400) {
    let e = 0;
    for (let i = off; i < off + 400; i++) e = Math.max(e, Math.abs(samples[i]!));
    s += e > 100 ? '1' : '0';
  }
  return s;
}

test('North American precise tones have the T1.401 frequencies', () => {
  assert.deepEqual(dominantFrequencies(render('dial', 500), RATE, CANDIDATES).sort(), [350, 440]);
  assert.deepEqual(dominantFrequencies(render('ringback', 500), RATE, CANDIDATES).sort(), [440, 480]);
  assert.deepEqual(dominantFrequencies(render('busy', 400), RATE, CANDIDATES).sort(), [480, 620]);
  assert.deepEqual(dominantFrequencies(render('callwaiting', 250), RATE, CANDIDATES), [440]);
  assert.deepEqual(dtmfPair('5'), [770, 1336]);
  assert.deepEqual(dtmfPair('#'), [941, 1477]);
  assert.deepEqual(dominantFrequencies(render('dtmf-9', 200), RATE, CANDIDATES).sort(), [1477, 852].sort());
  assert.equal(toneSpec('dtmf-X'), undefined);
});

test('cadences: busy 0.5/0.5, reorder 0.25/0.25, ringback 2 on / 4 off', () => {
  assert.equal(cadence(render('busy', 2000)), '1111111111000000000011111111110000000000');
  assert.equal(cadence(render('reorder', 1000)), '11111000001111100000');
  const rb = cadence(render('ringback', 7000));
  assert.equal(rb, '1'.repeat(40) + '0'.repeat(80) + '1'.repeat(20));
});

test('tone level: dial tone components at −13 dBm0 (G.711 full scale = +3.14 dBm0)', () => {
  const lv = detectTones(render('dial', 1000), RATE, [350, 440]);
  for (const l of lv) assert.ok(Math.abs(l.level - dbm0ToPeak(-13)) / dbm0ToPeak(-13) < 0.02, `${l.freq} Hz level ${l.level}`);
});

test('LocalTonePlayer through the mixer reaches the speaker on the virtual clock; stop silences it', async () => {
  const clock = new VirtualClock();
  const spk = new RecordingSpeaker({ seconds: 5 });
  const mixer = new SpeakerMixer({ clock, sink: spk });
  const player = new LocalTonePlayer({ clock, sink: mixer.channel('tones') });
  player.play('dial');
  assert.equal(player.playing, 'dial');
  await clock.advance(1000);
  assert.deepEqual(dominantFrequencies(spk.recent(500), RATE, CANDIDATES).sort(), [350, 440]);
  player.stop();
  assert.equal(player.playing, undefined);
  await clock.advance(400);
  assert.deepEqual(dominantFrequencies(spk.recent(200), RATE, CANDIDATES), [], 'silent after stop');
  await clock.advance(1000);
  assert.equal(mixer.running, false, 'mixer goes idle when nothing plays');
  player.play('confirmation');                  // finite cadence: ends by itself
  await clock.advance(2000);
  assert.equal(player.playing, undefined);
});

test('mixer sums call audio and tones with saturation', async () => {
  const clock = new VirtualClock();
  const spk = new RecordingSpeaker({ seconds: 2 });
  const mixer = new SpeakerMixer({ clock, sink: spk });
  const mic = new ToneMicrophone({ clock, freq: 1000, levelDbfs: -6 });
  const call = mixer.channel('call');
  await mic.start((p) => call.write(p));
  const player = new LocalTonePlayer({ clock, sink: mixer.channel('tones') });
  player.play('callwaiting');                     // 440 Hz burst over the call
  await clock.advance(300);
  const heard = dominantFrequencies(spk.recent(200), RATE, CANDIDATES, { withinDb: 30 });
  assert.ok(heard.includes(1000) && heard.includes(440), `heard ${heard}`);
  await mic.stop();
  // saturation: two full-scale channels never wrap around
  const a = mixer.channel('a'); const b = mixer.channel('b');
  const loud = new Int16Array(160).fill(30000);
  a.write(loud); b.write(loud);
  mixer.tick();
  assert.equal(spk.recent(20)[0], 32767);
  assert.ok(mixer.clipped >= 160);
});

test('RecordingSpeaker keeps only the last N seconds', () => {
  const spk = new RecordingSpeaker({ seconds: 0.1 });   // 800 samples
  const p = new Int16Array(160);
  for (let k = 0; k < 10; k++) { p.fill(k); spk.write(p); }
  const r = spk.recent(1000);
  assert.equal(r.length, 800);
  assert.equal(r[0], 5);
  assert.equal(r[799], 9);
  assert.equal(spk.totalSamples, 1600);
});
