import { randomBytes } from 'node:crypto';

/** A browser's session: its CSRF token, and who it is once signed in. */
export interface StoredSession {
  csrfToken: string;
  /** `console:<token label>` once signed in (or `console:local` on loopback); undefined before. */
  origin?: string;
  /** The label of the token it signed in with: the session ends when that token is revoked. */
  label?: string;
  lastSeen: number;
}

const IDLE_MS = 12 * 60 * 60 * 1000;
/** Sessions kept at most: a flood of cookieless requests evicts the oldest, never grows memory. */
const MAX_SESSIONS = 2000;

const randomId = () => randomBytes(32).toString('base64url');

/**
 * Sessions in memory, by the random id in the cookie: a restart signs everyone out, which is
 * what a restarted console (maybe with new tokens) should do.
 */
export class SessionBook {
  readonly #sessions = new Map<string, StoredSession>();

  get(id: string | undefined): StoredSession | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (Date.now() - session.lastSeen > IDLE_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeen = Date.now();
    // Map order is insertion order: re-inserting keeps the least recently used first.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return session;
  }

  /** A new session (a new id and CSRF token): at first visit, and again at sign-in (no fixation). */
  create(origin?: string, label?: string): { id: string; session: StoredSession } {
    while (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const id = randomId();
    const session: StoredSession = {
      csrfToken: randomId(),
      ...(origin ? { origin } : {}),
      ...(label ? { label } : {}),
      lastSeen: Date.now(),
    };
    this.#sessions.set(id, session);
    return { id, session };
  }

  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }
}
