import { taskDetail, taskSummary } from '@pgshift/kernel';
import type { RouteModule } from '../console-app.js';
import { taskNotFound } from './not-found.js';

/** The JSON API: the same objects as `pgshift task list --json` and `task show NAME --json`. */
export const apiRoutes: RouteModule = (app, { store }) => {
  app.get('/api/tasks', async (c) => c.json((await store.list()).map(taskSummary)));
  app.get('/api/tasks/:name', async (c) => {
    const record = await store.get(c.req.param('name'));
    if (!record) return taskNotFound(c, c.req.param('name'));
    return c.json(taskDetail(record));
  });
};
