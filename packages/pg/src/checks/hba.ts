/** Authentication method a remedy line suggests: scram-sha-256 where it is the server's default. */
export function hbaAuthMethod(serverVersionNum: number): string {
  return serverVersionNum >= 140000 ? 'scram-sha-256' : 'md5';
}

/** `203.0.113.7` -> `203.0.113.7/32`; addresses that already carry a mask stay as they are. */
export function hbaAddress(host: string | undefined): string {
  if (!host) return '<client address>/32';
  if (host.includes('/')) return host;
  return host.includes(':') ? `${host}/128` : `${host}/32`;
}

/**
 * The pg_hba.conf line that admits a logical replication connection. PostgreSQL 10 and later match
 * such connections (replication=database) against ordinary database lines; 9.4 to 9.6 match them
 * only against lines whose database field is the `replication` keyword.
 */
export function replicationHbaLine(
  serverVersionNum: number,
  database: string,
  user: string,
  host: string | undefined,
): string {
  const db = serverVersionNum >= 100000 ? hbaField(database) : 'replication';
  return `host    ${db}    ${hbaField(user)}    ${hbaAddress(host)}    ${hbaAuthMethod(serverVersionNum)}`;
}

/** The pg_hba.conf line that admits an ordinary connection. */
export function databaseHbaLine(
  serverVersionNum: number,
  database: string,
  user: string,
  host: string | undefined,
): string {
  return `host    ${hbaField(database)}    ${hbaField(user)}    ${hbaAddress(host)}    ${hbaAuthMethod(serverVersionNum)}`;
}

/** pg_hba.conf fields with spaces, quotes or upper case letters are written in double quotes. */
function hbaField(value: string): string {
  return /^[a-z0-9_.-]+$/.test(value) ? value : `"${value.replaceAll('"', '""')}"`;
}
