import { isSecret, type Secret } from '@pgshift/plugin-api';

/** A secret field as a connector receives it: a Secret from the kernel, or plain text from a test. */
export type SecretValue = Secret | string;

export function revealSecret(value: SecretValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return isSecret(value) ? value.reveal() : value;
}
