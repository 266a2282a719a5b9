// This check reports what the built-in loader's plan leaves out, so it asks that plan itself (the
// loader's public entry) rather than a second copy of its rules.
import { planSchema } from '@pgshift/loader-native';
import { describeError, openClient, type SkippedObject } from '@pgshift/pg';
import type { CheckContext, ResolvedDatabase } from '@pgshift/plugin-api';

/** What planning one database's schema, as the loader will plan it, left out or could not do. */
export interface PlanFindings {
  database: string;
  skipped: SkippedObject[];
  /** Why the plan could not be made at all (an object it cannot read or place), or undefined. */
  error?: { message: string; remedy?: string };
}

/**
 * The plan's options. The loader takes copyOwners and copyPrivileges from the task's options,
 * which a checker is not given; they add owner and GRANT statements only, never skip an object
 * or fail the plan, so the defaults give the same `skipped` list and the same errors.
 */
const PLAN_OPTIONS = { copyOwners: false, copyPrivileges: false };

/**
 * Plans one database's schema from the source's catalogs with the loader's selection rule (the
 * whole database, or its selected tables). A failed connection is thrown, for guardCheck to
 * report; a failed plan is a finding that names the object.
 */
export async function planFindings(ctx: CheckContext, database: ResolvedDatabase): Promise<PlanFindings> {
  const client = await openClient(
    ctx.source.route.connection({ database: database.name }),
    'pgshift-check-schema',
  );
  try {
    const plan = await planSchema(client, database.whole ? {} : { tables: database.tables }, PLAN_OPTIONS);
    return { database: database.name, skipped: plan.skipped ?? [] };
  } catch (error) {
    const remedy = (error as { remedy?: unknown }).remedy;
    return {
      database: database.name,
      skipped: [],
      error: { message: describeError(error), ...(typeof remedy === 'string' ? { remedy } : {}) },
    };
  } finally {
    await client.end().catch(() => {});
  }
}
