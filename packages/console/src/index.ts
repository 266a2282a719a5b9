export type { ConsoleApp, ConsoleDeps, ConsoleEnv, ConsoleSession, RouteModule } from './console-app.js';
