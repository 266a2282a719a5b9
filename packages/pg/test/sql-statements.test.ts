import { describe, expect, it } from 'vitest';
import { leadingWords, splitStatements } from '../src/sql-statements.js';

describe('splitStatements', () => {
  it('splits on semicolons and drops empty statements', () => {
    expect(splitStatements(' ALTER TABLE a ADD b int; ;CREATE INDEX ON a (b);')).toEqual([
      'ALTER TABLE a ADD b int',
      'CREATE INDEX ON a (b)',
    ]);
  });

  it('keeps semicolons inside literals, identifiers and comments', () => {
    const text = [
      "INSERT INTO t VALUES ('a;b', E'c\\';d')",
      'CREATE TABLE "x;y" (c int) -- one; two\n',
      "COMMENT ON TABLE t IS /* a; /* nested; */ b */ 'it''s; fine'",
    ].join(';');
    expect(splitStatements(text)).toEqual([
      "INSERT INTO t VALUES ('a;b', E'c\\';d')",
      'CREATE TABLE "x;y" (c int) -- one; two',
      "COMMENT ON TABLE t IS /* a; /* nested; */ b */ 'it''s; fine'",
    ]);
  });

  it('keeps dollar-quoted bodies whole, tagged or not', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$';
    const doBlock = 'DO $$ BEGIN PERFORM 1; END $$';
    expect(splitStatements(`${fn};${doBlock};SELECT $1`)).toEqual([fn, doBlock, 'SELECT $1']);
  });

  it('keeps SQL-standard function bodies whole', () => {
    const fn =
      'CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END; SELECT 2; END';
    expect(splitStatements(`${fn}; DROP TABLE z`)).toEqual([fn, 'DROP TABLE z']);
  });

  it('does not take a standard string ending in a backslash for an escape', () => {
    expect(splitStatements("SELECT 'a\\'; SELECT 2")).toEqual(["SELECT 'a\\'", 'SELECT 2']);
  });
});

describe('leadingWords', () => {
  it('reads keywords past comments and stops at punctuation', () => {
    expect(leadingWords('/* x */ create unique -- y\n index concurrently i ON t (c)', 5)).toEqual([
      'CREATE',
      'UNIQUE',
      'INDEX',
      'CONCURRENTLY',
      'I',
    ]);
    expect(leadingWords('ALTER TYPE "mood" ADD VALUE', 4)).toEqual(['ALTER', 'TYPE']);
  });
});
