import { describe, expect, it } from 'vitest';
import { SchemaObjectsChecker } from '../src/check.js';
import { type SkippedContext, skippedItem } from '../src/skipped-item.js';

const checker = new SchemaObjectsChecker();
const MAPPING = 'options of user mapping (only a superuser may read them)';
const FLAGS = 'inherited-only flags of columns and checks (set only when the target session is a superuser)';
const shop = {
  database: 'shop',
  skipped: [
    { kind: MAPPING, name: 'for PUBLIC server remote_shop' },
    { kind: 'rule', name: '"public"."keep"' },
  ],
};
const context = (allowSkipped: string[] = [], targetSuperuser = true): SkippedContext => ({
  options: { allowSkipped },
  targetSuperuser,
});

describe('the source.schema-objects item', () => {
  it('fails on every object the plan leaves out, naming it, its kind and its database', () => {
    const item = skippedItem(checker, [shop], context());
    expect(item.status).toBe('failed');
    expect(item.message).toContain(`${MAPPING} for PUBLIC server remote_shop in shop`);
    expect(item.message).toContain('rule "public"."keep" in shop');
    expect(item.remedy).toContain(`allowSkipped: [${JSON.stringify(MAPPING)}, "rule"]`);
    expect(item.remedy).toContain('-- in database shop:\n');
  });

  it('warns about the kinds allowSkipped lists, whatever their case, and fails on the rest', () => {
    const some = skippedItem(checker, [shop], context(['RULE']));
    expect(some.status).toBe('failed');
    expect(some.message).toMatch(
      /does not create these objects on the target: options of user mapping .* in shop;/,
    );
    expect(some.message).toMatch(/allowed by allowSkipped: rule "public"\."keep" in shop$/);
    // The snippet to copy keeps what the user already allowed.
    expect(some.remedy).toContain(`allowSkipped: ["RULE", ${JSON.stringify(MAPPING)}]`);
    expect(skippedItem(checker, [shop], context([MAPPING, 'rule'])).status).toBe('warning');
  });

  it('counts what only a superuser target session carries as carried when the target session is one', () => {
    const flags = [{ database: 'shop', skipped: [{ kind: FLAGS, name: '"public"."stock_2024"' }] }];
    expect(skippedItem(checker, flags, context([], true)).status).toBe('pass');
    const item = skippedItem(checker, flags, context([], false));
    expect(item.status).toBe('failed');
    expect(item.message).toContain(`${FLAGS} "public"."stock_2024" in shop`);
    expect(item.remedy).toContain('connect to the target as a superuser');
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
      context(),
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
      context(),
    );
    expect(item.status).toBe('failed');
    expect(item.message).toBe(
      'the schema of database crm cannot be planned: the source has no table "public"."ghost"',
    );
  });

  it('passes when the plan leaves nothing out', () => {
    expect(skippedItem(checker, [{ database: 'shop', skipped: [] }], context()).status).toBe('pass');
  });
});
