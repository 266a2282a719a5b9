import { checkResult, connectionUser, follows, GuardedChecker } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';

/**
 * Whether schema changes on the source during sync can be followed as `options.ddl` asks: they
 * are captured by event triggers, which only a superuser may create. Where they cannot be, `stop`
 * still holds for tables the stream announces anew (pgoutput, 10+): following stops at the first
 * change to a table with columns the target lacks.
 */
export class DdlCaptureChecker extends GuardedChecker {
  readonly id = 'source.ddl-capture';
  readonly title = 'Schema changes during sync';

  appliesTo(ctx: CheckContext): boolean {
    return follows(ctx);
  }

  protected async check(ctx: CheckContext): Promise<CheckResult> {
    const user = connectionUser(ctx.source);
    const { rows } = await ctx.source.query<{ super: boolean; version: number }>(
      "SELECT rolsuper AS super, current_setting('server_version_num')::int AS version FROM pg_roles WHERE rolname = current_user",
    );
    const policy = ctx.ddl?.policy ?? 'ignore';
    if (policy === 'ignore')
      return checkResult(
        this,
        'pass',
        'schema changes on the source during sync are not followed (options.ddl: ignore): make each one on the target too, target first',
      );
    const superuser = rows[0]?.super === true;
    const announced = ctx.capabilities?.decoder?.format === 'pgoutput';
    if (superuser) {
      const partial = ctx.selection.databases.some((d) => !d.whole);
      if ((rows[0]?.version ?? 0) < 90500 && partial && policy === 'replicate')
        return checkResult(
          this,
          'warning',
          'the source (9.4) records schema changes as text only, so one made in a partly selected database cannot be told inside or outside the selection: sync stops before it',
          'select whole databases to have their schema changes followed, or apply such a change on the target yourself and resume with pgshift run --ddl-applied <database:id> as the stop says',
        );
      return checkResult(
        this,
        'pass',
        policy === 'replicate'
          ? `schema changes on the source during sync are applied on the target in order with the rows (${user} may create the event triggers that capture them)`
          : `sync stops before each schema change on the source, naming it (options.ddl: stop)`,
      );
    }
    const without = announced
      ? 'following stops at the first change to a table with columns the target lacks'
      : 'a change shows only when a row no longer fits the target, as an apply error';
    const remedy = `connect to the source as a superuser to have schema changes followed; otherwise make each change on the target first, then on the source (set options.ddl: stop to say so)`;
    if (policy === 'replicate' && !ctx.ddl?.defaulted)
      return checkResult(
        this,
        'failed',
        `options.ddl is replicate, which needs event triggers on the source, and ${user} is not a superuser (only one may create them)`,
        `${remedy}, or options.ddl: ignore`,
      );
    return checkResult(
      this,
      'warning',
      `${user} is not a superuser, so schema changes on the source during sync cannot be captured: ${without}`,
      remedy,
    );
  }
}
