import { describeChecker } from '@pgshift/conformance';
import { expect } from 'vitest';
import plugin from '../src/index.js';

describeChecker({
  plugin,
  arrange: {
    // A trigger that only stamps its own row is harmless.
    pass: async (s) => {
      const source = await s.server('source');
      await s.database(
        source,
        'stamped',
        `CREATE TABLE items (id int PRIMARY KEY, changed timestamptz);
         CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.changed := now(); RETURN NEW; END$$;
         CREATE TRIGGER stamp BEFORE UPDATE ON items FOR EACH ROW EXECUTE PROCEDURE stamp();`,
      );
      return s.context({ source, target: source, databases: ['stamped'] });
    },
    // An audit trigger writing to another table, and a rule.
    warn: async (s) => {
      const source = await s.server('source');
      await s.database(
        source,
        'audited',
        `CREATE TABLE items (id int PRIMARY KEY);
         CREATE TABLE audit (id int, op text);
         CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS
           $$BEGIN INSERT INTO audit VALUES (NEW.id, TG_OP); RETURN NEW; END$$;
         CREATE TRIGGER audit AFTER INSERT ON items FOR EACH ROW EXECUTE PROCEDURE audit();
         CREATE RULE no_delete AS ON DELETE TO audit DO INSTEAD NOTHING;`,
      );
      return s.context({ source, target: source, databases: ['audited'] });
    },
  },
  verify: {
    warn: (results) => {
      expect(results[0]?.remedy).toContain('ALTER TABLE "public"."items" DISABLE TRIGGER "audit";');
      expect(results[0]?.remedy).toContain('ALTER TABLE "public"."audit" DISABLE RULE "no_delete";');
    },
  },
});
