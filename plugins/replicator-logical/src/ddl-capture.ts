import { BOOKKEEPING_SCHEMA, CAPTURE_TRUNCATE_TRIGGER } from '@pgshift/pg';
import type { ReplicationContext } from '@pgshift/plugin-api';
import { TABLE_CREATING_TAGS } from './ddl-command.js';
import { publishCaptureLog } from './publication.js';

/**
 * Schema changes on the source travel in the change stream, at their exact place among the rows:
 * event triggers write each DDL command into `pgshift.ddl_log` in the command's own transaction,
 * and the follower turns that row back into the statement on the target (ddl-replay.ts).
 *
 * - `ddl_command_end` records the command tag, the client's query text (`current_query()`, which
 *   may hold several statements: `ordinal` says which DDL command of that text this is), the
 *   search_path and role it ran under, and from 9.5 the objects it touched
 *   (`pg_event_trigger_ddl_commands()`, with the table each belongs to). Commands on temporary
 *   objects, on pgshift's own, and those an extension's script runs are not recorded.
 * - `sql_drop` (9.5+) records what a command dropped, just before that command's own row.
 * - A new table that a task following this database selects joins it in the same transaction:
 *   added to the task's publication (10+, when it lists tables), and given the TRUNCATE capture
 *   trigger (sources before 11). Its rows are then in the stream from its creation on.
 *
 * On 9.4 only the text is known (no object list): see docs/incremental-sync.md.
 */
export const DDL_LOG_TABLE = 'ddl_log';
const EVENT_TRIGGER_END = 'pgshift_ddl_end';
const EVENT_TRIGGER_DROP = 'pgshift_ddl_drop';

const S = BOOKKEEPING_SCHEMA;

const TABLES = `
CREATE SCHEMA IF NOT EXISTS ${S};
CREATE TABLE IF NOT EXISTS ${S}.ddl_log (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  tag text NOT NULL,
  ordinal int NOT NULL,
  query text NOT NULL,
  objects text NOT NULL,
  search_path text NOT NULL,
  role_name text NOT NULL,
  xid bigint NOT NULL DEFAULT txid_current(),
  stmt_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE IF NOT EXISTS ${S}.ddl_followers (
  slot_name text PRIMARY KEY,
  publication text,
  patterns text NOT NULL);
-- Parenthesised: before 9.5, ->> binds looser than IS NULL.
CREATE OR REPLACE FUNCTION ${S}.ddl_selects(patterns json, s text, t text) RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $sel$
  SELECT (json_array_length(patterns->'include') = 0 OR EXISTS (
            SELECT 1 FROM json_array_elements(patterns->'include') p
             WHERE ((p->>'schema') IS NULL OR s ~ (p->>'schema')) AND ((p->>'table') IS NULL OR t ~ (p->>'table'))))
     AND NOT EXISTS (
            SELECT 1 FROM json_array_elements(patterns->'exclude') p
             WHERE ((p->>'schema') IS NULL OR s ~ (p->>'schema')) AND ((p->>'table') IS NULL OR t ~ (p->>'table')))
$sel$;`;

/** The role a command ran as: SET ROLE shows in the `role` setting, which SECURITY DEFINER keeps. */
const RUNNING_ROLE = `CASE current_setting('role') WHEN 'none' THEN session_user::text ELSE current_setting('role') END`;

/** How many DDL commands of the current client query string were recorded before this one. */
const ORDINAL = `(SELECT count(*) FROM ${S}.ddl_log
   WHERE kind IN ('end', 'skip') AND xid = txid_current() AND stmt_at = statement_timestamp())`;
/**
 * Says in the transaction that a drop touched nothing to follow (temporary objects only), for the
 * command's own ddl_command_end: no row is written for it then. Keyed to the command.
 */
const PASSED = `txid_current()::text || '/' || statement_timestamp()::text || '/' || ${ORDINAL}`;

/**
 * A command that needs no row still counts among the statements of its query text, by a `skip`
 * row; a text with no semicolon holds one statement only, and needs none.
 */
const SKIP = `IF strpos(coalesce(current_query(), ''), ';') > 0 THEN
      INSERT INTO ${S}.ddl_log (kind, tag, ordinal, query, objects, search_path, role_name)
      VALUES ('skip', tag, ${ORDINAL}, '', '[]', '', '');
    END IF;`;

/**
 * The event trigger's function runs as whoever ran the command, and only hands the command tag and
 * that session's search_path (which the recording function's own fixed one would hide) to the
 * SECURITY DEFINER function that writes the log.
 */
const CALLER = `
CREATE OR REPLACE FUNCTION ${S}.capture_ddl_end() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM ${S}.record_ddl_end(tg_tag, pg_catalog.current_setting('search_path'));
END $fn$;`;

/** 9.5+: objects known, new tables join the tasks that select them. */
const CAPTURE_END = `
CREATE OR REPLACE FUNCTION ${S}.record_ddl_end(tag text, path text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  total int;
  objects json;
  passed boolean;
  created record;
  follower record;
BEGIN
  -- pgshift's own publication changes (below) fire this trigger again: nothing to record.
  IF tag LIKE '% PUBLICATION' OR tag LIKE '% SUBSCRIPTION' THEN RETURN; END IF;
  -- Nor is the TRUNCATE capture trigger this function puts on a new table.
  IF tag = 'CREATE TRIGGER' AND EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() c
       WHERE c.object_type = 'trigger' AND c.object_identity LIKE '${CAPTURE_TRUNCATE_TRIGGER} on %') THEN
    RETURN;
  END IF;
  SELECT count(*) INTO total FROM pg_event_trigger_ddl_commands();
  SELECT json_agg(o) INTO objects FROM (
    SELECT c.object_type AS type, c.schema_name AS schema, c.object_identity AS identity,
           rn.nspname AS rel_schema, r.relname AS rel_name, r.relkind::text AS rel_kind,
           pn.nspname AS parent_schema, p.relname AS parent_name
      FROM pg_event_trigger_ddl_commands() c
      LEFT JOIN pg_class r ON r.oid = CASE c.classid
             WHEN 'pg_class'::regclass THEN coalesce((SELECT indrelid FROM pg_index WHERE indexrelid = c.objid), c.objid)
             WHEN 'pg_constraint'::regclass THEN (SELECT conrelid FROM pg_constraint WHERE oid = c.objid)
             WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = c.objid)
             WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = c.objid)
             WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = c.objid) END
      LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
      LEFT JOIN pg_inherits i ON i.inhrelid = r.oid
      LEFT JOIN pg_class p ON p.oid = i.inhparent
      LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
     WHERE NOT c.in_extension
       AND coalesce(c.schema_name, '') <> '${S}' AND coalesce(c.schema_name, '') NOT LIKE 'pg\\_temp%'
       AND coalesce(rn.nspname, '') NOT LIKE 'pg\\_temp%') o;
  -- Only temporary objects, pgshift's own, or an extension's members: nothing to follow, but the
  -- command still counts among the statements of its query text.
  IF total > 0 AND objects IS NULL THEN
    ${SKIP}
    RETURN;
  END IF;
  -- A drop of temporary objects only (sql_drop said so just before, see capture_ddl_drop).
  IF total = 0 THEN
    BEGIN
      passed := current_setting('pgshift.ddl_passed') = ${PASSED};
    EXCEPTION WHEN undefined_object THEN
      passed := false;
    END;
    IF passed THEN
      ${SKIP}
      RETURN;
    END IF;
  END IF;
  INSERT INTO ${S}.ddl_log (kind, tag, ordinal, query, objects, search_path, role_name)
  VALUES ('end', tag, ${ORDINAL}, coalesce(current_query(), ''), coalesce(objects::text, '[]'),
          path, ${RUNNING_ROLE});
  IF tag NOT IN (${TABLE_CREATING_TAGS.map((t) => `'${t}'`).join(', ')}) THEN RETURN; END IF;
  FOR created IN
    SELECT DISTINCT x.rel_schema, x.rel_name, x.parent_schema, x.parent_name
      FROM json_to_recordset(objects) AS x(type text, rel_schema text, rel_name text, rel_kind text,
                                           parent_schema text, parent_name text)
     WHERE x.type = 'table' AND x.rel_kind = 'r'
  LOOP
    FOR follower IN SELECT * FROM ${S}.ddl_followers LOOP
      CONTINUE WHEN NOT (${S}.ddl_selects(follower.patterns::json, created.rel_schema, created.rel_name)
        OR (created.parent_name IS NOT NULL
            AND ${S}.ddl_selects(follower.patterns::json, created.parent_schema, created.parent_name)));
      -- Nested: before 10 there is no pg_publication to plan a query on.
      IF follower.publication IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = follower.publication AND NOT puballtables) THEN
          EXECUTE format('ALTER PUBLICATION %I ADD TABLE %I.%I', follower.publication, created.rel_schema, created.rel_name);
        END IF;
      END IF;
      IF to_regproc('${S}.capture_truncate') IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM pg_trigger WHERE tgname = '${CAPTURE_TRUNCATE_TRIGGER}'
              AND tgrelid = format('%I.%I', created.rel_schema, created.rel_name)::regclass) THEN
        EXECUTE format('CREATE TRIGGER ${CAPTURE_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON %I.%I
                          FOR EACH STATEMENT EXECUTE PROCEDURE ${S}.capture_truncate()',
                       created.rel_schema, created.rel_name);
      END IF;
    END LOOP;
  END LOOP;
END $fn$;
${CALLER}`;

/** 9.5+: what a command dropped, recorded just before its own row. */
const CAPTURE_DROP = `
CREATE OR REPLACE FUNCTION ${S}.capture_ddl_drop() RETURNS event_trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
  objects json;
BEGIN
  SELECT coalesce(json_agg(json_build_object('type', d.object_type, 'schema', d.schema_name,
           'name', d.object_name, 'identity', d.object_identity, 'temporary', d.is_temporary)), '[]')
    INTO objects
    FROM pg_event_trigger_dropped_objects() d
   WHERE d.original AND coalesce(d.schema_name, '') <> '${S}'
     AND NOT (d.object_type = 'trigger' AND d.object_identity LIKE '${CAPTURE_TRUNCATE_TRIGGER} on %')
     AND NOT d.is_temporary;
  -- Nothing to follow (temporary objects, pgshift's own): no row, and the command's end passes.
  IF objects::text = '[]' THEN
    PERFORM set_config('pgshift.ddl_passed', ${PASSED}, true);
    RETURN;
  END IF;
  INSERT INTO ${S}.ddl_log (kind, tag, ordinal, query, objects, search_path, role_name)
  VALUES ('drop', tg_tag, ${ORDINAL}, '', objects::text, '', ${RUNNING_ROLE});
END $fn$;`;

/** 9.4: the text alone. */
const CAPTURE_END_TEXT_ONLY = `
CREATE OR REPLACE FUNCTION ${S}.record_ddl_end(tag text, path text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO ${S}.ddl_log (kind, tag, ordinal, query, objects, search_path, role_name)
  VALUES ('end', tag, ${ORDINAL}, coalesce(current_query(), ''), '', path, ${RUNNING_ROLE});
END $fn$;
${CALLER}`;

/**
 * Installs the capture for this task (idempotent): before the slot exists, so every command after
 * its snapshot is in the log. Needs a superuser on the source, as event triggers do.
 */
export async function installDdlCapture(ctx: ReplicationContext): Promise<void> {
  const database = ctx.database.name;
  const version = (await ctx.source.version()).num;
  const objectsKnown = version >= 90500;
  await ctx.source.query(TABLES, [], { database });
  await ctx.source.query(objectsKnown ? CAPTURE_END : CAPTURE_END_TEXT_ONLY, [], { database });
  if (objectsKnown) await ctx.source.query(CAPTURE_DROP, [], { database });
  const patterns = JSON.stringify(ctx.database.patterns ?? { include: [], exclude: [] });
  const publication = ctx.decoder.publication ? ctx.publicationName : null;
  await ctx.source.query(`DELETE FROM ${S}.ddl_followers WHERE slot_name = $1`, [ctx.slotName], { database });
  await ctx.source.query(
    `INSERT INTO ${S}.ddl_followers (slot_name, publication, patterns) VALUES ($1, $2, $3)`,
    [ctx.slotName, publication, patterns],
    { database },
  );
  await publishCaptureLog(ctx, DDL_LOG_TABLE);
  await ensureEventTrigger(ctx, EVENT_TRIGGER_END, 'ddl_command_end', 'capture_ddl_end');
  if (objectsKnown) await ensureEventTrigger(ctx, EVENT_TRIGGER_DROP, 'sql_drop', 'capture_ddl_drop');
}

async function ensureEventTrigger(
  ctx: ReplicationContext,
  name: string,
  event: string,
  fn: string,
): Promise<void> {
  const database = ctx.database.name;
  const { rows } = await ctx.source.query('SELECT 1 FROM pg_event_trigger WHERE evtname = $1', [name], {
    database,
  });
  if (rows.length === 0)
    await ctx.source.query(`CREATE EVENT TRIGGER ${name} ON ${event} EXECUTE PROCEDURE ${S}.${fn}()`, [], {
      database,
    });
}

/**
 * Takes this task out of the capture; the event triggers and the log go with the last task that
 * follows this database (the log itself goes with pgshift's schema, see truncate-capture.ts).
 */
export async function removeDdlCapture(ctx: ReplicationContext): Promise<void> {
  const database = ctx.database.name;
  const { rows: present } = await ctx.source.query(
    "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = 'ddl_followers'",
    [S],
    { database },
  );
  if (present.length > 0)
    await ctx.source.query(`DELETE FROM ${S}.ddl_followers WHERE slot_name = $1`, [ctx.slotName], {
      database,
    });
  const { rows: others } = await ctx.source.query(
    "SELECT 1 FROM pg_replication_slots WHERE database = current_database() AND slot_name LIKE 'pgshift\\_%' AND slot_name <> $1",
    [ctx.slotName],
    { database },
  );
  if (others.length > 0 || present.length === 0) return;
  await ctx.source.query(
    `DROP EVENT TRIGGER IF EXISTS ${EVENT_TRIGGER_END}; DROP EVENT TRIGGER IF EXISTS ${EVENT_TRIGGER_DROP};
     DROP FUNCTION IF EXISTS ${S}.capture_ddl_end(); DROP FUNCTION IF EXISTS ${S}.capture_ddl_drop();
     DROP FUNCTION IF EXISTS ${S}.record_ddl_end(text, text);
     DROP TABLE IF EXISTS ${S}.ddl_log, ${S}.ddl_followers;
     DROP FUNCTION IF EXISTS ${S}.ddl_selects(json, text, text);`,
    [],
    { database },
  );
  // The schema goes too when nothing else of pgshift's is left in it.
  await ctx.source.query(`DROP SCHEMA IF EXISTS ${S}`, [], { database }).catch(() => {});
}

/** Whether the source role may create event triggers (a superuser). */
export async function canCaptureDdl(ctx: ReplicationContext): Promise<boolean> {
  const { rows } = await ctx.source.query<{ superuser: boolean }>(
    'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
    [],
    { database: ctx.database.name },
  );
  return rows[0]?.superuser === true;
}
