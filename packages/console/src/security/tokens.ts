import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgshiftError } from '@pgshift/plugin-api';
import { ensurePrivateDir } from './state-dir.js';

/** The file of token hashes in the console's state directory (0600). */
export const TOKENS_FILE = 'tokens.json';

interface StoredToken {
  label: string;
  /** SHA-256 of the token, hex: the token itself is shown once and never kept. */
  sha256: string;
  createdAt: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * The console's access tokens, kept as hashes. A token is 32 random bytes (base64url): hashing
 * without salt is enough for a secret with that much entropy.
 */
export class TokenBook {
  readonly #file: string;
  #tokens: StoredToken[];

  constructor(readonly stateDir: string) {
    this.#file = join(stateDir, TOKENS_FILE);
    this.#tokens = existsSync(this.#file) ? readTokens(this.#file) : [];
  }

  get size(): number {
    return this.#tokens.length;
  }

  /** Makes a token with `label`, keeps its hash, and returns the token: the only time it exists. */
  create(label: string): string {
    const token = randomBytes(32).toString('base64url');
    this.#tokens.push({ label, sha256: sha256(token).toString('hex'), createdAt: new Date().toISOString() });
    ensurePrivateDir(this.stateDir);
    writeFileSync(this.#file, `${JSON.stringify(this.#tokens, null, 2)}\n`, { mode: 0o600 });
    return token;
  }

  /** The label of the token given, or undefined when it is none of ours. */
  labelOf(token: string): string | undefined {
    const given = sha256(token);
    for (const stored of this.#tokens) {
      const hash = Buffer.from(stored.sha256, 'hex');
      if (hash.length === given.length && timingSafeEqual(hash, given)) return stored.label;
    }
    return undefined;
  }
}

function readTokens(file: string): StoredToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PgshiftError('PGSHIFT_CONSOLE_STATE', `${file} is not readable JSON`, {
      remedy: `remove ${file}: the next start makes a new token (the old one stops working)`,
      cause: error,
    });
  }
  const valid = (t: unknown): t is StoredToken =>
    typeof t === 'object' &&
    t !== null &&
    typeof (t as StoredToken).label === 'string' &&
    typeof (t as StoredToken).sha256 === 'string';
  if (!Array.isArray(parsed) || !parsed.every(valid))
    throw new PgshiftError('PGSHIFT_CONSOLE_STATE', `${file} does not hold a list of token hashes`, {
      remedy: `remove ${file}: the next start makes a new token (the old one stops working)`,
    });
  return parsed;
}
