import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/**
 * The pagila sample database (schema and data as pg_dump wrote them), from the shared data
 * directory beside the checkout or PGSHIFT_PAGILA_DIR. Undefined when absent, for a skip line.
 */
export const PAGILA_DIR = [
  process.env.PGSHIFT_PAGILA_DIR,
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/pagila'),
].find((dir): dir is string => dir !== undefined && existsSync(join(dir, 'pagila-schema.sql')));

export const PAGILA_MISSING =
  'pagila not found: set PGSHIFT_PAGILA_DIR to a directory with pagila-schema.sql';

/**
 * Loads pagila into `client`'s database (a superuser's connection). The dump's COPY ... FROM
 * stdin blocks are written to files the server reads, as node-postgres has no COPY FROM STDIN.
 */
export async function loadPagila(client: pg.Client): Promise<void> {
  if (!PAGILA_DIR) throw new Error(PAGILA_MISSING);
  await client.query(readFileSync(join(PAGILA_DIR, 'pagila-schema.sql'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'pagila-'));
  chmodSync(dir, 0o755);
  try {
    const lines = readFileSync(join(PAGILA_DIR, 'pagila-data.sql'), 'utf8').split('\n');
    let statements: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const copy = /^COPY (.+) FROM stdin;$/.exec(line);
      if (!copy) {
        statements.push(line);
        continue;
      }
      await client.query(statements.join('\n'));
      statements = [];
      const end = lines.indexOf('\\.', i);
      const file = join(dir, `${i}.tsv`);
      writeFileSync(
        file,
        lines
          .slice(i + 1, end)
          .map((row) => `${row}\n`)
          .join(''),
        { mode: 0o644 },
      );
      await client.query(`COPY ${copy[1]} FROM '${file}'`);
      i = end;
    }
    await client.query(statements.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
