import { describe, expect, it } from 'vitest';
import { renderLiteral, renderStatement } from '../src/render-literal.js';

describe('renderStatement', () => {
  it('inlines each $n as a quoted literal, keeping the explicit casts', () => {
    expect(
      renderStatement({
        text: 'INSERT INTO "s"."t" ("a", "b") VALUES ($1::"pg_catalog"."int4", $2::"pg_catalog"."text")',
        values: ['42', "it's"],
      }),
    ).toBe(`INSERT INTO "s"."t" ("a", "b") VALUES ('42'::"pg_catalog"."int4", 'it''s'::"pg_catalog"."text")`);
  });

  it('renders NULL, backslashes (E string), quotes and unicode exactly', () => {
    expect(renderLiteral(null)).toBe('NULL');
    expect(renderLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(renderLiteral("o'k\\n")).toBe("E'o''k\\\\n'");
    expect(renderLiteral('naïve ☃ 𝄞 日本')).toBe("'naïve ☃ 𝄞 日本'");
    expect(renderLiteral('')).toBe("''");
    expect(renderStatement({ text: 'SELECT $1::text, $2::int4', values: [null, '7'] })).toBe(
      "SELECT NULL::text, '7'::int4",
    );
  });

  it('leaves $n inside quoted identifiers, string literals, comments and unquoted names alone', () => {
    const text =
      'UPDATE "t$1" SET "col $2" = $1::text, "a""$1" = $2::text WHERE x$1 = \'$1\' AND y = E\'\\\'$2\' /* $1 /* $2 */ */ -- $1\n AND z = $2';
    expect(renderStatement({ text, values: ['v1', 'v2'] })).toBe(
      "UPDATE \"t$1\" SET \"col $2\" = 'v1'::text, \"a\"\"$1\" = 'v2'::text WHERE x$1 = '$1' AND y = E'\\'$2' /* $1 /* $2 */ */ -- $1\n AND z = 'v2'",
    );
  });

  it('does not read $10 as $1 followed by 0, and a value that looks like a placeholder stays a value', () => {
    const values = Array.from({ length: 10 }, (_, i) => `$${i + 2}`);
    const text = values.map((_, i) => `$${i + 1}`).join(',');
    expect(renderStatement({ text, values })).toBe(values.map((v) => `'${v}'`).join(','));
  });

  it('refuses a placeholder without a value and dollar-quoted text rather than guessing', () => {
    expect(() => renderStatement({ text: 'SELECT $2', values: ['a'] })).toThrow(/\$2 has no value/);
    expect(() => renderStatement({ text: 'SELECT $$x$$, $1', values: ['a'] })).toThrow(/dollar-quoted/);
    expect(() => renderStatement({ text: "SELECT 'x, $1", values: ['a'] })).toThrow(/unterminated/);
  });

  it('returns a statement without values unchanged', () => {
    expect(renderStatement({ text: 'TRUNCATE ONLY "a$1"', values: [] })).toBe('TRUNCATE ONLY "a$1"');
  });
});
