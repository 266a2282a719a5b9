import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The fingerprint OpenSSH prints for a host key blob: `SHA256:` and unpadded base64. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Names a host takes in known_hosts: `host` on port 22, `[host]:port` otherwise. */
function hostPatterns(host: string, port: number): string[] {
  return port === 22 ? [host, `[${host}]:22`] : [`[${host}]:${port}`];
}

function hostMatches(field: string, names: readonly string[]): boolean {
  if (field.startsWith('|1|')) {
    // Hashed entry: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const key = Buffer.from(salt, 'base64');
    return names.some((name) => createHmac('sha1', key).update(name).digest('base64') === hash);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const text = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(
      `^${text
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (names.some((name) => regex.test(name))) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** What a known_hosts file says of host:port, as OpenSSH reads it. */
export interface KnownHost {
  /** Host keys listed for it. */
  keys: Buffer[];
  /** Keys marked `@revoked` for it: never accepted, whatever else says so. */
  revoked: Buffer[];
}

/**
 * Reads a known_hosts file for host:port. `@cert-authority` lines name a CA that signs host
 * certificates, not a host key, so they do not make a plain key trusted.
 */
export function readKnownHosts(file: string, host: string, port: number): KnownHost {
  const names = hostPatterns(host, port);
  const known: KnownHost = { keys: [], revoked: [] };
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [hosts, , blob] = fields;
    if (!hosts || !blob || !hostMatches(hosts, names)) continue;
    if (marker === '@revoked') known.revoked.push(Buffer.from(blob, 'base64'));
    else if (marker === undefined) known.keys.push(Buffer.from(blob, 'base64'));
  }
  return known;
}

/** Key blobs trusted for host:port in a known_hosts file (revoked and CA entries excluded). */
export function knownHostKeys(file: string, host: string, port: number): Buffer[] {
  const { keys, revoked } = readKnownHosts(file, host, port);
  return keys.filter((key) => !revoked.some((r) => r.equals(key)));
}
