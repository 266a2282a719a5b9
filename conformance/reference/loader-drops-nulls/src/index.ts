import { openClient, qualified, quoteIdent } from '@pgshift/pg';
import {
  BUILT_IN_LOADER,
  Capability,
  definePlugin,
  extendLoader,
  LOADER,
  type LoadContext,
  PLUGIN_API_VERSION,
} from '@pgshift/plugin-api';

/**
 * DELIBERATELY BROKEN. Copies like the first-party loader, then "cleans up" every copied NULL of a
 * string column into an empty string — the classic fault of CSV-style copies that cannot tell NULL
 * from ''. The conformance suite must fail it on its NULL test.
 */
async function emptyStringsForNulls(ctx: LoadContext): Promise<void> {
  const target = await openClient(ctx.target.route.connection({ database: ctx.database.name }));
  try {
    const { rows } = await target.query(
      `SELECT n.nspname AS s, c.relname AS t, a.attname AS col FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull
            AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
            AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgshift')`,
    );
    for (const r of rows)
      await target.query(
        `UPDATE ${qualified(r.s, r.t)} SET ${quoteIdent(r.col)} = '' WHERE ${quoteIdent(r.col)} IS NULL`,
      );
  } finally {
    await target.end();
  }
}

// Written out with definePlugin, on plugin-api alone, as a third-party loader would be.
export default definePlugin({
  meta: {
    name: 'reference-loader-drops-nulls',
    version: '0.0.0',
    kind: 'loader',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Deliberately broken: turns NULLs of string columns into empty strings.',
  },
  capabilities: [Capability.loader.schema, Capability.loader.data],
  register(r) {
    // Built on pgshift's own loader through the host, as a third-party loader would be.
    r.factory(LOADER, (resolver) =>
      extendLoader(resolver.resolve(BUILT_IN_LOADER)(), {
        async copyData(ctx, base) {
          const summary = await base.copyData(ctx);
          await emptyStringsForNulls(ctx);
          return summary;
        },
      }),
    );
  },
});
