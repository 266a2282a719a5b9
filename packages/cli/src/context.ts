import type { Redactor } from '@pgshift/kernel';

/** Options every command understands. */
export interface GlobalOptions {
  verbose?: boolean;
  logLevel?: string;
}

/** What commands share: output streams and the redactors of secrets met so far. */
export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Redactors of tasks loaded by the running command; errors pass through all of them. */
  redactors: Redactor[];
  /** Writes one line (or block) to stdout, redacted. */
  print(text: string): void;
  /** Writes one line (or block) to stderr, redacted. */
  warn(text: string): void;
  redact(text: string): string;
}

export function createContext(
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): CliContext {
  const ctx: CliContext = {
    stdout,
    stderr,
    redactors: [],
    redact(text) {
      return ctx.redactors.reduce((acc, r) => r.redact(acc), text);
    },
    print(text) {
      stdout.write(`${ctx.redact(text)}\n`);
    },
    warn(text) {
      stderr.write(`${ctx.redact(text)}\n`);
    },
  };
  return ctx;
}
