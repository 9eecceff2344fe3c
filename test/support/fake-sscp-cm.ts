/**
 * A scripted SSCP call manager for station tests: an SscpEndpoint on a loopback UDP port that
 * records what the phone sends and answers Register / KeepAlive per `behaviour`. Tests push any
 * CM→phone message with send(). `drive()` moves a VirtualClock only when real UDP I/O has settled.
 */
import type { VirtualClock } from '../../hal/emul/virtual-clock.js';
import type { SscpDecoded } from '../../firmware/sscp/codec.js';
import type { SscpFields } from '../../firmware/sscp/messages.js';
import { SscpEndpoint, type SscpPeer } from '../../firmware/sscp/transport.js';

export interface SscpCmBehaviour {
  register: 'ack' | 'none' | { reject: string };
  keepAliveS: number;
}

export class FakeSscpCm {
  readonly rx: Array<SscpDecoded & { from: SscpPeer }> = [];
  readonly endpoint: SscpEndpoint;
  phone: SscpPeer | undefined;
  behaviour: SscpCmBehaviour = { register: 'ack', keepAliveS: 30 };
  address!: SscpPeer;

  private constructor(clock: VirtualClock, loopback: string) {
    this.endpoint = new SscpEndpoint({
      clock, bind: { address: loopback }, retries: 2, initialRtoMs: 200,
      onMessage: (m, from) => { this.rx.push({ ...m, from }); this.answer(m, from); },
    });
  }

  static async start(clock: VirtualClock, b: Partial<SscpCmBehaviour> = {}, loopback = '127.0.0.1'): Promise<FakeSscpCm> {
    const cm = new FakeSscpCm(clock, loopback);
    Object.assign(cm.behaviour, b);
    cm.address = await cm.endpoint.start();
    return cm;
  }

  get port(): number { return this.address.port; }
  names(): string[] { return this.rx.map((m) => m.name); }
  last(name: string): (SscpDecoded & { from: SscpPeer }) | undefined { return [...this.rx].reverse().find((m) => m.name === name); }
  count(name: string): number { return this.rx.filter((m) => m.name === name).length; }

  send(name: string, fields: SscpFields = {}): void {
    if (!this.phone) throw new Error('FakeSscpCm.send: no phone has registered yet');
    this.endpoint.send({ name, fields }, this.phone).catch(() => {});
  }

  close(): Promise<void> { return this.endpoint.close(); }

  private answer(m: SscpDecoded, from: SscpPeer): void {
    const b = this.behaviour;
    if (m.name === 'Register') {
      this.phone = from;
      if (b.register === 'none') return;
      if (b.register === 'ack') {
        this.send('RegisterAck', { server: 'fake', keepAliveS: b.keepAliveS, epochS: 1_700_000_000 });
        this.send('LineStatus', { line: 1, number: '200', label: 'Dana', displayName: 'Dana D' });
        this.send('SoftKeySet', { keys: [{ label: 'Redial', event: 1 }, { label: 'NewCall', event: 2 }, { label: 'Off', event: 5, enabled: false }] });
      } else this.send('RegisterReject', { reason: b.register.reject });
    } else if (m.name === 'KeepAlive') this.send('KeepAliveAck');
  }
}

const realTick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Lets loopback UDP settle, then advances virtual time by `stepMs`, until `done()` (throws naming `what`). */
export async function drive(clock: VirtualClock, done: () => boolean, what: string, stepMs = 50, maxMs = 120_000): Promise<void> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    for (let i = 0; i < 4; i++) await realTick(2);
    if (done()) return;
    await clock.advance(stepMs);
  }
  throw new Error(`after ${maxMs} ms of virtual time still waiting for ${what}`);
}
