/**
 * Whether an error means a connection was lost or could not be made for a reason that may pass
 * (a server restarting, a dropped socket, a terminated backend, a tunnel that went down), so the
 * same work can be tried again once the server answers. Errors about what was asked (a missing
 * table, a refused password, a constraint) are never a connection loss: retrying would fail the
 * same way.
 *
 * Returns the reason in a few words for status and logs, or undefined.
 */
export function connectionLoss(error: unknown): string | undefined {
  for (let seen = error, depth = 0; seen && depth < 8; seen = (seen as { cause?: unknown }).cause, depth++) {
    const reason = ownReason(seen);
    if (reason) return reason;
  }
  return undefined;
}

/** SQLSTATEs of connections the server ended or would not take for now. */
const SERVER_SIDE: Record<string, string> = {
  '57P01': 'the server ended the session (shutdown or pg_terminate_backend)',
  '57P02': 'the server ended the session (crash)',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has no free connection slots',
};

/** Operating-system errors of a socket that can pass: the one list, also for the connectivity checks. */
export const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * node-postgres and ssh2 say these without a code. A route error that is none of these (a host
 * key refused, a wrong password) is not retried: its cause names no lost connection.
 */
const LOST_MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /SSH tunnel .* is closed/i,
  /the source ended the replication stream/i,
  /server closed the connection unexpectedly/i,
  // ssh2: the jump host could not open a channel to the server (it is restarting, say).
  /channel open failure/i,
  /no SSH session within/i,
];

function ownReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string') {
    if (code in SERVER_SIDE) return SERVER_SIDE[code];
    // SQLSTATE class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return `connection exception (${code}): ${text}`;
    if (TRANSIENT_SOCKET_CODES.has(code)) return `${code}: ${text}`;
  }
  return LOST_MESSAGES.some((pattern) => pattern.test(text)) ? text : undefined;
}
