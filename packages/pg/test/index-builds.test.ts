import { describe, expect, it } from 'vitest';
import { createIndexIfNotExists } from '../src/index.js';

describe('an index build run again after a crash', () => {
  it('becomes CREATE [UNIQUE] INDEX IF NOT EXISTS, once, and leaves other statements alone', () => {
    expect(createIndexIfNotExists('CREATE INDEX "a b" ON public.t USING btree (x)')).toBe(
      'CREATE INDEX IF NOT EXISTS "a b" ON public.t USING btree (x)',
    );
    expect(
      createIndexIfNotExists('CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id) INCLUDE (x)'),
    ).toBe('CREATE UNIQUE INDEX IF NOT EXISTS t_pkey ON public.t USING btree (id) INCLUDE (x)');
    const once = createIndexIfNotExists('CREATE INDEX i ON public.t (x)');
    expect(createIndexIfNotExists(once)).toBe(once);
    const constraint = 'ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey';
    expect(createIndexIfNotExists(constraint)).toBe(constraint);
  });
});
