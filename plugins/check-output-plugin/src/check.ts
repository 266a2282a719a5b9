import {
  checkResult,
  columnsWithSpecialNumbers,
  connectionUser,
  describeError,
  errorCode,
  GuardedChecker,
  quoteIdent,
  WAL2JSON_NUMBERS_AS_STRINGS,
  wal2jsonAcceptsNumbersAsStrings,
  wal2jsonNumbersLossMessage,
  withProbeSlot,
  withSession,
} from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * The output plugin the policy chose must load on the source: a logical slot is created with it
 * and dropped again (temporary from 10 on, so it also goes if the session dies). For wal2json it
 * also asks whether NaN and Infinity would arrive exactly (see docs/incremental-sync.md).
 */
export class OutputPluginChecker extends GuardedChecker {
  readonly id = 'source.output-plugin';
  readonly title = 'Output plugin available on the source';
  readonly #options: Readonly<Record<string, unknown>>;

  constructor(options: Readonly<Record<string, unknown>> = {}) {
    super();
    this.#options = options;
  }

  appliesTo(ctx: CheckContext): boolean {
    return ctx.mode === 'full+incremental' && ctx.capabilities?.decoder !== undefined;
  }

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const plugin = ctx.capabilities?.decoder?.outputPlugin;
    if (!plugin)
      return checkResult(
        this,
        'failed',
        'no output plugin was chosen for the source version',
        'see the versions item; set `mode: full` if the source cannot be followed',
      );
    const timeout = Number(ctx.options.timeoutSeconds ?? this.#options.timeoutSeconds ?? 15);
    const database = ctx.selection.databases[0]?.name ?? ctx.source.maintenanceDatabase;
    const user = connectionUser(ctx.source);
    const wal2json = ctx.capabilities?.decoder?.format === 'wal2json';
    let numbersAsStrings = true;
    try {
      const { num } = await ctx.source.version();
      await withSession(ctx.source, { database }, async (session) => {
        await session.query(`SET statement_timeout = ${Math.max(1, Math.floor(timeout)) * 1000}`);
        await withProbeSlot(session, num, plugin, async (slot) => {
          if (wal2json) numbersAsStrings = await wal2jsonAcceptsNumbersAsStrings(session, slot);
        });
      });
    } catch (error) {
      return this.#failure(error, plugin, timeout, user);
    }
    if (!numbersAsStrings) return this.#oldWal2json(ctx, database);
    return checkResult(
      this,
      'pass',
      `a logical slot with output plugin ${plugin} was created and dropped in ${database}`,
    );
  }

  /** wal2json before 2.6: NaN and Infinity would arrive as null in real, double and numeric columns. */
  async #oldWal2json(ctx: CheckContext, slotDatabase: string): Promise<CheckResult> {
    const columns: string[] = [];
    const several = ctx.selection.databases.length > 1;
    for (const db of ctx.selection.databases) {
      const found = await withSession(ctx.source, { database: db.name }, (session) =>
        columnsWithSpecialNumbers(session, db.whole ? undefined : db.tables),
      );
      columns.push(...found.map((column) => (several ? `${db.name}: ${column}` : column)));
    }
    if (columns.length === 0)
      return checkResult(
        this,
        'pass',
        `a logical slot with output plugin wal2json was created and dropped in ${slotDatabase}; this wal2json ` +
          `predates option ${WAL2JSON_NUMBERS_AS_STRINGS}, which no selected column needs (none is real, double precision or numeric)`,
      );
    return checkResult(
      this,
      'failed',
      wal2jsonNumbersLossMessage(columns),
      [
        'upgrade wal2json on the source to 2.6 or later, or',
        'configure the version policy to use test_decoding, for example in the config:',
        'plugins:',
        '  - use: policy-pg95',
        '    options: { outputPlugin: test_decoding, format: test_decoding }',
      ].join('\n'),
      { plugin: 'wal2json', columns: columns.length },
    );
  }

  #failure(error: unknown, plugin: string, timeout: number, user: string): CheckResult {
    const code = errorCode(error);
    const found = describeError(error);
    if (code === '58P01' || /could not access file|undefined symbol|could not load library/i.test(found))
      return checkResult(
        this,
        'failed',
        `output plugin ${plugin} is not installed on the source: ${found}`,
        [
          `install ${plugin} on the source server (its shared library goes into the directory \`pg_config --pkglibdir\` prints), or`,
          'configure the version policy to use a plugin that is installed, for example in the config:',
          'plugins:',
          '  - use: policy-pg95',
          '    options: { outputPlugin: test_decoding, format: test_decoding }',
        ].join('\n'),
        { plugin },
      );
    if (code === '57014')
      return checkResult(
        this,
        'warning',
        `creating a test slot waited more than ${timeout} s, for transactions still running on the source`,
        'end or commit the long-running and prepared transactions listed by source.long-transactions, then run the check again',
        { plugin },
      );
    if (code === '55000' && /wal_level/i.test(found))
      return checkResult(
        this,
        'failed',
        `could not create a test slot: ${found}`,
        'ALTER SYSTEM SET wal_level = logical;  -- then restart the source (see source.wal-level)',
        { plugin },
      );
    if (code === '42501')
      return checkResult(
        this,
        'failed',
        `could not create a test slot: ${found}`,
        `ALTER ROLE ${quoteIdent(user)} REPLICATION;`,
        {
          plugin,
        },
      );
    if (code === '53400')
      return checkResult(
        this,
        'failed',
        `could not create a test slot: ${found}`,
        'raise max_replication_slots (ALTER SYSTEM SET max_replication_slots = ...; then restart) or drop unused slots (see source.replication-slots)',
        { plugin },
      );
    return checkResult(
      this,
      'failed',
      `could not create a test slot with ${plugin}: ${found}`,
      `make sure ${user} may create logical slots on the source (REPLICATION attribute, wal_level = logical, a free slot) and that ${plugin} is installed there`,
      { plugin },
    );
  }
}
