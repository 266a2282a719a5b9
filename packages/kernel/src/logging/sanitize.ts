import { isSecret, REDACTED_TEXT } from '@pgshift/plugin-api';
import type { Redactor } from './redactor.js';

/**
 * A copy of a log field value that is safe to write: secrets masked, strings redacted, errors
 * reduced to their code and message, depth and cycles bounded.
 */
export function sanitize(
  value: unknown,
  redactor: Redactor,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (isSecret(value)) return REDACTED_TEXT;
  if (seen.has(value) || depth > 6) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      message: redactor.redact(value.message),
      ...(code === undefined ? {} : { code }),
      ...(value.stack ? { stack: redactor.redact(value.stack) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => sanitize(v, redactor, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = sanitize(v, redactor, depth + 1, seen);
  return out;
}
