import type { Logger } from '@pgshift/plugin-api';
import pino from 'pino';
import type { Redactor } from './redactor.js';
import { sanitize } from './sanitize.js';

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  redactor: Redactor;
  /** pino level: trace, debug, info, warn, error, fatal, silent. */
  level?: string;
  /** Where lines go; default stderr. */
  destination?: NodeJS.WritableStream;
  format?: LogFormat;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** One pino JSON line as `12:00:01.234 INFO  message key=value`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = (LEVEL_NAMES[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return `${time} ${level} ${entry.msg ?? ''}${fields.length ? ` ${fields.join(' ')}` : ''}\n`;
}

class RedactingLogger implements Logger {
  readonly #pino: pino.Logger;
  readonly #redactor: Redactor;

  constructor(instance: pino.Logger, redactor: Redactor) {
    this.#pino = instance;
    this.#redactor = redactor;
  }

  #write(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) {
    const safe = fields === undefined ? {} : (sanitize(fields, this.#redactor) as Record<string, unknown>);
    this.#pino[level](safe, this.#redactor.redact(message));
  }

  debug(message: string, fields?: Record<string, unknown>) {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>) {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>) {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>) {
    this.#write('error', message, fields);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new RedactingLogger(
      this.#pino.child(sanitize(bindings, this.#redactor) as Record<string, unknown>),
      this.#redactor,
    );
  }
}

/**
 * A pino logger that redacts every message and field; each written line passes the redactor once
 * more, so a secret that reached pino another way is masked as well.
 */
export function createLogger(options: LoggerOptions): Logger {
  const out = options.destination ?? process.stderr;
  const format = options.format ?? 'pretty';
  const destination = {
    write(line: string) {
      out.write(options.redactor.redact(format === 'pretty' ? prettyLine(line) : line));
    },
  };
  const instance = pino({ level: options.level ?? 'info', base: undefined }, destination);
  return new RedactingLogger(instance, options.redactor);
}
