import { type JsonSchema, portSchema, secretSchema, stringSchema } from '@pgshift/plugin-api';
import { tlsSchema } from './tls-config.js';

/** JSON Schema fragments shared by the first-party connectors (the basic ones are plugin-api's). */
export { portSchema, secretSchema, stringSchema };

/** `field` becomes required when `discriminator` equals `value`. */
export function requiredWhen(discriminator: string, value: string, fields: readonly string[]): JsonSchema {
  return {
    if: {
      type: 'object',
      properties: { [discriminator]: { const: value } },
      required: [discriminator],
    },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword.
    then: {
      type: 'object',
      properties: Object.fromEntries(fields.map((f) => [f, true])),
      required: [...fields],
    },
  };
}

/** `via: { ssh: {...} }` — reach the server through an SSH jump host. */
export const viaSchema: JsonSchema = {
  type: 'object',
  description: 'How to reach the server when it is not directly reachable.',
  additionalProperties: false,
  required: ['ssh'],
  properties: {
    ssh: {
      type: 'object',
      description: 'An SSH jump host (bastion) that can reach the server.',
      additionalProperties: false,
      required: ['host', 'user'],
      properties: {
        host: stringSchema('Address of the jump host.'),
        port: { ...portSchema, description: 'SSH port of the jump host (22).' },
        user: stringSchema('User to log in as.'),
        privateKey: secretSchema('Private key (OpenSSH or PEM text).'),
        privateKeyFile: stringSchema('File holding the private key, relative to the config file.'),
        passphrase: secretSchema('Passphrase of an encrypted private key.'),
        agent: { type: 'boolean', description: 'Authenticate through the ssh-agent at SSH_AUTH_SOCK.' },
        knownHosts: stringSchema('known_hosts file to check the host key against (~/.ssh/known_hosts).'),
        hostKey: {
          type: 'string',
          pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$',
          description: 'Expected host key fingerprint, as `ssh-keygen -lf` prints it (SHA256:...).',
        },
        strictHostKeyChecking: {
          type: 'boolean',
          default: true,
          description: 'Refuse a host key that is not known. Turn off only on a trusted network.',
        },
      },
      anyOf: [
        { type: 'object', properties: { privateKey: true }, required: ['privateKey'] },
        { type: 'object', properties: { privateKeyFile: true }, required: ['privateKeyFile'] },
        { type: 'object', properties: { agent: { const: true } }, required: ['agent'] },
      ],
    },
  },
};

/**
 * `inventory: { use: static | tencentcloud | <plugin>, ... }` — where cloud resources are looked up.
 * The fields of the two first-party inventories are declared here so secrets are resolved and
 * typos rejected; a third-party inventory takes its fields under `options`.
 */
export const inventoryRefSchema: JsonSchema = {
  type: 'object',
  description: 'The inventory plugin that resolves the cloud resources this block names.',
  additionalProperties: false,
  required: ['use'],
  properties: {
    use: stringSchema('Name of the inventory plugin: static, tencentcloud or a third-party one.'),
    file: stringSchema('static: the YAML or JSON inventory file, relative to the config file.'),
    secretId: secretSchema('tencentcloud: API SecretId.'),
    secretKey: secretSchema('tencentcloud: API SecretKey.'),
    token: secretSchema('tencentcloud: session token of temporary credentials.'),
    endpoint: stringSchema('tencentcloud: API endpoint override, e.g. https://tencentcloudapi.com.'),
    region: stringSchema('tencentcloud: region for lookups whose block names none (direct-connect).'),
    options: { type: 'object', description: 'Fields of a third-party inventory plugin.' },
  },
  allOf: [
    requiredWhen('use', 'static', ['file']),
    requiredWhen('use', 'tencentcloud', ['secretId', 'secretKey']),
  ],
};

/** The keys every connector takes (access, database, tls); declared so additionalProperties: false holds. */
export function commonProperties(access: string): Record<string, JsonSchema> {
  return {
    access: { const: access },
    database: stringSchema('Maintenance database to connect to (postgres).'),
    tls: tlsSchema,
  };
}

/** The account a connector logs in with; spread where the mode's fields put it. Both are required. */
export const accountProperties: Record<'user' | 'password', JsonSchema> = {
  user: stringSchema('Account to connect as.'),
  password: secretSchema('Password of the account.'),
};

export interface ConnectorSchemaSpec {
  /** The mode's own required fields (user, password and inventory are added). */
  required: readonly string[];
  /** The mode's own fields, in the order the config reference lists them, with accountProperties spread in. */
  properties: Record<string, JsonSchema>;
  /** The block names cloud resources, resolved through an `inventory` block. */
  inventory?: boolean;
  allOf?: JsonSchema[];
}

/**
 * The configSchema of a first-party connector: the keys every connector takes (access, database,
 * tls), the mode's own fields, the inventory where the mode needs one, and `via` last.
 */
export function connectorSchema(access: string, spec: ConnectorSchemaSpec): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...spec.required, 'user', 'password', ...(spec.inventory ? ['inventory'] : [])],
    properties: {
      ...commonProperties(access),
      ...spec.properties,
      ...(spec.inventory ? { inventory: inventoryRefSchema } : {}),
      via: viaSchema,
    },
    ...(spec.allOf ? { allOf: spec.allOf } : {}),
  };
}
