/**
 * Test helper: a UDP relay between one client and one server that drops every `dropEvery`-th
 * datagram and sends every `dupEvery`-th twice (counted over both directions).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { SscpPeer } from '../../firmware/sscp/transport.js';

export class LossProxy {
  readonly socket: Socket;
  private client: SscpPeer | undefined;
  private n = 0;
  dropped = 0;
  duplicated = 0;
  constructor(readonly server: SscpPeer, private readonly dropEvery: number, private readonly dupEvery: number,
    family: 'udp4' | 'udp6') {
    this.socket = createSocket(family);
    this.socket.on('message', (buf, r) => {
      const fromServer = r.address === server.address && r.port === server.port;
      if (!fromServer) this.client = { address: r.address, port: r.port };
      const to = fromServer ? this.client : server;
      if (!to) return;
      this.n++;
      if (this.n % this.dropEvery === 0) { this.dropped++; return; }
      this.socket.send(buf, to.port, to.address);
      if (this.n % this.dupEvery === 0) { this.duplicated++; this.socket.send(buf, to.port, to.address); }
    });
  }
  async start(address: string): Promise<SscpPeer> {
    await new Promise<void>((r) => this.socket.bind(0, address, () => r()));
    return { address, port: this.socket.address().port };
  }
  close(): Promise<void> { return new Promise((r) => this.socket.close(() => r())); }
}
