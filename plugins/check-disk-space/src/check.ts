import {
  checkResult,
  formatBytes,
  GuardedChecker,
  SELECTED_TABLES_SQL,
  selectedTableParams,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * Compares what the selection takes on the source with the target's free space. PostgreSQL does
 * not report free disk space over SQL, so the free space comes from the `targetFreeBytes` option;
 * without it the honest outcome is a Warning that says it could not be determined, with the size
 * to check for by hand.
 */
export class DiskSpaceChecker extends GuardedChecker {
  readonly id = 'target.disk-space';
  readonly title = 'Free disk space on the target';
  readonly #options: Readonly<Record<string, unknown>>;

  constructor(options: Readonly<Record<string, unknown>> = {}) {
    super();
    this.#options = options;
  }

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const options = { ...this.#options, ...ctx.options };
    const headroom = Number(options.headroom ?? 1.2);
    let total = 0n;
    for (const db of ctx.selection.databases) {
      // A whole database counts entirely; a partial one by its selected tables (with indexes and TOAST).
      const { rows } = db.whole
        ? await ctx.source.query<{ bytes: string }>('SELECT pg_database_size($1)::text AS bytes', [db.name])
        : await ctx.source.query<{ bytes: string }>(
            `WITH sel AS (${SELECTED_TABLES_SQL})
             SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN sel ON sel.nspname = n.nspname AND sel.relname = c.relname`,
            selectedTableParams(db),
            { database: db.name },
          );
      total += BigInt(rows[0]?.bytes ?? '0');
    }
    const needed = BigInt(Math.ceil(Number(total) * headroom));
    const size = `the selection takes ${formatBytes(total)} on the source (${total} bytes); with ${headroom}x headroom the target needs ${formatBytes(needed)} free`;
    const { rows: dir } = await ctx.target
      .query<{ dir: string }>("SELECT current_setting('data_directory') AS dir")
      .catch(() => ({ rows: [] as Array<{ dir: string }> }));
    const where = dir[0]?.dir
      ? `the volume of ${dir[0].dir}`
      : "the target's data directory volume (SHOW data_directory;)";
    const free = options.targetFreeBytes;
    if (free === undefined || free === null || free === '')
      return checkResult(
        this,
        'warning',
        `could not determine the target's free disk space (PostgreSQL does not report it over SQL); ${size}`,
        [
          `on the target host, check that ${where} has at least ${formatBytes(needed)} free: df -h ${dir[0]?.dir ?? '<data_directory>'}`,
          `then record it so this check can compare: plugins: [{ use: check-disk-space, options: { targetFreeBytes: <free bytes> } }]`,
        ].join('\n'),
        { sourceBytes: total.toString(), neededBytes: needed.toString() },
      );
    const freeBytes = BigInt(String(free));
    const details = {
      sourceBytes: total.toString(),
      neededBytes: needed.toString(),
      targetFreeBytes: freeBytes.toString(),
    };
    if (freeBytes >= needed)
      return checkResult(
        this,
        'pass',
        `${size}; the target has ${formatBytes(freeBytes)} free`,
        undefined,
        details,
      );
    return checkResult(
      this,
      'warning',
      `${size}, but the target has only ${formatBytes(freeBytes)} free`,
      `free or add at least ${formatBytes(needed - freeBytes)} on ${where}, or migrate fewer tables`,
      details,
    );
  }
}
