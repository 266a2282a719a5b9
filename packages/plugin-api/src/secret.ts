import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A secret value (password, key, token). It prints as `[redacted]` through every path a value
 * usually leaks by — string conversion, JSON, util.inspect — and gives its text only to `reveal()`.
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, safe to show (`env SOURCE_PASSWORD`, `file /run/x`, `inline`). */
  readonly origin: string;

  constructor(value: string, origin = 'inline') {
    this.#value = value;
    this.origin = origin;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}

export const REDACTED_TEXT = REDACTED;
