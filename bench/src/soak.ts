/**
 * bench/soak: a full+incremental migration under a writer for several minutes while faults hit
 * it at random — target and source restarts, a killed walsender, cut sockets to the target and of
 * the replication connection — with PostgreSQL's own subscription following the same source
 * through the same faults as the peer. Each fault is timed until a row written right after it
 * is on each target; at the end pgshift finishes and both copies are compared with the source.
 * pgshift is never restarted: its one `run` must ride out every fault by itself.
 *
 *   pnpm --filter @pgshift/bench soak -- --minutes 5
 *
 * Options: --minutes N (5), --interval S (mean seconds between faults, 20), --no-doc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FaultProxy, type SandboxServer } from '@pgshift/sandbox';
import type pg from 'pg';
import { numberArg, parseArgs } from './args.js';
import { differences, fingerprint } from './fingerprint.js';
import { machineFacts, machineLines } from './machine.js';
import { CLI_BIN } from './pgshift/full-copy-step.js';
import { markdownTable, seconds, writeSection } from './report.js';
import { ServerSet } from './servers.js';

const FAULTS = [
  'target restart',
  'source restart',
  'walsender killed',
  'target sockets cut',
  'replication socket cut',
] as const;
type Fault = (typeof FAULTS)[number];

const SCHEMA = `
CREATE TABLE accounts (id bigint PRIMARY KEY, balance bigint NOT NULL, note text);
CREATE TABLE events (id bigserial PRIMARY KEY, account bigint NOT NULL, amount bigint NOT NULL, at timestamptz DEFAULT now());
CREATE TABLE markers (id int PRIMARY KEY, at timestamptz DEFAULT now());`;

export interface SoakResult {
  minutes: number;
  intervalSeconds: number;
  faults: { fault: Fault; pgshift?: number; native?: number }[];
  transactions: number;
  pgshiftExact: string[];
  nativeExact: string[];
  pgshiftExit: number | null;
  date: string;
  machine: string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes to the source until stopped, waiting out outages as an application's pool would. */
function startWriter(source: SandboxServer) {
  let stopped = false;
  let transactions = 0;
  const done = (async () => {
    let client: pg.Client | undefined;
    for (let i = 0; !stopped; i++) {
      try {
        if (!client) {
          client = await source.client('soak');
          client.on('error', () => {});
        }
        const a = 1 + ((i * 7919) % 100_000);
        const b = 1 + ((i * 104_729) % 100_000);
        await client.query(
          `BEGIN;
           UPDATE accounts SET balance = balance - ${i % 50} WHERE id = ${a};
           UPDATE accounts SET balance = balance + ${i % 50}, note = 'moved ${i}' WHERE id = ${b};
           INSERT INTO events (account, amount) VALUES (${a}, ${i % 50});
           ${i % 10 === 9 ? 'DELETE FROM events WHERE id = (SELECT min(id) FROM events);' : ''}
           COMMIT;`,
        );
        transactions++;
      } catch {
        await client?.end().catch(() => {});
        client = undefined;
        await pause(200);
      }
    }
    await client?.end().catch(() => {});
  })();
  return {
    count: () => transactions,
    async stop() {
      stopped = true;
      await done;
      return transactions;
    },
  };
}

async function hasMarker(server: SandboxServer, database: string, id: number): Promise<boolean> {
  return server
    .query('SELECT 1 FROM markers WHERE id = $1', [id], database)
    .then((rows) => rows.length === 1)
    .catch(() => false);
}

/** Seconds from `since` until the marker is on the target, or undefined past the timeout. */
async function recovered(
  server: SandboxServer,
  database: string,
  id: number,
  since: number,
): Promise<number | undefined> {
  for (;;) {
    if (await hasMarker(server, database, id)) return (Date.now() - since) / 1000;
    if (Date.now() - since > 300_000) return undefined;
    await pause(100);
  }
}

async function inject(
  fault: Fault,
  servers: { source: SandboxServer; target: SandboxServer },
  proxies: { source: FaultProxy; target: FaultProxy },
): Promise<void> {
  switch (fault) {
    case 'target restart':
      return servers.target.restart(2000);
    case 'source restart':
      return servers.source.restart(2000);
    case 'walsender killed':
      // pgshift's and the subscription's alike.
      await servers.source.query('SELECT pg_terminate_backend(pid) FROM pg_stat_replication');
      return;
    case 'target sockets cut':
      proxies.target.drop();
      return;
    case 'replication socket cut':
      proxies.source.drop('replication');
      return;
  }
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function soak(options: {
  minutes: number;
  intervalSeconds: number;
  writeDoc: boolean;
  /** Stop after this many faults, if sooner than `minutes` (the smoke test: each kind once). */
  faults?: number;
  /** fsync on (default); the smoke test turns it off. */
  durable?: boolean;
  log?: (line: string) => void;
}) {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const servers = new ServerSet(options.durable ?? true);
  const dir = mkdtempSync(join(tmpdir(), 'pgshift-soak-'));
  let run: ChildProcess | undefined;
  let proxies: { source: FaultProxy; target: FaultProxy } | undefined;
  try {
    const source = await servers.start('source');
    const target = await servers.start('target');
    const machine = machineLines(await machineFacts(source));
    await source.query('CREATE DATABASE soak');
    await source.query(
      `${SCHEMA}
       INSERT INTO accounts SELECT g, 1000, md5(g::text) FROM generate_series(1, 100000) g;
       CREATE PUBLICATION soak_native FOR TABLE accounts, events, markers;`,
      [],
      'soak',
    );
    proxies = { source: await FaultProxy.start(source), target: await FaultProxy.start(target) };
    // The peer: a native subscription into database native of the same target, reading the
    // source through the same proxy, so the same faults hit it.
    await target.query('CREATE DATABASE native');
    await target.query(SCHEMA, [], 'native');
    await target.query(
      `CREATE SUBSCRIPTION soak_native CONNECTION 'host=127.0.0.1 port=${proxies.source.port} user=postgres dbname=soak'
         PUBLICATION soak_native`,
      [],
      'native',
    );

    const config = join(dir, 'soak.yaml');
    const endpoint = (port: number) =>
      `  access: public-ip\n  host: 127.0.0.1\n  port: ${port}\n  user: postgres\n  password: not-needed-with-trust\n`;
    writeFileSync(
      config,
      `task:\n  name: soak\nsource:\n${endpoint(proxies.source.port)}target:\n${endpoint(proxies.target.port)}` +
        `objects:\n  databases: [soak]\nmode: full+incremental\n` +
        `options:\n  jobs: 2\n  stateDir: ${join(dir, 'state')}\n  reconnectMaxDelaySeconds: 5\n`,
    );
    const writer = startWriter(source);
    let output = '';
    run = spawn(process.execPath, [CLI_BIN, 'run', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    run.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    run.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => run?.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 180_000;
    while (!output.includes('syncing: started')) {
      if (Date.now() > deadline) throw new Error(`pgshift did not start following:\n${output}`);
      await pause(500);
    }

    const faults: SoakResult['faults'] = [];
    const end = Date.now() + options.minutes * 60_000;
    let marker = 0;
    for (let i = 0; Date.now() < end && faults.length < (options.faults ?? Number.POSITIVE_INFINITY); i++) {
      await pause((0.5 + Math.random()) * options.intervalSeconds * 1000);
      const fault = FAULTS[i % FAULTS.length] as Fault;
      const started = Date.now();
      await inject(fault, { source, target }, proxies);
      marker++;
      // Written once the source takes writes again (a restart); the writer goes on meanwhile.
      for (;;) {
        try {
          await source.query('INSERT INTO markers (id) VALUES ($1)', [marker], 'soak');
          break;
        } catch {
          await pause(100);
        }
      }
      const [pgshift, native] = await Promise.all([
        recovered(target, 'soak', marker, started),
        recovered(target, 'native', marker, started),
      ]);
      faults.push({
        fault,
        ...(pgshift === undefined ? {} : { pgshift }),
        ...(native === undefined ? {} : { native }),
      });
      log(
        `${fault}: pgshift ${seconds(pgshift)}, native ${seconds(native)}; pgshift still running: ${run.exitCode === null}`,
      );
      if (run.exitCode !== null) break;
    }

    const transactions = await writer.stop();
    marker++;
    await source.query('INSERT INTO markers (id) VALUES ($1)', [marker], 'soak');
    await recovered(target, 'native', marker, Date.now());
    const finish = spawn(process.execPath, [CLI_BIN, 'finish', '-c', config], { stdio: 'ignore' });
    await new Promise((resolve) => finish.once('exit', resolve));
    const pgshiftExit = await exited;
    const from = await fingerprint(source, 'soak');
    const result: SoakResult = {
      minutes: options.minutes,
      intervalSeconds: options.intervalSeconds,
      faults,
      transactions,
      pgshiftExact: differences(from, await fingerprint(target, 'soak')),
      nativeExact: differences(from, await fingerprint(target, 'native')),
      pgshiftExit,
      date: new Date().toISOString(),
      machine,
    };
    if (pgshiftExit !== 0) log(output);
    await target.query('DROP SUBSCRIPTION soak_native', [], 'native').catch(() => {});
    if (options.writeDoc) writeSection('soak', render(result));
    return result;
  } finally {
    run?.kill('SIGKILL');
    await Promise.allSettled([proxies?.source.close(), proxies?.target.close()]);
    await servers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function render(result: SoakResult): string {
  const rows = FAULTS.map((fault) => {
    const of = result.faults.filter((f) => f.fault === fault);
    const times = (pick: (f: SoakResult['faults'][number]) => number | undefined) =>
      of.map(pick).filter((t): t is number => t !== undefined);
    const p = times((f) => f.pgshift);
    const n = times((f) => f.native);
    return [
      fault,
      String(of.length),
      `${seconds(median(p))} / ${seconds(p.length > 0 ? Math.max(...p) : undefined)}`,
      `${seconds(median(n))} / ${seconds(n.length > 0 ? Math.max(...n) : undefined)}`,
      String(of.length - p.length),
      String(of.length - n.length),
    ];
  });
  const exact = (diffs: string[]) =>
    diffs.length === 0
      ? 'identical to the source'
      : `differs from the source (${diffs.length}): ${diffs.slice(0, 3).join('; ')}`;
  return [
    `## Soak: faults under a writer (${result.date})`,
    '',
    ...result.machine,
    `- ${result.minutes} min of a writer on PostgreSQL 15 (${result.transactions} transactions: two updates and an insert each, a delete every tenth), one \`pgshift run\` (full+incremental, never restarted) and a native subscription reading the same source through the same faults, one fault every ~${result.intervalSeconds} s, the kinds in turn.`,
    '- Recovery: from the fault until a row written right after it is on the target (median / max); "not recovered" counts faults after which it never arrived within 300 s.',
    '',
    markdownTable(
      [
        'fault',
        'times',
        'pgshift recovery',
        'native recovery',
        'pgshift not recovered',
        'native not recovered',
      ],
      rows,
    ),
    '',
    `- pgshift: exit ${result.pgshiftExit} after finish; target ${exact(result.pgshiftExact)}.`,
    `- native subscription: target ${exact(result.nativeExact)} (a subscription carries no sequence values; pgshift's finish sets them).`,
    "- The native subscription's apply worker runs inside the target server, so cutting the sockets to the target does not reach it; pgshift applies over the network, as any external tool does.",
    '',
    '    pnpm --filter @pgshift/bench soak -- --minutes 5',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = parseArgs(process.argv.slice(2));
  soak({
    minutes: numberArg(args, 'minutes', 5),
    intervalSeconds: numberArg(args, 'interval', 20),
    writeDoc: args.get('no-doc') !== 'true',
  }).then(
    (result) => process.stdout.write(`${render(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
