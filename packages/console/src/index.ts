export type { ConsoleApp, ConsoleDeps, ConsoleEnv, ConsoleSession, RouteModule } from './console-app.js';
export { csrfField, layout, type PageOptions } from './layout.js';
export { DEFAULT_LISTEN, type ListenAddress, parseListen } from './listen-address.js';
export { taskNotFound } from './routes/not-found.js';
export { LOCAL_ORIGIN } from './security/session-guard.js';
export { consoleStateDir } from './security/state-dir.js';
export { TokenBook } from './security/tokens.js';
export { type ConsoleHandle, type StartConsoleOptions, startConsole } from './start-console.js';
