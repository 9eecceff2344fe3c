/**
 * The StationSignalling facade shared by the SCCP and SSCP stations: PhoneInput goes through the
 * protocol's input mapper (PhoneInput → one protocol message or an Error) and is sent only while
 * registered; keypad keys in a connected call also go out as RFC 4733 events (InbandDtmf);
 * listeners, state, start and stop are the RegistrationEngine's.
 */
import type { CallStateName, RegistrationState, SignallingEvent, StationSignalling } from './signalling.js';
import type { InbandDtmf } from './inband-dtmf.js';
import type { RegistrationEngine, StationLog } from './registration.js';

/** A protocol's translation of PhoneInput into its phone→CM messages. */
export interface InputMapper<M> {
  readonly currentCallRef: number;
  readonly currentState: CallStateName | undefined;
  offHook(line?: number): M | Error;
  onHook(): M | Error;
  keypad(key: string): M | Error;
  dial(number: string): M | Error;
  softkey(slot: number): M | Error;
  lineButton(line: number): M | Error;
  speedDial(index: number): M | Error;
  hookFlash(): M | Error;
  headset(on: boolean): M | Error;
  /** The phone shows call `callRef`: true when the softkey set shown changed (firmware/station/softkey-sets.ts). */
  selectCall(line: number, callRef: number): boolean;
}

export abstract class StationFacade<M extends { name: string }> implements StationSignalling {
  abstract readonly protocol: 'sccp' | 'sscp';
  protected abstract readonly reg: RegistrationEngine;
  protected abstract readonly mapper: InputMapper<M>;
  protected abstract readonly dtmf: InbandDtmf;
  protected abstract readonly log: StationLog;
  /** A session to the CM is open (messages can go out). */
  protected abstract get connected(): boolean;
  /** Sends one message on the current session. */
  protected abstract deliver(m: M): void;
  /** The softkey set shown changed (a call was selected): announce it as a 'softkeys' event. */
  protected abstract softkeysChanged(): void;

  get state(): RegistrationState { return this.reg.state; }
  /** "host:port" of the CM registered with or being tried. */
  get server(): string { return this.reg.server; }

  onEvent(cb: (ev: SignallingEvent) => void): () => void { return this.reg.onEvent(cb); }
  async start(): Promise<void> { this.reg.start(); }
  /** Unregisters cleanly if possible and releases sockets and timers. */
  stop(): Promise<void> { return this.reg.stop(); }

  // ---- PhoneInput ----
  offHook(line?: number): void { this.send(this.mapper.offHook(line)); }
  onHook(): void { this.send(this.mapper.onHook()); this.hungUp(); }
  /** After OnHook: a protocol stops its media here (hanging up always stops media locally). */
  protected hungUp(): void {}
  /** The key as always; in a connected call also an RFC 4733 telephone-event on the call's RTP stream. */
  keypad(key: string): void {
    this.send(this.mapper.keypad(key));
    this.dtmf.key(key, this.mapper.currentCallRef, this.mapper.currentState);
  }
  dial(number: string): void { this.send(this.mapper.dial(number)); }
  softkey(slot: number): void { this.send(this.mapper.softkey(slot)); }
  lineButton(line: number): void { this.send(this.mapper.lineButton(line)); }
  speedDial(index: number): void { this.send(this.mapper.speedDial(index)); }
  hookFlash(): void { this.send(this.mapper.hookFlash()); }
  headset(on: boolean): void { this.send(this.mapper.headset(on)); }
  selectCall(line: number, callRef: number): void { if (this.mapper.selectCall(line, callRef)) this.softkeysChanged(); }

  protected send(m: M | Error): void {
    const p = this.protocol.toUpperCase();
    if (m instanceof Error) { this.log('warn', `${p} input ignored: ${m.message}`); return; }
    if (this.reg.state !== 'registered' || !this.connected) {
      this.log('warn', `${p} ${m.name} not sent: station is ${this.reg.state}`, { message: m.name });
      return;
    }
    this.deliver(m);
  }
}
