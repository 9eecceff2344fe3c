/**
 * ALSA audio I/O against user-space `type file` PCMs (test/alsa/asoundrc; docs/hardware.md §4):
 * capture a known raw file through arecord and alsa-capture → identical samples; play through
 * aplay into a file → identical bytes (plus aplay's zero padding of the last period).
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { HalError, isHalError } from '../../../hal/api/errors.js';
import type { PcmFormat, PcmSource } from '../../../hal/api/pcm.js';
import { AlsaCaptureSource } from '../../../hal/bindings/audio-alsa-capture.js';
import { AplaySink, ArecordSource } from '../../../hal/bindings/audio-cli.js';
import { openPcmSource } from '../../../hal/bindings/audio-io.js';
import { requireTool, tempDir } from '../../support/oracles.js';

/** <repo>/test, so ALSA loads <repo>/test/alsa/asoundrc. */
const XDG = fileURLToPath(new URL('../../../../test/', import.meta.url));
const env = { XDG_CONFIG_HOME: XDG };
const FMT: PcmFormat = { sampleRate: 8000, channels: 1, periodFrames: 160 };

/** 1 s of seeded pseudo-random S16_LE (every byte value, so any reordering or offset shows). */
function knownRaw(dir: string, seconds = 1): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(8000 * 2 * seconds);
  let s = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; bytes[i] = s & 0xff; }
  const path = join(dir, 'in.raw');
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** Starts `src`, copies periods until `n` bytes, stops. */
async function captureBytes(src: PcmSource, n: number): Promise<Buffer> {
  const out = Buffer.alloc(n);
  let got = 0;
  let done!: () => void;
  const enough = new Promise<void>((r) => { done = r; });
  await src.start((p) => {
    if (got >= n) return;
    const b = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
    got += b.copy(out, got);
    if (got >= n) done();
  });
  await Promise.race([enough, new Promise((_, rej) => setTimeout(() => rej(new Error(`only ${got}/${n} bytes captured in 10 s`)), 10000))]);
  await src.stop();
  return out;
}

test('arecord capture is byte-exact against a file PCM', async (t) => {
  if (!requireTool(t, 'arecord')) return;
  const { path, bytes } = knownRaw(tempDir('arec'));
  const src = new ArecordSource({ device: `filecap:INFILE=${path}`, format: FMT, env });
  const got = await captureBytes(src, bytes.length);
  assert.ok(got.equals(bytes), 'captured samples equal the file');
  assert.ok(src.periods >= 50, `${src.periods} periods of 160 frames`);
});

async function alsaCaptureOrSkip(t: TestContext, device: string): Promise<AlsaCaptureSource | undefined> {
  process.env['XDG_CONFIG_HOME'] = XDG;                  // in-process ALSA reads the config from our env
  try {
    return await AlsaCaptureSource.create({ device, format: FMT });
  } catch (e) {
    assert.ok(isHalError(e, 'UNAVAILABLE'), `expected UNAVAILABLE, got ${String(e)}`);
    assert.match(e.message, /alsa-capture/);
    if (process.env['HAL_REQUIRE_NATIVE'] === '1') throw e;
    t.skip(`alsa-capture is not installed here (${e.message}); the arecord path covers capture`);
    return undefined;
  }
}

test('alsa-capture (optional native) capture is byte-exact against a file PCM', async (t) => {
  const { path, bytes } = knownRaw(tempDir('acap'));
  const src = await alsaCaptureOrSkip(t, `filecap:INFILE=${path}`);
  if (!src) return;
  const got = await captureBytes(src, bytes.length);
  assert.ok(got.equals(bytes), 'captured samples equal the file');
});

test('aplay playback: the file PCM receives exactly what we wrote, then zero padding', async (t) => {
  if (!requireTool(t, 'aplay')) return;
  const out = join(tempDir('aplay'), 'out.raw');
  const sink = await AplaySink.open({ device: `fileplay:OUTFILE=${out}`, format: FMT, env });
  const written: Buffer[] = [];
  const period = new Int16Array(160);
  for (let k = 0; k < 40; k++) {
    for (let i = 0; i < 160; i++) period[i] = Math.round(12000 * Math.sin((k * 160 + i) * 0.3)) + k;
    written.push(Buffer.from(Int16Array.from(period).buffer));
    sink.write(period);                                   // caller reuses `period`: the sink must copy
    if (k % 8 === 7) await new Promise((r) => setTimeout(r, 5));   // let the pipe drain (ring of 8)
  }
  await sink.close();
  const want = Buffer.concat(written);
  const file = readFileSync(out);
  assert.equal(sink.dropped, 0);
  assert.ok(file.length >= want.length, `file ${file.length} B, wrote ${want.length} B`);
  assert.ok(file.subarray(0, want.length).equals(want), 'played bytes equal written bytes');
  assert.ok(file.subarray(want.length).every((b) => b === 0), 'only zero padding after');
});

test('missing devices and tools are HalErrors with device, operation and hint (no crash)', async (t) => {
  if (!requireTool(t, 'arecord')) return;
  const missing = join(tempDir('miss'), 'nope.raw');
  const src = new ArecordSource({ device: `filecap:INFILE=${missing}`, format: FMT, env });
  await assert.rejects(src.start(() => {}), (e: unknown) => {
    assert.ok(e instanceof HalError);
    assert.equal(e.code, 'ENOENT');
    assert.equal(e.device, `filecap:INFILE=${missing}`);
    assert.equal(e.operation, 'open capture');
    assert.match(e.hint ?? '', /arecord -L/);
    return true;
  });
  await assert.rejects(AplaySink.open({ device: 'hw:9,0', format: FMT, env }), (e: unknown) =>
    isHalError(e, 'ENOENT') && e.operation === 'open playback' && /hw:9,0/.test(e.message));
  await assert.rejects(new ArecordSource({ device: 'default', format: FMT, command: 'arecord-not-installed' }).start(() => {}),
    (e: unknown) => isHalError(e, 'UNAVAILABLE') && /alsa-utils/.test(e.hint ?? ''));
  const viaAuto = await openPcmSource({ device: 'hw:9,0', format: FMT, env });
  await assert.rejects(viaAuto.start(() => {}), (e: unknown) => isHalError(e) && /hw:9,0/.test(e.device));
});

test('device lost mid-capture (tool exits) → onError DISCONNECTED, process survives', async () => {
  const dir = tempDir('unplug');
  const fake = join(dir, 'fake-arecord');
  writeFileSync(fake, '#!/bin/sh\necho "Its setup is:" >&2\nhead -c 960 /dev/zero\nsleep 0.1\n' +
    'echo "arecord: pcm_read:2221: read error: No such device" >&2\nexit 1\n');
  chmodSync(fake, 0o755);
  const src = new ArecordSource({ device: 'plughw:1,0', format: FMT, command: fake });
  let periods = 0;
  const err = new Promise<Error>((r) => src.onError(r));
  await src.start(() => { periods++; });
  const e = await err;
  assert.equal(periods, 3, '960 bytes = 3 periods delivered before the loss');
  assert.ok(isHalError(e, 'DISCONNECTED'), String(e));
  assert.match(e.message, /read error: No such device/);
  assert.equal((e as HalError).device, 'plughw:1,0');
});

test('alsa-capture on a missing device rejects with a HalError instead of crashing', async (t) => {
  const src = await alsaCaptureOrSkip(t, 'hw:9,0');
  if (!src) return;
  await assert.rejects(src.start(() => {}), (e: unknown) => isHalError(e) && e.device === 'hw:9,0' && !e.message.endsWith('\n'));
});
