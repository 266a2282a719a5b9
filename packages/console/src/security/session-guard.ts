import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ConsoleEnv } from '../console-app.js';
import { refuse, wantsPage } from './refuse.js';
import type { SessionBook } from './sessions.js';
import type { TokenBook } from './tokens.js';

export const SESSION_COOKIE = 'pgshift_console';
/** The origin of console actions on loopback, where nobody signs in. */
export const LOCAL_ORIGIN = 'console:local';

export function setSessionCookie(c: Context, id: string): void {
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/' });
}

/**
 * Gives every request a session (a new one, with its cookie, at the first visit): its CSRF token
 * is in every page, and on loopback it is signed in as `console:local` from the start.
 */
export function sessionMiddleware(
  sessions: SessionBook,
  loopback: boolean,
  tokens: TokenBook,
): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    let stored = cookie ? sessions.get(cookie) : undefined;
    // Signed in with a token since revoked: signed out, from this request on.
    if (stored?.label !== undefined && !tokens.has(stored.label)) {
      sessions.delete(cookie);
      stored = undefined;
    }
    let id = cookie ?? '';
    if (!stored) {
      ({ id, session: stored } = sessions.create(loopback ? LOCAL_ORIGIN : undefined));
      setSessionCookie(c, id);
    }
    c.set('sessionId', id);
    c.set('session', { origin: stored.origin ?? '', csrfToken: stored.csrfToken });
    await next();
  };
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Every request but GET and HEAD must carry the session's CSRF token (header or form field). */
export function csrfMiddleware(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    let given = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    if (!given && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/'))) {
      // Parsed once and cached by Hono: the route reads the same body.
      const field = (await c.req.parseBody())._csrf;
      if (typeof field === 'string') given = field;
    }
    if (!given || !sameSecret(given, c.get('session').csrfToken))
      return refuse(
        c,
        'This request carries no valid CSRF token, so it was not carried out.',
        'reload the page and submit the form again (scripts send the x-csrf-token header from <meta name="csrf-token">)',
      );
    await next();
  };
}

/**
 * Pages, API and events only for a signed-in session (on loopback, every session is). A browser
 * opening a page is sent to the sign-in page; anything else gets a 403 that says why.
 */
export function requireSignIn(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (c.get('session').origin) return next();
    if (c.req.method === 'GET' && wantsPage(c)) return c.redirect('/login', 303);
    return refuse(
      c,
      'This console listens on a network address: sign in with its access token first.',
      'open /login and enter the token pgshift console printed when it first started',
    );
  };
}
