/** PCM audio: mono signed 16-bit frames at a fixed rate, delivered one period at a time. */
export interface PcmFormat {
  sampleRate: number;     // 8000 or 16000
  channels: 1;
  periodFrames: number;   // samples per period; aligned with the RTP packet time (160 = 20 ms @ 8 kHz)
}

export interface PcmSource {
  readonly name: string;
  readonly format: PcmFormat;
  /**
   * Starts capture. `onPeriod` receives a view that is only valid during the call (buffers are
   * reused: copy what you keep).
   */
  start(onPeriod: (samples: Int16Array) => void): Promise<void>;
  stop(): Promise<void>;
  onError(cb: (err: Error) => void): () => void;
}

export interface PcmSink {
  readonly name: string;
  readonly format: PcmFormat;
  /** Queues one period for playback; the caller may reuse `samples` after the call returns. */
  write(samples: Int16Array): void;
  close(): Promise<void>;
  onError(cb: (err: Error) => void): () => void;
}
