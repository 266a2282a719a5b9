import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('pgshift explain', () => {
  it('explains a code given without its prefix, and refuses one that does not exist', async () => {
    const known = await runCli(['explain', 'snapshot_lost']);
    expect(known.code, known.stderr).toBe(0);
    expect(known.stdout).toContain('PGSHIFT_SNAPSHOT_LOST');
    expect(known.stdout).toMatch(/remedy: run again with --on-lost-snapshot restart/);
    expect(known.stdout).toContain(
      'docs:   docs/troubleshooting.md#snapshot-lost-after-a-crash-during-the-full-copy',
    );
    const unknown = await runCli(['explain', 'no_such_code']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('error[PGSHIFT_USAGE]: no error code no_such_code');
    expect(unknown.stderr).not.toContain('    at ');
  });
});
