import { describe, expect, it } from 'vitest';
import { SchemaCache } from '../src/config/ajv.js';
import { formatAjvErrors } from '../src/config/format-errors.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    ratio: { type: 'number', exclusiveMinimum: 0 },
    name: { type: 'string', minLength: 1, maxLength: 5 },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    secret: {
      'x-secret': true,
      anyOf: [
        { type: 'string' },
        {
          type: 'object',
          properties: { env: { type: 'string' } },
          required: ['env'],
          additionalProperties: false,
        },
      ],
    },
    ssh: {
      type: 'object',
      properties: { host: { type: 'string' }, key: { type: 'string' }, agent: { type: 'boolean' } },
      anyOf: [
        { type: 'object', properties: { key: true }, required: ['key'] },
        { type: 'object', properties: { agent: true }, required: ['agent'] },
      ],
    },
    network: { type: 'string', enum: ['basic', 'vpc'] },
  },
  if: { type: 'object', properties: { network: { const: 'vpc' } }, required: ['network'] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword.
  then: { type: 'object', properties: { vpcId: true }, required: ['vpcId'] },
};

function problems(data: unknown): string[] {
  const validate = new SchemaCache().compile(schema);
  expect(validate(data)).toBe(false);
  return formatAjvErrors(validate.errors, 'source').map((p) => `${p.path}: ${p.message}`);
}

describe('formatAjvErrors', () => {
  it('writes one plain sentence per problem, with its path', () => {
    expect(
      problems({
        port: 0,
        ratio: 0,
        name: 'toolong',
        tags: ['a', 'b', 3],
        secret: 12,
        ssh: { host: 'b' },
        network: 'vpc',
      }),
    ).toEqual([
      'source: missing required field "vpcId"',
      'source.port: must be an integer between 1 and 65535',
      'source.ratio: must be a number greater than 0',
      'source.name: must be at most 5 characters long',
      'source.tags: must list at most 2 items',
      'source.tags[2]: must be a string',
      'source.secret: must be a string or a mapping of fields',
      'source.ssh: needs one of the fields "key", "agent"',
    ]);
  });

  it('reports the branch the user meant when an alternative got further', () => {
    expect(problems({ secret: { env: 5 } })).toEqual(['source.secret.env: must be a string']);
  });
});
