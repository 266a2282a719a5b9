import {
  advanceSequences,
  applySequences,
  applyStatements,
  assertTargetNotOlder,
  copyLargeObjects,
  createIndexIfNotExists,
  hasFeature,
  inTransaction,
  openClient,
  qualified,
  readSequenceNames,
  readSequences,
  type SchemaPlan,
  type SequenceValue,
  serverVersionNum,
} from '@pgshift/pg';
import type { CopySummary, LoadContext, Loader, TableRef } from '@pgshift/plugin-api';
import type pg from 'pg';
import { copyDatabase } from './copy/copy-database.js';
import { ProgressStore } from './copy/progress-store.js';
import { relaxIdentityStatements, restoreIdentityStatements } from './identity-always.js';
import { planSchema } from './schema/plan.js';

/**
 * Schema from the source's catalogs, rows by parallel COPY under one snapshot, each table's
 * indexes as soon as its rows are in, then the rest of post-data and the sequences. Every phase
 * leaves marks in the target's `pgshift` schema, so a rerun after a crash continues.
 */
export class NativeLoader implements Loader {
  /** Schema plans per source database, read once per process and reused by the later phases. */
  #plans = new Map<string, Promise<SchemaPlan>>();

  async preData(ctx: LoadContext): Promise<void> {
    await this.#withBoth(ctx, async (source, target, store) => {
      if (await store.phaseDone('pre-data')) {
        ctx.logger.info('pre-data already applied by an earlier run', { database: ctx.database.name });
        return;
      }
      assertTargetNotOlder(await serverVersionNum(source), await serverVersionNum(target));
      const plan = await this.#plan(ctx, source);
      reportLeftOut(ctx, plan);
      // DDL is transactional: the schema and its "done" mark commit together, so a run killed
      // part-way through leaves nothing behind and the rerun simply applies it again.
      await inTransaction(target, async () => {
        await applyStatements(target, plan.preData);
        if (ctx.options.following)
          for (const sql of await relaxIdentityStatements(target, selectedTables(ctx)))
            await target.query(sql);
        await store.markPhase('pre-data');
      });
    });
  }

  async copyData(ctx: LoadContext): Promise<CopySummary> {
    const { plan, targetVersion } = await this.#withBoth(ctx, async (source, target) => ({
      plan: await this.#plan(ctx, source),
      targetVersion: await serverVersionNum(target),
    }));
    const tables = selectedTables(ctx);
    // Builds side by side need CREATE INDEX IF NOT EXISTS (9.5+) to be run again after a crash;
    // older targets run each table's list in order, in one transaction.
    const sideBySide = hasFeature(targetVersion, 'createIndexIfNotExists');
    const post = (table: string) => plan.tablePostData.get(table) ?? [];
    const result = await copyDatabase({
      openSource: () => this.#open(ctx, 'source'),
      openTarget: () => this.#open(ctx, 'target'),
      database: ctx.database.name,
      task: taskName(ctx),
      ...(tables ? { tables } : {}),
      ...(ctx.snapshot ? { snapshot: ctx.snapshot } : {}),
      jobs: ctx.jobs,
      splitTableBytes: ctx.options.splitTableBytes,
      onLostSnapshot: ctx.options.onLostSnapshot,
      ...(sideBySide
        ? {
            tableIndexBuilds: (table: string) =>
              post(table)
                .filter((s) => s.indexBuild)
                .map(
                  (s) => (client: pg.Client) =>
                    applyStatements(client, [{ ...s, sql: createIndexIfNotExists(s.sql) }]),
                ),
          }
        : {}),
      tablePostData: (table, client) =>
        applyStatements(client, sideBySide ? post(table).filter((s) => !s.indexBuild) : post(table)),
      progress: ctx.progress,
      logger: ctx.logger,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.throttle ? { throttle: ctx.throttle } : {}),
    });
    return {
      tables: result.tables,
      rows: result.rows,
      bytes: result.bytes,
      skipped: result.skipped,
      consistent: result.consistent,
    };
  }

  async postData(ctx: LoadContext): Promise<void> {
    await this.#withBoth(ctx, async (source, target, store) => {
      if (await store.phaseDone('post-data')) return;
      const plan = await this.#plan(ctx, source);
      // Tables the copy did not build (partitioned parents hold no rows; a run without data).
      const built = (await store.load())?.postDataDone ?? new Set<string>();
      const pending = [...plan.tablePostData.entries()].filter(([table]) => !built.has(table));
      for (const [table, statements] of pending) {
        // With its mark, so a crash leaves none of it behind and the rerun builds it whole.
        await inTransaction(target, async () => {
          await applyStatements(target, statements);
          await store.markPostDataDone(target, table);
        });
      }
      // Contents first, while every object is still the loader's own: post-data gives them away
      // (owners), and only creates the objects whose contents the copy did not.
      if (!ctx.options.schemaOnly && !(await store.phaseDone('large-objects'))) {
        await copyLargeObjectsOf(ctx, source, target, plan);
        await store.markPhase('large-objects');
      }
      // With its mark, like pre-data: a run stopped part-way leaves none of it behind, and the
      // rerun applies it whole instead of failing on the first object already there.
      await inTransaction(target, async () => {
        await applyStatements(target, plan.postData);
        await store.markPhase('post-data');
      });
    });
  }

  async finish(ctx: LoadContext): Promise<void> {
    // Not #withBoth: its bookkeeping DDL would fire event triggers enabled by an earlier finish.
    const source = await this.#open(ctx, 'source');
    try {
      const plan = await this.#plan(ctx, source);
      const target = await this.#open(ctx, 'target');
      try {
        // Before the event triggers are enabled (plan.finish): this DDL is pgshift's, not the user's.
        for (const sql of await restoreIdentityStatements(source, target, selectedTables(ctx)))
          await target.query(sql);
        await applyStatements(target, plan.finish ?? []);
      } finally {
        await target.end().catch(() => {});
      }
    } finally {
      await source.end().catch(() => {});
    }
  }

  async cleanup(ctx: LoadContext): Promise<string | undefined> {
    const target = await this.#open(ctx, 'target');
    try {
      const gone = await new ProgressStore(target, ctx.options.taskName, ctx.database.name).forget();
      return gone
        ? `removed schema pgshift (the copy's progress marks) from database ${ctx.database.name} on the target`
        : `removed this task's progress marks from database ${ctx.database.name} on the target; schema pgshift stays, as it holds other pgshift objects`;
    } finally {
      await target.end().catch(() => {});
    }
  }

  async syncSequences(ctx: LoadContext): Promise<void> {
    await this.#withBoth(ctx, async (source, target) => {
      await applySequences(target, await this.#sequenceValues(ctx, source, target));
    });
  }

  async advanceSequences(ctx: LoadContext): Promise<number> {
    return await this.#withBoth(ctx, async (source, target) => {
      return await advanceSequences(target, await this.#sequenceValues(ctx, source, target));
    });
  }

  /**
   * The source's values of the plan's sequences, and of those a schema change followed during
   * sync created since (any the target has as well: it got them from that change).
   */
  async #sequenceValues(ctx: LoadContext, source: pg.Client, target: pg.Client): Promise<SequenceValue[]> {
    const plan = await this.#plan(ctx, source);
    const planned = new Set(plan.sequences.map((s) => qualified(s.schema, s.name)));
    const onTarget = new Set((await readSequenceNames(target)).map((s) => qualified(s.schema, s.name)));
    const values = await readSequences(source);
    return values.filter(
      (v) => planned.has(qualified(v.schema, v.name)) || onTarget.has(qualified(v.schema, v.name)),
    );
  }

  #plan(ctx: LoadContext, source: pg.Client): Promise<SchemaPlan> {
    const key = `${ctx.source.route.description}/${ctx.database.name}`;
    let plan = this.#plans.get(key);
    if (!plan) {
      const tables = selectedTables(ctx);
      plan = planSchema(source, tables ? { tables } : {}, {
        copyOwners: ctx.options.copyOwners,
        copyPrivileges: ctx.options.copyPrivileges,
        copyPublications: ctx.options.copyPublications === true,
      });
      plan.catch(() => this.#plans.delete(key));
      this.#plans.set(key, plan);
    }
    return plan;
  }

  #open(ctx: LoadContext, role: 'source' | 'target'): Promise<pg.Client> {
    const side = role === 'source' ? ctx.source : ctx.target;
    return openClient(side.route.connection({ database: ctx.database.name }), `pgshift-${role}`);
  }

  async #withBoth<T>(
    ctx: LoadContext,
    body: (source: pg.Client, target: pg.Client, store: ProgressStore) => Promise<T>,
  ): Promise<T> {
    const source = await this.#open(ctx, 'source');
    let target: pg.Client | undefined;
    try {
      target = await this.#open(ctx, 'target');
      const store = new ProgressStore(target, taskName(ctx), ctx.database.name);
      await store.ensure();
      return await body(source, target, store);
    } finally {
      await source.end().catch(() => {});
      await target?.end().catch(() => {});
    }
  }
}

/** Copies the contents of the large objects the plan creates, and says what it did. */
async function copyLargeObjectsOf(
  ctx: LoadContext,
  source: pg.Client,
  target: pg.Client,
  plan: SchemaPlan,
): Promise<void> {
  const oids = plan.largeObjects ?? [];
  if (oids.length === 0) return;
  const result = await copyLargeObjects(source, target, oids, ctx.signal ? { signal: ctx.signal } : {});
  ctx.logger.info('large objects copied', {
    database: ctx.database.name,
    copied: result.copied,
    bytes: result.bytes,
    alreadyThere: result.alreadyThere,
  });
  if (result.goneFromSource.length > 0) {
    const text = `database ${ctx.database.name}: ${result.goneFromSource.length} large object(s) were removed from the source during the migration and are created empty: ${result.goneFromSource.slice(0, 20).join(', ')}`;
    ctx.logger.warn(text);
    ctx.progress.emit({ type: 'message', level: 'warn', text });
  }
  ctx.signal?.throwIfAborted();
}

/** Says which objects the selection leaves out because they need a table outside it. */
function reportLeftOut(ctx: LoadContext, plan: SchemaPlan): void {
  const leftOut = (plan.skipped ?? []).filter((s) => s.needs);
  if (leftOut.length === 0) return;
  const text =
    `database ${ctx.database.name}: ${leftOut.length} object(s) not created because they need a table outside the selection: ` +
    leftOut.map((s) => `${s.kind} ${s.name} (needs ${s.needs?.join(', ')})`).join('; ');
  ctx.logger.warn(text);
  ctx.progress.emit({ type: 'message', level: 'warn', text });
}

/** The tables to move, or undefined when the whole database is selected. */
function selectedTables(ctx: LoadContext): TableRef[] | undefined {
  return ctx.database.whole ? undefined : ctx.database.tables;
}

function taskName(ctx: LoadContext): string {
  return ctx.options.taskName;
}
