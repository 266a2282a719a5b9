import { readSchemaObjects } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg17 = serverForFile(17);

describe('a CHECK constraint calling a function that takes its own table', () => {
  it('is split from the table and added after it, as the cycle requires', async () => {
    const source = await pg17.database('split src', [
      'CREATE TABLE public."Checked" (a int, b text)',
      `CREATE FUNCTION public."row ok"(public."Checked") RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT $1.a > 0 $$`,
      `ALTER TABLE public."Checked" ADD CONSTRAINT "positive a" CHECK (public."row ok"("Checked".*))`,
      'CREATE TABLE public.plain (x int CHECK (x > 1))',
    ]);
    const target = await pg17.database('split dst');
    const plan = await copySchema(source, target);
    // Only the constraint in the cycle moves after the data; the plain one stays inline.
    const after = plan.postData.filter((s) => s.description.startsWith('constraint'));
    expect(after.map((s) => s.description)).toEqual(['constraint "positive a" on "public"."Checked"']);

    expect(await readSchemaObjects(target)).toEqual(await readSchemaObjects(source));
    await expect(target.query(`INSERT INTO public."Checked" VALUES (0, 'no')`)).rejects.toThrow(/positive a/);
    await target.query(`INSERT INTO public."Checked" VALUES (1, 'yes')`);
  });
});
