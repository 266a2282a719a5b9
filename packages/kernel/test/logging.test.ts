import { PassThrough } from 'node:stream';
import { ConfigError, PgshiftError, Secret } from '@pgshift/plugin-api';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, formatError } from '../src/logging/format-error.js';
import { createLogger } from '../src/logging/logger.js';
import { Redactor } from '../src/logging/redactor.js';

const SECRET = 'p@ss word/+&';

function capture(format: 'pretty' | 'json', level = 'debug') {
  const redactor = new Redactor();
  redactor.add(SECRET);
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = createLogger({ redactor, level, destination: out, format });
  return { logger, text: () => chunks.join('') };
}

describe('logger', () => {
  it('masks secrets in messages, nested fields, Secret objects, errors and URL-encoded forms', () => {
    for (const format of ['pretty', 'json'] as const) {
      const { logger, text } = capture(format);
      const child = logger.child({ plugin: 'x', bound: `b ${SECRET}` });
      child.info(`connecting with ${SECRET}`, {
        nested: { deep: [`url postgres://u:${encodeURIComponent(SECRET)}@h/db`] },
        password: new Secret(SECRET),
        error: new Error(`failed: ${SECRET}`),
      });
      child.debug('debug line');
      const written = text();
      expect(written).not.toContain(SECRET);
      expect(written).not.toContain(encodeURIComponent(SECRET));
      expect(written).toContain('connecting with [redacted]');
      expect(written).toContain('postgres://u:[redacted]@h/db');
      expect(written).toContain('debug line');
      if (format === 'json') expect(JSON.parse(written.split('\n')[0]!).plugin).toBe('x');
    }
  });

  it('honours the level', () => {
    const { logger, text } = capture('pretty', 'warn');
    logger.info('quiet');
    logger.warn('loud');
    expect(text()).not.toContain('quiet');
    expect(text()).toMatch(/WARN {2}loud/);
  });
});

describe('formatError', () => {
  it('prints code, message and remedy; every config problem on its own line; exit 2 only for config', () => {
    const config = new ConfigError([
      { path: 'source.port', message: 'must be an integer between 1 and 65535' },
      { path: 'mode', message: 'must be one of "full", "full+incremental"' },
    ]);
    expect(formatError(config)).toBe(
      'error[PGSHIFT_CONFIG_INVALID]: the config has 2 problems:\nsource.port: must be an integer between 1 and 65535\nmode: must be one of "full", "full+incremental"',
    );
    expect(exitCodeOf(config)).toBe(2);
    const other = new PgshiftError('PGSHIFT_X', 'something broke', { remedy: 'do this' });
    expect(formatError(other)).toBe('error[PGSHIFT_X]: something broke\nremedy: do this');
    expect(exitCodeOf(other)).toBe(1);
  });

  it('keeps unknown errors to one line without verbose, and masks secrets in stacks with it', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const error = new Error(`boom ${SECRET}\nsecond line`, { cause: new Error(`cause ${SECRET}`) });
    expect(formatError(error, { redactor })).toBe('error: boom [redacted]');
    const verbose = formatError(error, { redactor, verbose: true });
    expect(verbose).toContain('caused by: Error: cause [redacted]');
    expect(verbose).toMatch(/\n\s+at /);
    expect(verbose).not.toContain(SECRET);
  });
});
