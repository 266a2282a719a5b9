import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { LoadTaskOptions } from '@pgshift/kernel';
import type { TaskStore } from '@pgshift/tasks';
import type { RouteModule } from './console-app.js';
import { consoleServer } from './console-server.js';
import { hostPort, type ListenAddress, parseListen, reachableHost } from './listen-address.js';
import { SessionBook } from './security/sessions.js';
import { consoleStateDir, ensurePrivateDir } from './security/state-dir.js';
import { TokenBook } from './security/tokens.js';
import { TaskPoller } from './task-poller.js';

export interface StartConsoleOptions {
  store: TaskStore;
  /** `host:port`; default 127.0.0.1:7432. Port 0 picks a free one (tests). */
  listen?: string;
  /** Default $PGSHIFT_CONSOLE_DIR or ~/.pgshift/console. */
  stateDir?: string;
  loadOptions?: () => LoadTaskOptions;
  /** How often the one poller reads the store for live updates. */
  pollMs?: number;
  /** Messages for the operator (request failures, store errors); never holds a secret. */
  log?: (line: string) => void;
  /** The route modules; default every page of the console. */
  routes?: readonly RouteModule[];
}

export interface ConsoleHandle {
  url: string;
  listen: ListenAddress;
  /** Made at this start (a network address, no token yet): to be shown once, then it is gone. */
  newToken?: { label: string; token: string };
  close(): Promise<void>;
}

/**
 * Starts the console over `store`. On a non-loopback address a token is required: the first
 * start makes one (label "admin") and returns it once in `newToken`; only its hash is kept.
 */
export async function startConsole(options: StartConsoleOptions): Promise<ConsoleHandle> {
  const listen = parseListen(options.listen);
  const stateDir = options.stateDir ?? consoleStateDir();
  ensurePrivateDir(stateDir);
  const tokens = new TokenBook(stateDir);
  const newToken =
    !listen.loopback && tokens.size === 0 ? { label: 'admin', token: tokens.create('admin') } : undefined;
  const log = options.log ?? (() => {});
  const poller = new TaskPoller(options.store, options.pollMs ?? 1000, (error) =>
    log(`console: reading the task store failed (${(error as Error).message}); retrying every second`),
  );
  const app = consoleServer(
    { store: options.store, loadOptions: options.loadOptions ?? (() => ({})), stateDir, poller },
    { listen, sessions: new SessionBook(), tokens },
    log,
    options.routes,
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: listen.host, port: listen.port }, () => resolve(s));
    s.once('error', reject);
  });
  // The guards read the bound port (port 0 picks one).
  listen.port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostPort(reachableHost(listen), listen.port)}/`,
    listen,
    ...(newToken ? { newToken } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        poller.stop();
        server.close(() => resolve());
        // Event streams never end by themselves: close them with every idle keep-alive socket.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
