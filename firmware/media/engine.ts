/**
 * What a station stack asks of media. SCCP's OpenReceiveChannel / StartMediaTransmission /
 * StopMediaTransmission / CloseReceiveChannel (and SSCP's equivalents) map one to one onto these
 * calls; `id` is the call manager's passThruPartyId (or conference id) for the stream.
 */
export interface CodecChoice {
  /** Registry name: 'PCMU', 'PCMA', 'G722'. */
  codec: string;
  ptimeMs: number;
}

export interface MediaEndpoint { address: string; port: number }

export interface MediaStats {
  packetsSent: number; octetsSent: number; packetsReceived: number; octetsReceived: number;
  packetsLost: number; jitterMs: number; latencyMs: number;
}

export interface MediaEngine {
  /** Codecs this station can do, in preference order (for CapabilitiesRes). */
  capabilities(): readonly CodecChoice[];
  /** Binds the receive socket; returns where the far end must send RTP. */
  openReceive(id: number, choice: CodecChoice): Promise<MediaEndpoint>;
  startTransmit(id: number, remote: MediaEndpoint, choice: CodecChoice): Promise<void>;
  stopTransmit(id: number): Promise<void>;
  closeReceive(id: number): Promise<void>;
  stats(id: number): MediaStats | undefined;
  /**
   * Optional: sends DTMF `digit` ('0'-'9', '*', '#', 'A'-'D') in-band as RFC 4733 telephone-events
   * on stream `id` for `ms` milliseconds. Throws when the stream is not transmitting.
   */
  sendDtmf?(id: number, digit: string, ms: number): void;
  /** Ids with an open stream (so signalling can see media survives re-registration). */
  activeStreams(): number[];
  close(): Promise<void>;
}

/**
 * Local call-progress tones and ringing played on the phone's own speaker (SCCP StartTone is a
 * local tone, not RTP). Implemented in firmware/media; the phone app calls it on 'tone' events.
 */
export interface TonePlayer {
  play(tone: string): void;   // a ToneName from firmware/station/signalling.ts
  stop(): void;
  readonly playing: string | undefined;
}
