/** Shared setup of the rig tests: free loopback ports for a call manager the boards are pointed at beforehand. */
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

/** A TCP port free right now on 127.0.0.1 (bound, read, released). */
export async function freeTcpPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A UDP port free right now on 127.0.0.1. */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export const TOKEN = 'rig-test-token-0123456789';
