import type { Duplex } from 'node:stream';
import type { Logger } from '@pgshift/plugin-api';
import { ForwardedStream } from './forwarded-stream.js';
import type { SshTunnel } from './tunnel.js';

/**
 * The tunnel of one route, for as long as the route is open: when the SSH connection drops (the
 * jump host restarts, a NAT forgets the flow), the next PostgreSQL connection opens a new one,
 * checked against the same host key rules, instead of failing for the rest of the run. Connections
 * already open through the dropped tunnel end with it; their owners reconnect.
 */
export class ReopeningTunnel {
  #current: SshTunnel;
  #reopening: Promise<SshTunnel> | undefined;
  #closed = false;
  readonly #reopen: () => Promise<SshTunnel>;
  readonly #logger: Logger;

  constructor(first: SshTunnel, reopen: () => Promise<SshTunnel>, logger: Logger) {
    this.#current = first;
    this.#reopen = reopen;
    this.#logger = logger;
  }

  get jumpHost(): string {
    return this.#current.jumpHost;
  }

  /** A stream factory for pg: each call opens a channel to host:port, reopening the tunnel if needed. */
  streamFactory(host: string, port: number): () => Duplex {
    return () => {
      const stream: ForwardedStream = new ForwardedStream((callback) => {
        this.#tunnel().then(
          (tunnel) => tunnel.forward(host, port, stream, callback),
          (error: Error) => callback(error),
        );
      });
      return stream;
    };
  }

  async probe(host: string, port: number, timeoutMs: number): Promise<void> {
    await (await this.#tunnel()).probe(host, port, timeoutMs);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const reopening = this.#reopening;
    await this.#current.close();
    await reopening?.then((tunnel) => tunnel.close()).catch(() => {});
  }

  #tunnel(): Promise<SshTunnel> {
    if (this.#closed) return Promise.reject(new Error(`the SSH tunnel through ${this.jumpHost} is closed`));
    if (!this.#current.dropped) return Promise.resolve(this.#current);
    // One reopening at a time, shared by every connection that asks meanwhile.
    this.#reopening ??= this.#reopen().then(
      (tunnel) => {
        this.#reopening = undefined;
        if (this.#closed) {
          void tunnel.close();
          throw new Error(`the SSH tunnel through ${this.jumpHost} is closed`);
        }
        this.#current = tunnel;
        this.#logger.info('SSH tunnel reopened', { jumpHost: tunnel.jumpHost });
        return tunnel;
      },
      (error: unknown) => {
        this.#reopening = undefined;
        throw error;
      },
    );
    return this.#reopening;
  }
}
