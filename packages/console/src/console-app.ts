import type { LoadTaskOptions } from '@pgshift/kernel';
import type { TaskStore } from '@pgshift/tasks';
import type { Hono } from 'hono';
import type { TaskPoller } from './task-poller.js';

/** Who is using the console, set by the auth middleware on every request. */
export interface ConsoleSession {
  /**
   * The label recorded in task history as the action's origin, e.g. `console:admin`
   * (`console:local` on loopback); empty until the session has signed in.
   */
  origin: string;
  /** The token every state-changing request must carry (form field `_csrf` or header `x-csrf-token`). */
  csrfToken: string;
}

/** What the routes work on: the task store shared with the CLI and workers. */
export interface ConsoleDeps {
  store: TaskStore;
  /** Options for loading a task's config (plugins, redaction, logging), as the CLI's `task` commands use. */
  loadOptions(): LoadTaskOptions;
  /** Where the console keeps its own files (credentials, configs written by the form): 0700. */
  stateDir: string;
  /** The one poller of the store: live updates for every browser come from it. */
  poller: TaskPoller;
}

export type ConsoleEnv = { Variables: { session: ConsoleSession; sessionId: string } };
export type ConsoleApp = Hono<ConsoleEnv>;

/** One page or API area: adds its routes to the app. */
export type RouteModule = (app: ConsoleApp, deps: ConsoleDeps) => void;
