import type { Redactor } from './redactor.js';

interface CodedError {
  code: string;
  message: string;
  remedy?: string;
  problems?: ReadonlyArray<{ path: string; message: string }>;
}

/** PgshiftError by shape, so an error from another copy of plugin-api is still recognised. */
function coded(error: unknown): CodedError | undefined {
  const e = error as Partial<CodedError> | undefined;
  return e &&
    typeof e === 'object' &&
    typeof e.code === 'string' &&
    e.code.startsWith('PGSHIFT_') &&
    typeof e.message === 'string'
    ? (e as CodedError)
    : undefined;
}

/** 2 for a config problem (the user must edit the file), 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  return coded(error)?.code === 'PGSHIFT_CONFIG_INVALID' ? 2 : 1;
}

/**
 * The lines to print for an error: `error[CODE]: message`, every config problem on its own line,
 * then `remedy: ...`. Stack traces only when verbose. Every line passes the redactor.
 */
export function formatError(
  error: unknown,
  options: { redactor?: Redactor; verbose?: boolean } = {},
): string {
  const redact = (s: string) => (options.redactor ? options.redactor.redact(s) : s);
  const lines: string[] = [];
  const c = coded(error);
  if (c?.problems && c.problems.length > 0) {
    const n = c.problems.length;
    lines.push(`error[${c.code}]: the config has ${n} problem${n === 1 ? '' : 's'}:`);
    for (const p of c.problems) lines.push(p.path ? `${p.path}: ${p.message}` : p.message);
  } else if (c) {
    lines.push(`error[${c.code}]: ${c.message}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`error: ${message.split('\n')[0]}`);
  }
  if (c?.remedy) lines.push(`remedy: ${c.remedy}`);
  if (options.verbose && error instanceof Error && error.stack) {
    lines.push(error.stack);
    let cause = (error as { cause?: unknown }).cause;
    for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
      lines.push(`caused by: ${cause.stack ?? cause.message}`);
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return redact(lines.join('\n'));
}
