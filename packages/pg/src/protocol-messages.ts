/*
 * The PostgreSQL wire protocol's message framing, for the places that read or write a session's
 * bytes themselves (COPY forwarding, the replication stream): type byte, int32 length counting
 * itself, body.
 */

/** Type bytes of the messages those places look for. */
export const MESSAGE = {
  copyData: 0x64, // 'd', both directions
  copyDone: 0x63, // 'c', both directions
  errorResponse: 0x45, // 'E'
} as const;

/** A frontend message of type `code` (one character) around `body`. */
export function frontendMessage(code: string, body: Buffer): Buffer {
  const message = Buffer.allocUnsafe(5 + body.length);
  message[0] = code.charCodeAt(0);
  message.writeUInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}
