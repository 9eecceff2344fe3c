import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { bindRtpPair, literalLookup } from '../../../firmware/media/udp-pair.js';

test('literalLookup: an IP literal answers synchronously (no dns.lookup, no tick); a name goes to dns.lookup', async () => {
  let got: [string, number] | undefined;
  literalLookup('127.0.0.1', 4, (err, a, f) => { assert.equal(err, null); got = [a, f]; });
  assert.deepEqual(got, ['127.0.0.1', 4], 'answered before returning');
  literalLookup('::1', 6, (_e, a, f) => { got = [a, f]; });
  assert.deepEqual(got, ['::1', 6]);
  const named = await new Promise<string>((resolve, reject) => literalLookup('localhost', 4, (e, a) => (e ? reject(e) : resolve(a))));
  assert.match(named, /^127\./);
});

test('bindRtpPair: an even/odd pair whose RTP socket sends to a literal address', async () => {
  const [rtp, rtcp] = await bindRtpPair('127.0.0.1', 'test');
  const port = rtp.address().port;
  assert.equal(port % 2, 0);
  assert.equal(rtcp.address().port, port + 1);
  const rx = dgram.createSocket('udp4');
  await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
  const got = new Promise<[Buffer, number]>((r) => rx.once('message', (m, ri) => r([m, ri.port])));
  rtp.send(Buffer.from('hello'), rx.address().port, '127.0.0.1');
  const [msg, from] = await got;
  assert.equal(msg.toString(), 'hello');
  assert.equal(from, port);
  await Promise.all([rtp, rtcp, rx].map((s) => new Promise<void>((r) => s.close(() => r()))));
});
