import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { readState, shopServers, writeConfig } from './support.js';

describe('a task whose prechecks failed', () => {
  // An unlogged table cannot be followed: a Failed item in full+incremental mode.
  const servers = shopServers(
    'CREATE UNLOGGED TABLE items (id int PRIMARY KEY, name text); INSERT INTO items VALUES (1, $$a$$)',
  );
  const { dir } = servers;

  it('checks again when run again, and starts only once they pass', async () => {
    const { source, target } = servers;
    const config = writeConfig(dir, 'rerun', source, target, { mode: 'full+incremental' });
    const first = await runCli(['run', '-c', config]);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('did not start');
    expect(readState(`${dir.dir}/rerun-state`)).toMatchObject({ status: 'failed', stage: 'checking' });

    // Nothing fixed: the same Failed item, nothing written to the target.
    const second = await runCli(['run', '-c', config]);
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/FAILED\s+source\.unlogged-tables/);
    expect(await target.query(`SELECT datname FROM pg_database WHERE datname = 'shop'`)).toEqual([]);

    // Fixed as the remedy says: the run starts from the beginning and follows.
    await source.query('ALTER TABLE items SET LOGGED', [], 'shop');
    const third = await runCli(['check', '-c', config]);
    expect(third.code, third.stdout).toBe(0);
  });
});
