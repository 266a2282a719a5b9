import { describe, expect, it } from 'vitest';
import { SchemaObjectsChecker } from '../src/index.js';
import { skippedItem } from '../src/skipped-item.js';

const checker = new SchemaObjectsChecker();
const shop = {
  database: 'shop',
  skipped: [
    { kind: 'foreign table', name: 'public.remote_orders' },
    { kind: 'event trigger', name: 'audit_ddl' },
  ],
};

describe('the source.schema-objects item', () => {
  it('fails on every object the plan leaves out, naming it, its kind and its database', () => {
    const item = skippedItem(checker, [shop], { allowSkipped: [] });
    expect(item.status).toBe('failed');
    expect(item.message).toContain('foreign table public.remote_orders in shop');
    expect(item.message).toContain('event trigger audit_ddl in shop');
    expect(item.remedy).toContain('allowSkipped: ["foreign table", "event trigger"]');
    expect(item.remedy).toContain('DROP FOREIGN TABLE public.remote_orders;');
    expect(item.remedy).toContain('DROP EVENT TRIGGER audit_ddl;');
  });

  it('warns about the kinds allowSkipped lists, whatever their case, and fails on the rest', () => {
    const some = skippedItem(checker, [shop], { allowSkipped: ['Foreign Table'] });
    expect(some.status).toBe('failed');
    expect(some.message).toMatch(
      /does not create these objects on the target: event trigger audit_ddl in shop;/,
    );
    expect(some.message).toMatch(/allowed by allowSkipped: foreign table public\.remote_orders in shop$/);
    // The snippet to copy keeps what the user already allowed.
    expect(some.remedy).toContain('allowSkipped: ["Foreign Table", "event trigger"]');
    const all = skippedItem(checker, [shop], { allowSkipped: ['foreign table', 'event trigger'] });
    expect(all.status).toBe('warning');
  });

  it('warns about objects left out with tables outside the selection, and leaves foreign keys to selection.foreign-keys', () => {
    const item = skippedItem(
      checker,
      [
        {
          database: 'shop',
          skipped: [
            { kind: 'view', name: '"public"."order_totals"', needs: ['"public"."orders"'] },
            { kind: 'foreign key to a table outside the selection', name: '"fk" on "public"."lines"' },
          ],
        },
      ],
      {},
    );
    expect(item.status).toBe('warning');
    expect(item.message).toBe(
      'left out with the tables outside the selection: view "public"."order_totals" (needs "public"."orders") in shop',
    );
  });

  it('fails with the reason when a database cannot be planned', () => {
    const item = skippedItem(
      checker,
      [{ database: 'crm', skipped: [], error: { message: 'the source has no table "public"."ghost"' } }],
      {},
    );
    expect(item.status).toBe('failed');
    expect(item.message).toBe(
      'the schema of database crm cannot be planned: the source has no table "public"."ghost"',
    );
  });

  it('passes when the plan leaves nothing out', () => {
    expect(skippedItem(checker, [{ database: 'shop', skipped: [] }], {}).status).toBe('pass');
  });
});
