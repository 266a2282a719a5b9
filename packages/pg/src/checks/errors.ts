import { TRANSIENT_SOCKET_CODES } from '../connection-loss.js';

/** A one-line description of an error from pg or the network, with its SQLSTATE or errno code. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message || error.name;
    return typeof code === 'string' && code.length > 0 && !text.includes(code) ? `${text} (${code})` : text;
  }
  return String(error);
}

/** The SQLSTATE (or Node errno code) of an error, when it has one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError && error.errors.length > 0) return errorCode(error.errors[0]);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** pg_hba.conf had no line for this connection (SQLSTATE 28000 with the server's wording). */
export function isHbaRejection(error: unknown): boolean {
  return errorCode(error) === '28000' && /pg_hba\.conf/.test(describeError(error));
}

/** The role may not start a walsender (no REPLICATION attribute); the wording changed over versions. */
export function isReplicationPrivilegeError(error: unknown): boolean {
  const detail = String((error as { detail?: unknown } | null)?.detail ?? '');
  return (
    errorCode(error) === '42501' &&
    /replication|WAL sender|walsender|superuser/i.test(`${describeError(error)} ${detail}`)
  );
}

/**
 * Errors raised before authentication: the server was never reached. The socket errors that may
 * pass (connection-loss's list) and a host name that does not resolve at all.
 */
export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  if (code && (code === 'ENOTFOUND' || TRANSIENT_SOCKET_CODES.has(code))) return true;
  return /timeout expired|Connection terminated due to connection timeout/i.test(describeError(error));
}

/** The client address the server saw, as PostgreSQL wrote it into an authentication error. */
export function clientHostFromError(error: unknown): string | undefined {
  const match = /host "([^"]+)"/.exec(describeError(error));
  return match?.[1];
}
