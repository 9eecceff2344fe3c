/**
 * RtpProxy on its own: a fake IPv6 phone on ::1 and a fake IPv4 phone on 127.0.0.1, each a plain
 * UDP socket pair (RTP + RTCP). Packets cross families both ways, byte for byte; strangers are
 * dropped and counted; RTCP is relayed on port + 1; closing frees the sockets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { bindRtpPair } from '../../firmware/media/udp-pair.js';
import { RtpProxy } from '../../callmanager/rtp-proxy.js';

function nextMessage(s: dgram.Socket, ms = 2000): Promise<{ msg: Buffer; rinfo: dgram.RemoteInfo }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { s.off('message', on); reject(new Error(`no datagram on ${s.address().address}:${s.address().port} within ${ms} ms`)); }, ms);
    const on = (msg: Buffer, rinfo: dgram.RemoteInfo) => { clearTimeout(t); resolve({ msg, rinfo }); };
    s.once('message', on);
  });
}
const send = (s: dgram.Socket, b: Buffer, port: number, ip: string) =>
  new Promise<void>((r, j) => s.send(b, port, ip, (e) => (e ? j(e) : r())));
const close = (ss: dgram.Socket[]) => Promise.all(ss.map((s) => new Promise<void>((r) => s.close(() => r()))));

test('rtp proxy relays RTP and RTCP between ::1 and 127.0.0.1 and drops strangers', async () => {
  const proxy = new RtpProxy();
  const v6 = await bindRtpPair('::1', 'test phone v6');
  const v4 = await bindRtpPair('127.0.0.1', 'test phone v4');
  const stranger = dgram.createSocket('udp4');
  await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
  try {
    const s = await proxy.open(7,
      { device: 'SEPAAAAAAAAAAAA', remote: { ip: '::1', port: v6[0].address().port }, bind: '::1' },
      { device: 'SEPBBBBBBBBBBBB', remote: { ip: '127.0.0.1', port: v4[0].address().port }, bind: '127.0.0.1' });
    assert.equal(s.a.ip, '::1');
    assert.equal(s.b.ip, '127.0.0.1');
    assert.equal(s.a.port % 2, 0, 'RTP on an even port (RFC 3550 §11)');

    const ab = Buffer.from('80000001000000a000000001aabbccdd', 'hex');
    let got = nextMessage(v4[0]);
    await send(v6[0], ab, s.a.port, s.a.ip);
    let m = await got;
    assert.deepEqual(m.msg, ab, 'A → B byte for byte');
    assert.deepEqual([m.rinfo.address, m.rinfo.port], ['127.0.0.1', s.b.port], 'B sees the proxy as its peer');

    const ba = Buffer.from('80000002000000a000000002', 'hex');
    got = nextMessage(v6[0]);
    await send(v4[0], ba, s.b.port, s.b.ip);
    m = await got;
    assert.deepEqual(m.msg, ba, 'B → A byte for byte');
    assert.deepEqual([m.rinfo.address, m.rinfo.port], ['::1', s.a.port]);

    // RTCP: from A's RTCP socket to the proxy's port + 1, out to B's port + 1.
    const rtcp = Buffer.from('81c90001deadbeef', 'hex');
    got = nextMessage(v4[1]);
    await send(v6[1], rtcp, s.a.port + 1, '::1');
    assert.deepEqual((await got).msg, rtcp);

    // A stranger on B's side (right family, wrong address/port) is dropped, and so is B from another port.
    await send(stranger, Buffer.from('80000003', 'hex'), s.b.port, '127.0.0.1');
    await send(v4[1], Buffer.from('80000004', 'hex'), s.b.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));

    const st = proxy.sessions()[0]!;
    assert.equal(st.callId, 7);
    assert.deepEqual(st.rtp.aToB, { packets: 1, bytes: ab.length, dropped: 0, errors: 0 });
    assert.deepEqual(st.rtp.bToA, { packets: 1, bytes: ba.length, dropped: 2, errors: 0 });
    assert.deepEqual(st.rtcp.aToB, { packets: 1, bytes: rtcp.length, dropped: 0, errors: 0 });
    assert.deepEqual(st.legs[1].learned, { ip: '127.0.0.1', port: v4[0].address().port });
    assert.equal(proxy.totals().packets, 3);

    s.close();
    assert.equal(proxy.sessions().length, 0);
    assert.equal(proxy.totals().packets, 3, 'totals survive the session');
    assert.equal(proxy.totals().dropped, 2);
    // The proxy's ports are free again.
    const again = dgram.createSocket('udp6');
    await new Promise<void>((r, j) => { again.once('error', j); again.bind(s.a.port, '::1', () => r()); });
    await close([again]);
  } finally {
    proxy.close();
    await close([...v6, ...v4, stranger]);
  }
});

test('rtp proxy: an unusable bind address fails with the leg named and leaks nothing', async () => {
  const proxy = new RtpProxy();
  await assert.rejects(
    proxy.open(9, { device: 'SEPAAAAAAAAAAAA', remote: { ip: '127.0.0.1', port: 4000 }, bind: '127.0.0.1' },
      { device: 'SEPBBBBBBBBBBBB', remote: { ip: '192.0.2.1', port: 4000 }, bind: '192.0.2.1' }),
    /RTP proxy call 9 leg SEPBBBBBBBBBBBB: cannot bind .* on 192\.0\.2\.1/);
  assert.equal(proxy.sessions().length, 0);
  proxy.close();
  await assert.rejects(proxy.open(10, { device: 'X', remote: { ip: '127.0.0.1', port: 1 }, bind: '127.0.0.1' },
    { device: 'Y', remote: { ip: '127.0.0.1', port: 1 }, bind: '127.0.0.1' }), /shut down/);
});
