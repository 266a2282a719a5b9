import { InvalidArgumentError } from 'commander';

/** commander parser for --metrics-port: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port)');
  return port;
}
