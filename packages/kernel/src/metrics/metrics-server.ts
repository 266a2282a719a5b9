import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProgressMetrics } from './progress-metrics.js';

export interface MetricsServer {
  /** The port listened on (useful with port 0). */
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (and `/`) in the Prometheus text format. Listens on 127.0.0.1 unless a
 * host is given: metrics name databases and tables, which is not for every network.
 */
export async function startMetricsServer(
  metrics: ProgressMetrics,
  options: { port: number; host?: string },
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found; metrics are at /metrics\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
