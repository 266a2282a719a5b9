import {
  applyGlobals,
  planDatabaseGlobals,
  planRoles,
  readDatabaseGlobals,
  readRoleGlobals,
  readTargetRoles,
} from '@pgshift/pg';
import type { OpenSession, ResolvedSelection, ServerHandle } from '@pgshift/plugin-api';
import type { RunContext } from './run-context.js';

/** Whether this run carries roles and database globals: `options.copyRoles`, else whole instance only. */
export function carriesGlobals(options: { copyRoles?: boolean }, selection: ResolvedSelection): boolean {
  return options.copyRoles ?? selection.wholeInstance;
}

async function withSession<T>(server: ServerHandle, body: (session: OpenSession) => Promise<T>): Promise<T> {
  const session = await server.connect();
  try {
    return await body(session);
  } finally {
    await session.close().catch(() => {});
  }
}

/**
 * Creates the source's roles the target lacks, before any database's schema (owners and grants
 * name them). Roles already there are left as they are, and the run says so.
 */
export async function copyRoles(run: RunContext): Promise<void> {
  const say = (level: 'info' | 'warn', text: string) => {
    run.progress.emit({ type: 'message', level, text });
    run.task.logger[level](text);
  };
  const version = await run.source.version();
  const source = await withSession(run.source, (s) => readRoleGlobals(s, version.num));
  await withSession(run.target, async (target) => {
    const plan = planRoles(source, version.num, await readTargetRoles(target));
    if (plan.existing.length > 0)
      say('info', `roles already on the target, left as they are: ${plan.existing.join(', ')}`);
    if (plan.withoutPassword.length > 0)
      say(
        'warn',
        `the source user may not read pg_authid, so these roles are created without their passwords: ${plan.withoutPassword.join(', ')}; ` +
          'set them on the target (ALTER ROLE ... PASSWORD), or run with a source user that may read pg_authid',
      );
    if (plan.withoutSuperuserAttributes.length > 0)
      say(
        'warn',
        `the target user is no superuser, so these roles are created without SUPERUSER, REPLICATION or BYPASSRLS: ${plan.withoutSuperuserAttributes.join(', ')}`,
      );
    await applyGlobals(target, plan.statements);
    if (plan.created.length > 0) say('info', `roles created on the target: ${plan.created.join(', ')}`);
  });
}

/** Gives a database just created on the target its source owner, privileges, comment and settings. */
export async function copyDatabaseGlobals(run: RunContext, database: string): Promise<void> {
  const version = await run.source.version();
  const { globals, settings } = await withSession(run.source, async (s) => ({
    globals: await readDatabaseGlobals(s, version.num, database),
    settings: (await readRoleGlobals(s, version.num)).settings,
  }));
  if (!globals) return;
  await withSession(run.target, async (target) => {
    const { roles } = await readTargetRoles(target);
    await applyGlobals(target, planDatabaseGlobals(database, globals, settings, roles));
  });
}
