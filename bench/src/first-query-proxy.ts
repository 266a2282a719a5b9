import { connect, createServer, type Server, type Socket } from 'node:net';

/** Startup-phase requests carry no type byte; their code follows the length. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * A TCP relay in front of a PostgreSQL server that notes when the first query of any client
 * arrives: the first simple Query ('Q') or Parse ('P') message after a connection's startup.
 * Only the client's side is read, and only as far as that first message.
 */
export class FirstQueryProxy {
  readonly #listener: Server;
  readonly #sockets = new Set<Socket>();
  #waiting: ((at: number) => void) | undefined;
  port = 0;

  private constructor(listener: Server) {
    this.#listener = listener;
  }

  static async start(to: { host: string; port: number }): Promise<FirstQueryProxy> {
    const proxy = new FirstQueryProxy(createServer((client) => proxy.#relay(client, to)));
    await new Promise<void>((done) => proxy.#listener.listen(0, '127.0.0.1', done));
    proxy.port = (proxy.#listener.address() as { port: number }).port;
    return proxy;
  }

  /** Resolves with performance.now() at the next first query of a connection made from now on. */
  nextFirstQuery(): Promise<number> {
    return new Promise((done) => {
      this.#waiting = done;
    });
  }

  #relay(client: Socket, to: { host: string; port: number }): void {
    const server = connect(to.port, to.host);
    for (const socket of [client, server]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.pipe(server).on('error', () => {});
    server.pipe(client).on('error', () => {});
    let buffered = Buffer.alloc(0);
    let started = false;
    const watch = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          const code = buffered.readInt32BE(4);
          if (buffered.length < length) return;
          buffered = buffered.subarray(length);
          // After SSLRequest or GSSENCRequest the startup message itself follows.
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) started = true;
          continue;
        }
        if (buffered.length < 5) return;
        const type = String.fromCharCode(buffered[0] as number);
        if (type === 'Q' || type === 'P') {
          const at = performance.now();
          client.off('data', watch);
          const waiting = this.#waiting;
          this.#waiting = undefined;
          waiting?.(at);
          return;
        }
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) return;
        buffered = buffered.subarray(1 + length);
      }
    };
    client.on('data', watch);
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((done) => this.#listener.close(() => done()));
  }
}
