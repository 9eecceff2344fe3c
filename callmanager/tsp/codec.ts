/**
 * AddPac TSP text protocol (seed 002 "AddPac TSP Message Structure"; docs/tsp.md §2):
 *   Action % <Name> % <Data> \r\n\r\n          Response % Success|Fail [% reason] \r\n\r\n
 *   Notify % CALL_STATE|CALL_INFO % TerminalId % CallState % CallId % CallerName % CallerId
 *          % CalleeName % CalleeId \r\n\r\n
 * Spaces/tabs around '%' are tolerated; keywords are matched case-insensitively and emitted in the
 * seed's spelling. Each frame ends with CR LF CR LF; a frame may not contain other line breaks.
 */
import { StringDecoder } from 'node:string_decoder';
import { TSP_CALL_STATES, type TspCallEvent, type TspCallState } from './control.js';

export const TSP_TERMINATOR = '\r\n\r\n';
/** Longest frame (terminator excluded): 9 fields × 64 chars + separators fits comfortably. */
export const TSP_MAX_FRAME = 1024;
export const TSP_ACTIONS = ['Login', 'Logout', 'Dial', 'Drop'] as const;
export type TspActionName = (typeof TSP_ACTIONS)[number];

export type TspFrame =
  | { kind: 'Action'; action: 'Login'; user: string; secret: string }
  | { kind: 'Action'; action: 'Logout' }
  | { kind: 'Action'; action: 'Dial'; address: string }
  | { kind: 'Action'; action: 'Drop'; callId?: string }
  | { kind: 'Response'; result: 'Success' | 'Fail'; reason?: string }
  | ({ kind: 'Notify' } & TspCallEvent);

/** A frame as `--trace` shows it: its name (Action/Login, Response, Notify) and fields, the secret masked. */
export function tspTrace(f: TspFrame): { name: string; fields: Record<string, unknown> } {
  const { kind, ...rest } = f as TspFrame & Record<string, unknown>;
  const fields: Record<string, unknown> = { ...rest };
  let name: string = kind;
  if (kind === 'Action') { name = `Action/${String(fields['action'])}`; delete fields['action']; }
  if ('secret' in fields) fields['secret'] = '***';
  return { name, fields };
}

export class TspParseError extends Error {
  constructor(readonly what: string, /** Byte offset of the frame in the session's stream. */ readonly offset: number,
    /** Which field (0-based, split at '%') was wrong, if known. */ readonly field?: number) {
    super(`TSP: ${what} (frame at byte ${offset}${field !== undefined ? `, field ${field}` : ''})`);
    this.name = 'TspParseError';
  }
}

function pick<T extends string>(list: readonly T[], v: string): T | undefined {
  const lc = v.toLowerCase();
  return list.find((x) => x.toLowerCase() === lc);
}

/**
 * The one whitespace definition of the format (docs/tsp.md §2): space and tab around a '%'
 * separator are padding. Both the parser and the encoder trim exactly these, so every frame the
 * encoder builds parses back to the same fields; other Unicode spaces (U+00A0 ...) are content.
 */
export const trimTspField = (s: string): string => s.replace(/^[ \t]+|[ \t]+$/g, '');

/** Parses one frame (terminator already removed). */
export function parseTspFrame(text: string, offset = 0): TspFrame {
  if (/[\r\n]/.test(text)) throw new TspParseError('line break inside a frame (frames end with CR LF CR LF only)', offset);
  const f = text.split('%').map(trimTspField);
  const kind = pick(['Action', 'Response', 'Notify'] as const, f[0]!);
  const need = (n: number, what: string): void => {
    if (f.length !== n) throw new TspParseError(`${what} has ${f.length} fields, expected ${n}: ${what}`, offset, Math.min(f.length, n));
  };
  switch (kind) {
    case 'Action': {
      const action = pick(TSP_ACTIONS, f[1] ?? '');
      if (!action) {
        throw new TspParseError(`unknown action ${JSON.stringify(f[1] ?? '')} (expected ${TSP_ACTIONS.join(', ')})`, offset, 1);
      }
      switch (action) {
        case 'Login':
          need(4, 'Action % Login % <user> % <secret>');
          if (!f[2]) throw new TspParseError('empty user name', offset, 2);
          return { kind, action, user: f[2], secret: f[3]! };
        case 'Logout':
          need(2, 'Action % Logout');
          return { kind, action };
        case 'Dial':
          need(3, 'Action % Dial % <address>');
          if (!f[2]) throw new TspParseError('empty dial address', offset, 2);
          return { kind, action, address: f[2] };
        case 'Drop':
          if (f.length !== 2 && f.length !== 3) need(2, 'Action % Drop [% <callId>]');
          return f[2] ? { kind, action, callId: f[2] } : { kind, action };
      }
      break;
    }
    case 'Response': {
      const result = pick(['Success', 'Fail'] as const, f[1] ?? '');
      if (!result) throw new TspParseError(`response result ${JSON.stringify(f[1] ?? '')} (expected Success or Fail)`, offset, 1);
      if (f.length > 3) need(3, 'Response % <result> [% <reason>]');
      return f[2] ? { kind, result, reason: f[2] } : { kind, result };
    }
    case 'Notify': {
      const event = pick(['CALL_STATE', 'CALL_INFO'] as const, f[1] ?? '');
      if (!event) throw new TspParseError(`notify type ${JSON.stringify(f[1] ?? '')} (expected CALL_STATE or CALL_INFO)`, offset, 1);
      need(9, 'Notify % <type> % TerminalId % CallState % CallId % CallerName % CallerId % CalleeName % CalleeId');
      const callState = pick(TSP_CALL_STATES, f[3]!) as TspCallState | undefined;
      if (!callState) throw new TspParseError(`call state ${JSON.stringify(f[3])} (expected ${TSP_CALL_STATES.join(', ')})`, offset, 3);
      return { kind, event, terminalId: f[2]!, callState, callId: f[4]!, callerName: f[5]!, callerId: f[6]!,
        calleeName: f[7]!, calleeId: f[8]! };
    }
  }
  throw new TspParseError(`frame starts with ${JSON.stringify(f[0]!.slice(0, 20))} (expected Action, Response or Notify)`, offset, 0);
}

/** A field cannot carry '%' or line breaks: they are replaced by a space (docs/tsp.md §2.3). */
const clean = (s: string): string => trimTspField(s.replace(/[%\r\n]/g, ' '));

export function encodeTspFrame(f: TspFrame): string {
  let fields: string[];
  switch (f.kind) {
    case 'Action':
      fields = f.action === 'Login' ? ['Action', 'Login', f.user, f.secret]
        : f.action === 'Dial' ? ['Action', 'Dial', f.address]
          : f.action === 'Drop' && f.callId !== undefined ? ['Action', 'Drop', f.callId] : ['Action', f.action];
      break;
    case 'Response':
      fields = f.reason !== undefined ? ['Response', f.result, f.reason] : ['Response', f.result];
      break;
    case 'Notify':
      fields = ['Notify', f.event, f.terminalId, f.callState, f.callId, f.callerName, f.callerId, f.calleeName, f.calleeId];
      break;
  }
  return fields.map(clean).join(' % ') + TSP_TERMINATOR;
}

/**
 * Dial addresses from Outlook/TAPI arrive formatted ("+82 (2) 568-3848"): drop the visual
 * separators space ( ) - . / and accept [0-9*#+] (max 32, the SSCP digits limit).
 */
export function normaliseDialAddress(addr: string): string | undefined {
  const d = addr.replace(/[ \t().\/-]/g, '');
  return /^\+?[0-9*#]{1,32}$/.test(d) ? d : undefined;
}

export type TspFramerItem = { frame: TspFrame; offset: number } | { error: TspParseError; fatal: boolean };

/** Splits a TCP byte stream into frames; keeps partial input; caps frame length. */
export class TspFramer {
  private buf = '';
  private consumed = 0;
  private readonly utf8 = new StringDecoder('utf8');   // keeps a multi-byte char split across reads
  constructor(private readonly maxFrame = TSP_MAX_FRAME) {}

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number { return Buffer.byteLength(this.buf); }

  push(chunk: Buffer | string): TspFramerItem[] {
    this.buf += typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    const out: TspFramerItem[] = [];
    for (let end = this.buf.indexOf(TSP_TERMINATOR); end >= 0; end = this.buf.indexOf(TSP_TERMINATOR)) {
      const text = this.buf.slice(0, end);
      const offset = this.consumed;
      this.buf = this.buf.slice(end + TSP_TERMINATOR.length);
      this.consumed += Buffer.byteLength(text) + TSP_TERMINATOR.length;
      if (Buffer.byteLength(text) > this.maxFrame) {
        out.push({ error: new TspParseError(`frame longer than ${this.maxFrame} bytes`, offset), fatal: false });
        continue;
      }
      if (trimTspField(text) === '') continue;                   // stray blank lines between frames
      try {
        out.push({ frame: parseTspFrame(text, offset), offset });
      } catch (e) {
        out.push({ error: e as TspParseError, fatal: false });
      }
    }
    if (Buffer.byteLength(this.buf) > this.maxFrame + TSP_TERMINATOR.length) {
      out.push({ error: new TspParseError(`no CR LF CR LF terminator within ${this.maxFrame} bytes`, this.consumed), fatal: true });
      this.buf = '';
    }
    return out;
  }
}
