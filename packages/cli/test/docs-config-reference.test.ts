import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateConfigReference, REFERENCE_PATH } from '../../../scripts/gen-config-reference.js';

describe('docs/config-reference.md', () => {
  it('is what scripts/gen-config-reference.ts generates from the schemas now', async () => {
    const generated = await generateConfigReference();
    // Sanity: the generator covers the core schema and every kind of first-party plugin.
    for (const field of [
      '`task.name`',
      '`options.jobs`',
      '### `public-ip`',
      '### `check-disk-space`',
      '`loader-native`',
    ])
      expect(generated).toContain(field);
    expect(generated).toMatch(/`source\.password` \| secret: .* \*\*Secret\*\*/);
    const current = readFileSync(REFERENCE_PATH, 'utf8');
    if (current !== generated)
      throw new Error(
        'docs/config-reference.md is out of date with the config schemas: run `pnpm docs:config` and commit the result',
      );
  });
});
