/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01), for protocol timestamps. */
export const PG_EPOCH_OFFSET_US = 946_684_800_000_000n;

/** The WAL position stored at `offset` (two big-endian 32-bit halves), written as PostgreSQL does. */
export function lsnAt(buffer: Buffer, offset: number): string {
  const high = buffer.readUInt32BE(offset);
  const low = buffer.readUInt32BE(offset + 4);
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/**
 * Splits the bytes a server sends into protocol messages (type byte, int32 length counting
 * itself, body) and hands each one over with its body as a view of the received chunk, without
 * copying. A message cut across chunks is gathered first; a large one (a TOASTed value of many
 * megabytes) is joined once, when all of it has arrived.
 */
export class BackendMessageReader {
  readonly #onMessage: (code: number, body: Buffer) => void;
  /** Bytes of an unfinished message, and how long the whole message is once its header is in. */
  #parts: Buffer[] = [];
  #partBytes = 0;
  #needed = 0;

  constructor(onMessage: (code: number, body: Buffer) => void) {
    this.#onMessage = onMessage;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.#partBytes > 0) {
      this.#parts.push(chunk);
      this.#partBytes += chunk.length;
      if (this.#needed === 0 && this.#partBytes >= 5) this.#needed = this.#lengthOfParts();
      // Still incomplete: keep gathering, without joining anything yet.
      if (this.#needed === 0 || this.#partBytes < this.#needed) return;
      data = Buffer.concat(this.#parts, this.#partBytes);
      this.#parts = [];
      this.#partBytes = 0;
      this.#needed = 0;
    }
    let offset = 0;
    const end = data.length;
    while (end - offset >= 5) {
      const next = offset + 1 + data.readUInt32BE(offset + 1);
      if (next > end) break;
      this.#onMessage(data[offset] as number, data.subarray(offset + 5, next));
      offset = next;
    }
    if (offset < end) {
      const rest = data.subarray(offset);
      this.#parts = [rest];
      this.#partBytes = rest.length;
      this.#needed = rest.length >= 5 ? 1 + rest.readUInt32BE(1) : 0;
    }
  }

  /** Total length of the message the gathered parts start with (they hold at least 5 bytes). */
  #lengthOfParts(): number {
    const head = Buffer.concat(this.#parts, this.#partBytes).subarray(0, 5);
    return 1 + head.readUInt32BE(1);
  }
}

/** The fields of an ErrorResponse body: severity, SQLSTATE and message. */
export function errorFields(body: Buffer): { severity?: string; code?: string; message: string } {
  const fields: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const type = String.fromCharCode(body[offset] as number);
    const end = body.indexOf(0, offset + 1);
    if (end < 0) break;
    fields[type] = body.toString('utf8', offset + 1, end);
    offset = end + 1;
  }
  return {
    ...(fields.S ? { severity: fields.S } : {}),
    ...(fields.C ? { code: fields.C } : {}),
    message: fields.M ?? 'the server reported an error without a message',
  };
}
