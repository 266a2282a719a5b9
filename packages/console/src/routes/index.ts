import type { RouteModule } from '../console-app.js';
import { apiRoutes } from './api.js';
import { eventRoutes } from './events.js';
import { newTaskRoutes } from './new-task.js';
import { pluginRoutes } from './plugins.js';
import { taskDetailRoutes } from './task-detail.js';
import { taskListRoutes } from './task-list.js';
import { verifyRoutes } from './verify.js';

/**
 * The page and API modules behind the sign-in guard, in order: Hono runs the first route that
 * matches, so `/tasks/new`, `/tasks/import` and `/tasks/NAME/verify` (the new-task and verify
 * modules) come before the detail's `/tasks/:name`.
 */
export const ROUTES: readonly RouteModule[] = [
  taskListRoutes,
  newTaskRoutes,
  verifyRoutes,
  taskDetailRoutes,
  apiRoutes,
  pluginRoutes,
  eventRoutes,
];
