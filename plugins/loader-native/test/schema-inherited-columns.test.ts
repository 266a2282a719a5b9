import { readSchemaObjects } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg15 = serverForFile(15);

const COLUMNS = `SELECT c.relname || '.' || a.attname || ' default=' || COALESCE(pg_get_expr(d.adbin, d.adrelid), '-')
    || ' generated=' || a.attgenerated::text || ' local=' || a.attislocal::text AS v
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1`;

describe('columns children share with their parents (as the regression database has them)', () => {
  it('keep defaults set on the parent only, generated columns and constraint index comments', async () => {
    const source = await pg15.database('inh src', [
      // A default set on the parent after its partition and child exist: they have none.
      'CREATE TABLE public.parted (a int, b int) PARTITION BY RANGE (a)',
      'CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES FROM (0) TO (10)',
      'ALTER TABLE ONLY public.parted ALTER COLUMN b SET DEFAULT 42',
      'CREATE TABLE public.base (a int, b int)',
      'CREATE TABLE public.base_child () INHERITS (public.base)',
      'ALTER TABLE ONLY public.base ALTER COLUMN a SET DEFAULT 7',
      // A generated child of a plain parent, and a generated child of a generated parent.
      'CREATE TABLE public.gplain (a int, b int)',
      'CREATE TABLE public.gplain_child (a int, b int GENERATED ALWAYS AS (a * 2) STORED) INHERITS (public.gplain)',
      'CREATE TABLE public.ggen (a int, b int GENERATED ALWAYS AS (a * 3) STORED)',
      'CREATE TABLE public.ggen_child (a int NOT NULL, b int GENERATED ALWAYS AS (a * 3) STORED)',
      'ALTER TABLE public.ggen_child INHERIT public.ggen',
      // The index behind a primary key has a comment of its own.
      'CREATE TABLE public.commented (id int CONSTRAINT commented_pk PRIMARY KEY)',
      `COMMENT ON INDEX public.commented_pk IS 'the index'`,
      `COMMENT ON CONSTRAINT commented_pk ON public.commented IS 'the constraint'`,
    ]);
    // 15 into 15: from 16 on a child column may be generated only where its parent's is.
    const target = await pg15.database('inh dst');
    await copySchema(source, target);

    const expected = (await source.query(COLUMNS)).rows;
    expect(expected).toContainEqual({ v: 'parted_1.b default=- generated= local=false' });
    expect(expected).toContainEqual({ v: 'gplain_child.b default=(a * 2) generated=s local=true' });
    expect((await target.query(COLUMNS)).rows).toEqual(expected);
    const comment = await target.query(
      `SELECT obj_description('public.commented_pk'::regclass, 'pg_class') AS c`,
    );
    expect(comment.rows).toEqual([{ c: 'the index' }]);
    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
  });
});
