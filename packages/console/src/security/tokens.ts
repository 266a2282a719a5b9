import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** A label names who holds a token: it is the origin recorded in task history (`console:<label>`). */
const LABEL = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/**
 * The console's access tokens, kept as hashes. A token is 32 random bytes (base64url): hashing
 * without salt is enough for a secret with that much entropy. The file is read again when it
 * changed, so tokens added or revoked by `pgshift console --add-token/--revoke-token` take effect
 * in a console that is running.
 */
export class TokenBook {
  readonly #file: string;
  #tokens: StoredToken[] = [];
  #readAt = -1;

  constructor(readonly stateDir: string) {
    this.#file = join(stateDir, TOKENS_FILE);
  }

  #current(): StoredToken[] {
    const changedAt = existsSync(this.#file) ? statSync(this.#file).mtimeMs : 0;
    if (changedAt !== this.#readAt) {
      this.#tokens = changedAt === 0 ? [] : readTokens(this.#file);
      this.#readAt = changedAt;
    }
    return this.#tokens;
  }

  #write(tokens: StoredToken[]): void {
    ensurePrivateDir(this.stateDir);
    writeFileSync(this.#file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
    this.#tokens = tokens;
    this.#readAt = statSync(this.#file).mtimeMs;
  }

  get size(): number {
    return this.#current().length;
  }

  /** The labels, with when each token was made: never the tokens, which are not kept. */
  list(): { label: string; createdAt: string }[] {
    return this.#current().map(({ label, createdAt }) => ({ label, createdAt }));
  }

  has(label: string): boolean {
    return this.#current().some((t) => t.label === label);
  }

  /** Makes a token with `label`, keeps its hash, and returns the token: the only time it exists. */
  create(label: string): string {
    if (!LABEL.test(label))
      throw new PgshiftError('PGSHIFT_CONSOLE_TOKEN', `"${label}" is not a token label`, {
        remedy: 'use lower-case letters, digits, ".", "_" or "-", at most 40, e.g. --add-token alice',
      });
    if (this.has(label))
      throw new PgshiftError('PGSHIFT_CONSOLE_TOKEN', `a token labelled ${label} exists already`, {
        remedy: `pick another label, or revoke it first: pgshift console --revoke-token ${label}`,
      });
    const token = randomBytes(32).toString('base64url');
    this.#write([
      ...this.#current(),
      { label, sha256: sha256(token).toString('hex'), createdAt: new Date().toISOString() },
    ]);
    return token;
  }

  /** Removes the token of `label`: sessions signed in with it are signed out at their next request. */
  revoke(label: string): void {
    if (!this.has(label))
      throw new PgshiftError('PGSHIFT_CONSOLE_TOKEN', `no token is labelled ${label}`, {
        remedy: 'see the labels with: pgshift console --list-tokens',
      });
    this.#write(this.#current().filter((t) => t.label !== label));
  }

  /** The label of the token given, or undefined when it is none of ours. */
  labelOf(token: string): string | undefined {
    const given = sha256(token);
    for (const stored of this.#current()) {
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
