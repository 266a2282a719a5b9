import type { TaskSummary } from '@pgshift/kernel';
import { streamSSE } from 'hono/streaming';
import type { RouteModule } from '../console-app.js';
import { listRowView } from '../list-row-view.js';

/**
 * `/events`: server-sent events from the one poller; `event: task` with the task's list summary
 * (as /api/tasks) and its list row's texts (`view`, as the list page renders them) whenever it
 * changed. A comment every 15 s keeps proxies from closing an idle stream.
 */
export const eventRoutes: RouteModule = (app, { poller }) => {
  app.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      const queue: TaskSummary[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = poller.subscribe((summary) => {
        queue.push(summary);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        while (!stream.aborted && !stream.closed) {
          const summary = queue.shift();
          if (summary) {
            await stream.writeSSE({
              event: 'task',
              data: JSON.stringify({ ...summary, view: listRowView(summary) }),
            });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 15_000);
          });
          wake = undefined;
          if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    }),
  );
};
