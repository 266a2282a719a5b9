import { openClient } from '@pgshift/pg';
import type { SandboxServer } from '@pgshift/sandbox';
import type pg from 'pg';

/** Opens sessions to one database of a sandbox server. */
export function opener(server: SandboxServer, database: string): () => Promise<pg.Client> {
  return () => openClient({ ...server.connection(database) });
}

/** A fresh database on the server (dropped first if a previous test left it). */
export async function freshDatabase(server: SandboxServer, name: string): Promise<void> {
  await server.query(`DROP DATABASE IF EXISTS "${name}"`);
  await server.query(`CREATE DATABASE "${name}"`);
}

/** Runs SQL (several statements allowed) in one database. */
export async function run(server: SandboxServer, database: string, sql: string): Promise<void> {
  const client = await openClient({ ...server.connection(database) });
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function rows<R = Record<string, string>>(
  server: SandboxServer,
  database: string,
  sql: string,
): Promise<R[]> {
  const client = await openClient({ ...server.connection(database) });
  try {
    // Several statements answer with one result each: the last holds the rows.
    const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as R[];
  } finally {
    await client.end();
  }
}
