/**
 * Errors of the SCCP codec and framer. Every error names what was being processed and where,
 * so a log line is enough to find the offending byte in a capture (docs/architecture.md, "Errors
 * carry context").
 */

/** A PDU could not be decoded: body too short for a field, bad count, unknown id. */
export class SccpDecodeError extends Error {
  override readonly name = 'SccpDecodeError';
  constructor(
    /** Message name from the table, or `id 0x....` when the id is unknown. */
    readonly messageName: string,
    /** Field path, e.g. `caps[3].payloadCapability`; '' for header-level problems. */
    readonly fieldPath: string,
    /** Byte offset from the start of the PDU (header byte 0). */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`SCCP decode ${messageName}${fieldPath ? '.' + fieldPath : ''} at PDU offset ${offset}: ${detail}`);
  }
}

/** Fields given to encodeMessage do not fit the table layout. */
export class SccpEncodeError extends Error {
  override readonly name = 'SccpEncodeError';
  constructor(
    readonly messageName: string,
    readonly fieldPath: string,
    readonly detail: string,
  ) {
    super(`SCCP encode ${messageName}${fieldPath ? '.' + fieldPath : ''}: ${detail}`);
  }
}

/** The TCP byte stream is not a valid sequence of SCCP PDUs; the caller should drop the connection. */
export class SccpFrameError extends Error {
  override readonly name = 'SccpFrameError';
  constructor(
    /** Offset in the TCP stream (bytes since the framer was created) of the bad header. */
    readonly streamOffset: number,
    readonly length: number,
    readonly detail: string,
  ) {
    super(`SCCP framing error at stream offset ${streamOffset} (length field ${length}): ${detail}`);
  }
}
