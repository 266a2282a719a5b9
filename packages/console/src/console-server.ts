import { PgshiftError } from '@pgshift/plugin-api';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { ConsoleDeps, ConsoleEnv, RouteModule } from './console-app.js';
import type { ListenAddress } from './listen-address.js';
import { assetRoutes } from './routes/assets.js';
import { ROUTES } from './routes/index.js';
import { loginRoutes } from './routes/login.js';
import { hostGuard } from './security/host-guard.js';
import { csrfMiddleware, requireSignIn, sessionMiddleware } from './security/session-guard.js';
import type { SessionBook } from './security/sessions.js';
import type { TokenBook } from './security/tokens.js';

/** The Content-Security-Policy: our own scripts and styles only, nothing inline, no framing. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/**
 * The console's Hono app, in the order each request meets it: secure headers; the Host/Origin
 * guard; public assets; a session (with its CSRF token) for everyone; the CSRF check on every
 * POST; sign-in; then, for signed-in sessions only, the pages and the API.
 */
export function consoleServer(
  deps: ConsoleDeps,
  security: { listen: ListenAddress; sessions: SessionBook; tokens: TokenBook },
  log: (line: string) => void,
  routes: readonly RouteModule[] = ROUTES,
): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: CSP,
      // Not no-referrer: under it browsers send `Origin: null` even on our own form posts, and
      // the Host/Origin guard refuses those.
      referrerPolicy: 'same-origin',
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(hostGuard(security.listen));
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('cache-control', 'no-store');
  });
  assetRoutes(app);
  app.use(sessionMiddleware(security.sessions, security.listen.loopback, security.tokens));
  app.use(csrfMiddleware());
  loginRoutes(app, security.sessions, security.tokens);
  app.use(requireSignIn());
  for (const route of routes) route(app, deps);
  app.onError((error, c) => {
    // The message may name a task or a server, never a secret (the store and loaders redact);
    // anything else is logged with its code only, and the browser gets no details.
    const known = error instanceof PgshiftError;
    log(
      `console: ${c.req.method} ${c.req.path} failed: ${known ? `${error.code}: ${error.message}` : error.name}`,
    );
    return c.json(
      known
        ? { error: { code: error.code, message: error.message, remedy: error.remedy ?? '' } }
        : {
            error: {
              code: 'PGSHIFT_CONSOLE_ERROR',
              message: 'the console failed to answer; its log says why',
            },
          },
      500,
    );
  });
  return app;
}
