import { checkResult, FollowingChecker, quoteLiteral } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

interface Open {
  pid: number;
  datname: string | null;
  usename: string | null;
  seconds: string;
}

/**
 * Creating a logical slot waits until every transaction running at that moment has ended, and a
 * prepared transaction never ends by itself: both hold the migration's start.
 */
export class LongTransactionsChecker extends FollowingChecker {
  readonly id = 'source.long-transactions';
  readonly title = 'Long-running or prepared transactions on the source';
  readonly #options: Readonly<Record<string, unknown>>;

  constructor(options: Readonly<Record<string, unknown>> = {}) {
    super();
    this.#options = options;
  }

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const limit = Number(ctx.options.maxTransactionSeconds ?? this.#options.maxTransactionSeconds ?? 60);
    const { rows: open } = await ctx.source.query<Open>(
      `SELECT pid, datname, usename, floor(extract(epoch FROM now() - xact_start))::bigint::text AS seconds
       FROM pg_stat_activity
      WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
        AND xact_start < now() - $1::int * interval '1 second'
      ORDER BY xact_start`,
      [limit],
    );
    const { rows: prepared } = await ctx.source.query<{ gid: string; database: string; owner: string }>(
      'SELECT gid, database, owner FROM pg_prepared_xacts ORDER BY prepared',
    );
    if (open.length === 0 && prepared.length === 0)
      return checkResult(
        this,
        'pass',
        `no transaction has been open longer than ${limit} s, and none is prepared`,
      );
    const problems: string[] = [];
    const remedy: string[] = [
      'end them before the migration starts (commit them in their applications, or on the source as a superuser):',
    ];
    if (open.length > 0) {
      problems.push(
        `${open.length} transaction(s) open longer than ${limit} s: ${open
          .map((o) => `pid ${o.pid} (${o.usename ?? '?'} on ${o.datname ?? '?'}, ${o.seconds} s)`)
          .join(', ')}`,
      );
      for (const o of open) remedy.push(`SELECT pg_terminate_backend(${o.pid});`);
    }
    if (prepared.length > 0) {
      problems.push(
        `${prepared.length} prepared transaction(s): ${prepared.map((p) => `${p.gid} (${p.database})`).join(', ')}`,
      );
      for (const p of prepared)
        remedy.push(
          `-- in database ${p.database}: COMMIT PREPARED ${quoteLiteral(p.gid)};  -- or ROLLBACK PREPARED`,
        );
    }
    return checkResult(
      this,
      'warning',
      `creating the replication slot will wait for ${problems.join('; ')}`,
      remedy.join('\n'),
      { open: open.map((o) => o.pid), prepared: prepared.map((p) => p.gid) },
    );
  }
}
