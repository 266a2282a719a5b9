import { describe, expect, it } from 'vitest';
import { copySchema, serverForFile } from './schema-helpers.js';

const pg17 = serverForFile(17);

const FOREIGN_KEYS = `SELECT conrelid::regclass::text || ' ' || conname || ' -> ' || confrelid::regclass::text AS v
  FROM pg_constraint WHERE contype = 'f' ORDER BY 1`;

describe('foreign keys cloned onto partitions and for referenced partitions', () => {
  it('keep the names the source gave them, even names swapped against what the target would make', async () => {
    const source = await pg17.database('clones src', [
      'CREATE TABLE public.pk (a int PRIMARY KEY) PARTITION BY LIST (a)',
      'CREATE TABLE public.pk1 PARTITION OF public.pk FOR VALUES IN (1)',
      'CREATE TABLE public.pk2 PARTITION OF public.pk FOR VALUES IN (2)',
      'CREATE TABLE public.fk (a int) PARTITION BY LIST (a)',
      'CREATE TABLE public.fk1 PARTITION OF public.fk FOR VALUES IN (1)',
      // Names taken when the key was added push its clones to other numbers; then freed.
      'ALTER TABLE public.fk ADD CONSTRAINT fk_a_fkey1 CHECK (a > 0)',
      'ALTER TABLE public.fk1 ADD CONSTRAINT fk_a_fkey CHECK (a > 0)',
      'ALTER TABLE public.fk ADD FOREIGN KEY (a) REFERENCES public.pk',
      'ALTER TABLE public.fk DROP CONSTRAINT fk_a_fkey1',
      'ALTER TABLE public.fk1 DROP CONSTRAINT fk_a_fkey',
    ]);
    const target = await pg17.database('clones dst');
    await copySchema(source, target);

    const expected = (await source.query(FOREIGN_KEYS)).rows;
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect((await target.query(FOREIGN_KEYS)).rows).toEqual(expected);
  });
});
