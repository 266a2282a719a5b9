import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ConsoleApp, ConsoleEnv } from '../console-app.js';
import { csrfField, layout } from '../layout.js';
import { setSessionCookie } from '../security/session-guard.js';
import type { SessionBook } from '../security/sessions.js';
import type { TokenBook } from '../security/tokens.js';

function loginPage(c: Context<ConsoleEnv>, message?: string) {
  const body = html`<h1>Sign in</h1>
${message ? html`<p role="alert" class="notice">${message}</p>` : ''}
<form method="post" action="/login" class="login">
${csrfField(c.get('session'))}
<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p>The token was printed once, when <code>pgshift console</code> first started on a network address.</p>`;
  return layout(c.get('session'), { title: 'Sign in', path: '/login' }, body);
}

/**
 * `/login` and `/logout`, before the sign-in guard. Signing in starts a new session (new id, new
 * CSRF token) whose origin is `console:<the token's label>`: a session id seen before sign-in is
 * worth nothing after it.
 */
export function loginRoutes(app: ConsoleApp, sessions: SessionBook, tokens: TokenBook): void {
  app.get('/login', (c) => c.html(loginPage(c)));
  app.post('/login', async (c) => {
    const token = (await c.req.parseBody()).token;
    const label = typeof token === 'string' && token ? tokens.labelOf(token) : undefined;
    if (!label) return c.html(loginPage(c, 'That is not a token of this console.'), 403);
    sessions.delete(c.get('sessionId'));
    const { id } = sessions.create(`console:${label}`, label);
    setSessionCookie(c, id);
    return c.redirect('/', 303);
  });
  app.post('/logout', (c) => {
    sessions.delete(c.get('sessionId'));
    return c.redirect('/login', 303);
  });
}
