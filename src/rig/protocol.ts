/**
 * The rig agent protocol (docs/hil.md "Agent protocol"): JSON lines over TCP, one object per line.
 * The client opens with `hello` (protocol version + token); every request carries an `id` that its
 * response repeats; the agent pushes `state` events (screen, lamps, ringer, hook, registration)
 * after `watch`. Requests are validated with zod so a hostile or broken client gets a clear error.
 */
import { z } from 'zod';

/** Protocol version; a client speaking another major version is refused (docs/hil.md). */
export const RIG_PROTOCOL_VERSION = 1;
/** Longest request line the agent accepts (bytes); longer lines close the connection. */
export const MAX_REQUEST_LINE = 16 * 1024;
/** Longest response line a client accepts (raw audio: 10 s of 16 kHz s16 in base64 ≈ 427 KiB). */
export const MAX_RESPONSE_LINE = 1024 * 1024;
/** A client must say hello (with the token) within this time, else the agent closes the connection. */
export const HELLO_TIMEOUT_MS = 5000;
/** The longest audio window the agent analyses or returns (its earpiece history is 10 s). */
export const MAX_AUDIO_MS = 10_000;

const ms = z.number().int().min(1).max(MAX_AUDIO_MS);
const freq = z.number().min(20).max(8000);

export const requestSchema = z.discriminatedUnion('op', [
  z.strictObject({ id: z.number().int(), op: z.literal('hello'), version: z.number().int(), token: z.string() }),
  /** Presses and releases a key; `holdMs` defaults to the board's own (5 × debounce, ≥ 100 ms). */
  z.strictObject({ id: z.number().int(), op: z.literal('tap'), key: z.string().min(1).max(32), holdMs: z.number().int().min(1).max(5000).optional() }),
  z.strictObject({ id: z.number().int(), op: z.literal('press'), key: z.string().min(1).max(32) }),
  z.strictObject({ id: z.number().int(), op: z.literal('release'), key: z.string().min(1).max(32) }),
  z.strictObject({ id: z.number().int(), op: z.literal('hook'), offHook: z.boolean() }),
  z.strictObject({ id: z.number().int(), op: z.literal('headset'), plugged: z.boolean() }),
  z.strictObject({ id: z.number().int(), op: z.literal('state') }),
  z.strictObject({ id: z.number().int(), op: z.literal('watch'), on: z.boolean() }),
  /** Which planned tone (dial, ringback, busy, reorder, none) the earpiece played over the window. */
  z.strictObject({ id: z.number().int(), op: z.literal('tone'), windowMs: ms }),
  /** Whether every one of `freqs` is present in the last `ms` of the earpiece. */
  z.strictObject({ id: z.number().int(), op: z.literal('hears'), freqs: z.array(freq).min(1).max(16), ms }),
  /** The frequencies heard in the last 200 ms, among the tone-plan ones and `extra` (for reports). */
  z.strictObject({ id: z.number().int(), op: z.literal('describe'), extra: z.array(freq).max(16) }),
  /** Whether the last `ms` is music on hold, not the `exclude` phone tones nor a call-progress tone (src/scenario/music.ts). */
  z.strictObject({ id: z.number().int(), op: z.literal('music'), exclude: z.array(freq).max(16), ms }),
  /** The raw earpiece PCM (s16le, base64) of the last `ms`. */
  z.strictObject({ id: z.number().int(), op: z.literal('audio'), ms }),
  /** Restarts the firmware above the board (fresh phone, re-registration), as between scenarios. */
  z.strictObject({ id: z.number().int(), op: z.literal('reset') }),
  /** Unregisters and stays quiet until the next reset (a board the current scenario does not use). */
  z.strictObject({ id: z.number().int(), op: z.literal('standby') }),
  /** Power-cycles the firmware as its owner would (stop: leave cleanly; start again); answers with `hello`'s info. */
  z.strictObject({ id: z.number().int(), op: z.literal('restart') }),
]);
export type RigRequest = z.output<typeof requestSchema>;

/** What `hello` answers: who the board is and what it has. */
export interface BoardInfo {
  version: number;
  device: string;
  protocol: 'sccp' | 'sscp';
  /** Hz of the tone the board's microphone sends (emulated mic), or 0 when it is a real microphone. */
  micFrequency: number;
  board: string;
  keys: string[];
  lamps: string[];
  softkeyCount: number;
  /** The call manager the station talks to ("host:port"). */
  server: string;
  /** Hook/key debounce of the board (ms): the shortest press its drivers accept. */
  debounceMs: number;
  /**
   * 'driver+wire': the ringer state combines the ringer driver's command with what its output line
   * did, so "off" is known at once (no cadence gap to wait out); 'wire': only the line is read.
   */
  ringerSource: 'driver+wire' | 'wire';
}

/** A `state` snapshot (also the body of pushed `state` events). */
export interface BoardState {
  screen: string[];
  lamps: Record<string, string>;
  ringer: string;
  offHook: boolean;
  /** Codec of the current receive stream ('PCMU' | 'PCMA' | 'G722'), absent when none is open. */
  codec?: string;
  station: string;
}

export type RigResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: string; message: string } };
export type RigEvent = { ev: 'state'; state: BoardState };

/** Error codes of a failed request (docs/hil.md). */
export type RigErrorCode = 'AUTH' | 'VERSION' | 'BAD_REQUEST' | 'NO_SUCH_KEY' | 'UNSUPPORTED' | 'FAILED';

/**
 * Splits a byte stream into lines; a line longer than `max` is an error (the caller closes the
 * connection) instead of unbounded buffering.
 */
export class LineSplitter {
  private buf = '';
  constructor(private readonly max: number, private readonly onLine: (line: string) => void, private readonly onOverflow: () => void) {}
  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.trim()) this.onLine(line);
    }
    if (this.buf.length > this.max) { this.buf = ''; this.onOverflow(); }
  }
}
