/**
 * bench/schema-copy: the schema alone of PostgreSQL's regression database (every object kind
 * there is; see packages/sandbox/src/regression-database.ts), copied into a fresh database of a
 * server of the same build by pgshift's catalog-based schema copy and by
 * `pg_dump -Fc --schema-only | pg_restore`, in turn, over several rounds. Each copy is checked
 * (pgshift: its own schema compare is identical; pg_restore: exit 0) before its time counts.
 *
 *   pnpm --filter @pgshift/bench schema-copy -- --rounds 5
 *
 * Options: --major N (15), --rounds N (5), --no-doc.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planSchema } from '@pgshift/loader-native';
import { applyStatements, readSchemaObjects } from '@pgshift/pg';
import { regressionDatabase, type SandboxServer, startPostgres } from '@pgshift/sandbox';
import type pg from 'pg';
import { numberArg, parseArgs } from './args.js';
import { markdownTable, ratio, seconds, writeSection } from './report.js';
import { freshDatabase, uri } from './servers.js';

const DATABASE = 'regression';

export interface SchemaCopyResult {
  major: number;
  objects: number;
  pgshift: number[];
  pgDump: number[];
  date: string;
}

async function connect(server: SandboxServer, database: string): Promise<pg.Client> {
  return server.client(database);
}

/** pgshift: read the catalogs, plan, apply pre-data, each table's post-data, post-data. */
async function pgshiftRound(source: SandboxServer, target: SandboxServer): Promise<number> {
  await freshDatabase(target, DATABASE);
  const [from, to] = await Promise.all([connect(source, DATABASE), connect(target, DATABASE)]);
  try {
    const started = process.hrtime.bigint();
    const plan = await planSchema(from, {}, { copyOwners: true, copyPrivileges: true });
    await applyStatements(to, plan.preData);
    for (const statements of plan.tablePostData.values()) await applyStatements(to, statements);
    await applyStatements(to, plan.postData);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const [a, b] = await Promise.all([readSchemaObjects(from), readSchemaObjects(to)]);
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new Error('pgshift: the schemas differ after the copy');
    return elapsed;
  } finally {
    await Promise.all([from.end(), to.end()]);
  }
}

/** pg_dump -Fc --schema-only piped into pg_restore, timed from start to both exits. */
async function pgDumpRound(bin: string, source: SandboxServer, target: SandboxServer): Promise<number> {
  await freshDatabase(target, DATABASE);
  const started = process.hrtime.bigint();
  const dump = spawn(join(bin, 'pg_dump'), ['-Fc', '--schema-only', '-d', uri(source, DATABASE)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const restore = spawn(join(bin, 'pg_restore'), ['--exit-on-error', '-d', uri(target, DATABASE)], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  dump.stdout.pipe(restore.stdin);
  let errors = '';
  dump.stderr.on('data', (d: Buffer) => {
    errors += d.toString();
  });
  restore.stderr.on('data', (d: Buffer) => {
    errors += d.toString();
  });
  const exit = (child: ReturnType<typeof spawn>) =>
    new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const [dumpCode, restoreCode] = await Promise.all([exit(dump), exit(restore)]);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  if (dumpCode !== 0 || restoreCode !== 0)
    throw new Error(`pg_dump | pg_restore failed (${dumpCode}, ${restoreCode}): ${errors.slice(-2000)}`);
  return elapsed;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export async function runSchemaCopyBench(options: {
  major: number;
  rounds: number;
  log?: (line: string) => void;
}): Promise<SchemaCopyResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { found, missing } = regressionDatabase(options.major);
  if (!found) throw new Error(missing);
  const [source, target] = await Promise.all([
    startPostgres({ major: options.major, binaries: found.binaries, dataTemplate: found.dataTemplate }),
    startPostgres({ major: options.major, binaries: found.binaries }),
  ]);
  try {
    const from = await connect(source, DATABASE);
    const objects = (await readSchemaObjects(from)).length;
    await from.end();
    const result: SchemaCopyResult = {
      major: options.major,
      objects,
      pgshift: [],
      pgDump: [],
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    for (let round = 0; round < options.rounds; round++) {
      // Alternate who goes first, so neither always meets a warm or a cold cache.
      const order = round % 2 === 0 ? (['pgshift', 'pg_dump'] as const) : (['pg_dump', 'pgshift'] as const);
      for (const tool of order) {
        const secondsTaken =
          tool === 'pgshift'
            ? await pgshiftRound(source, target)
            : await pgDumpRound(found.binaries.bin, source, target);
        (tool === 'pgshift' ? result.pgshift : result.pgDump).push(secondsTaken);
        log(`round ${round + 1} ${tool}: ${secondsTaken.toFixed(2)} s`);
      }
    }
    return result;
  } finally {
    await Promise.allSettled([source.stop(), target.stop()]);
  }
}

export function schemaCopySection(r: SchemaCopyResult): string {
  const [a, b] = [median(r.pgshift), median(r.pgDump)];
  return [
    `## Schema copy (PostgreSQL ${r.major} regression database, ${r.date})`,
    '',
    `The schema alone of the database PostgreSQL's own \`installcheck\` leaves (${r.objects} objects in`,
    "pgshift's compare), into a fresh database on a server of the same build; median of",
    `${r.pgshift.length} rounds, order alternated. \`cd bench && npx tsx src/schema-copy.ts --rounds ${r.pgshift.length}\`.`,
    '',
    markdownTable(
      ['tool', 'median', 'rounds', 'vs pg_dump'],
      [
        ['pgshift (catalogs → DDL)', seconds(a), r.pgshift.map((s) => s.toFixed(2)).join(', '), ratio(a, b)],
        [
          // A bare | would end the markdown table's cell.
          'pg_dump -Fc --schema-only \\| pg_restore',
          seconds(b),
          r.pgDump.map((s) => s.toFixed(2)).join(', '),
          '1.00×',
        ],
      ],
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  const result = await runSchemaCopyBench({
    major: numberArg(args, 'major', 15),
    rounds: numberArg(args, 'rounds', 5),
  });
  const section = schemaCopySection(result);
  process.stdout.write(`${section}\n`);
  if (!args.has('no-doc')) writeSection('schema-copy', section);
}
