import { connect } from 'node:net';

/** Opens and closes one TCP connection to host:port, or fails with the reason within timeoutMs. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((done, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      done();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(`cannot connect to ${host}:${port} (${error.code ?? error.message})`));
    });
  });
}
