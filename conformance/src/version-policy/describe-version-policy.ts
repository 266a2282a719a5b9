import { openClient, quoteIdent } from '@pgshift/pg';
import {
  apiVersionSupported,
  Capability,
  PLUGIN_API_VERSION,
  type PluginDefinition,
  rangeCovers,
  VERSION_POLICY,
  type VersionPolicy,
} from '@pgshift/plugin-api';
import type { SandboxServer } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConformanceServers } from '../checker/servers.js';
import { instantiateForSuite } from '../host.js';
import { gate, majorsOf, type SuiteOptions } from '../options.js';
import {
  changesQuery,
  type DecodedChange,
  parsePgoutput,
  parseTestDecoding,
  parseWal2json,
} from './decoding.js';

export interface VersionPolicySubject {
  plugin: PluginDefinition;
  /** Plugin options, as a `plugins` entry of a config would give them. */
  options?: Record<string, unknown>;
}

export type VersionPolicyFactory =
  | VersionPolicySubject
  | PluginDefinition
  | (() => VersionPolicySubject | PluginDefinition | Promise<VersionPolicySubject | PluginDefinition>);

/** The names of the version policy suite's tests, for bypasses. */
export const VERSION_POLICY_TESTS = {
  meta: 'version-policy [meta] declares kind version-policy and the current plugin API, and registers a VERSION_POLICY',
  belowMin: 'version-policy [coverage] does not cover the version just below its minimum',
  min: 'version-policy [coverage] covers its minimum version',
  belowMax: 'version-policy [coverage] covers the version just below its maximum',
  max: 'version-policy [coverage] does not cover its maximum version',
  consistent:
    'version-policy [coverage] reports capabilities that match what it declares on every covered version',
  fullCopy: 'version-policy [version-policy.full-copy] allows a full copy on every covered version',
  incremental:
    'version-policy [version-policy.incremental] names a decoder and a snapshot syntax the version supports on every covered version',
  slot: 'version-policy [version-policy.incremental] creates a slot with an exported snapshot in its declared syntax on a real server',
  decode:
    'version-policy [version-policy.incremental] decodes inserted rows through its output plugin on a real server',
} as const;

/** Version numbers where PostgreSQL behaviour changes, probed on each side when in range. */
const BOUNDARIES = [
  90300, 90400, 90500, 90600, 100000, 110000, 120000, 130000, 140000, 150000, 160000, 170000,
];

function sampleVersions(policy: VersionPolicy): number[] {
  const { min, max } = policy.covers;
  const candidates = [min, min + 1, ...BOUNDARIES, ...BOUNDARIES.map((b) => b - 1)];
  if (max !== undefined) candidates.push(max - 1);
  else candidates.push(min + 100000, 999999);
  return [...new Set(candidates)].filter((v) => v > 0 && rangeCovers(policy.covers, v)).sort((a, b) => a - b);
}

class LoadedPolicy {
  plugin!: PluginDefinition;
  policy!: VersionPolicy;

  async load(factory: VersionPolicyFactory): Promise<void> {
    if (this.policy) return;
    const given = typeof factory === 'function' ? await factory() : factory;
    const subject: VersionPolicySubject = 'plugin' in given ? given : { plugin: given };
    this.plugin = subject.plugin;
    const instance = await instantiateForSuite(subject.plugin, subject.options ?? {});
    this.policy = instance.resolver.resolve(VERSION_POLICY);
  }

  get capabilities(): readonly string[] {
    return this.plugin.capabilities;
  }
}

function rangeText(policy: VersionPolicy): string {
  return `${policy.covers.min} to ${policy.covers.max === undefined ? 'no upper bound' : `below ${policy.covers.max}`}`;
}

/** Coverage and capability tests that need no server. */
export function describeVersionPolicyCoverage(
  factory: VersionPolicyFactory,
  options: SuiteOptions = {},
): void {
  const loaded = new LoadedPolicy();
  const T = VERSION_POLICY_TESTS;
  beforeAll(() => loaded.load(factory));

  it(T.meta, (ctx) => {
    gate(ctx, T.meta, options);
    expect(loaded.plugin.meta.kind).toBe('version-policy');
    expect(
      apiVersionSupported(loaded.plugin.meta.apiVersion),
      `apiVersion ${loaded.plugin.meta.apiVersion} runs on plugin API ${PLUGIN_API_VERSION}`,
    ).toBe(true);
    expect(loaded.policy.name.length).toBeGreaterThan(0);
    expect(Number.isInteger(loaded.policy.covers.min)).toBe(true);
  });

  it(T.belowMin, (ctx) => {
    gate(ctx, T.belowMin, options);
    if (loaded.policy.covers.min <= 0) return ctx.skip('the policy covers every version from 0');
    expect(rangeCovers(loaded.policy.covers, loaded.policy.covers.min - 1)).toBe(false);
  });

  it(T.min, (ctx) => {
    gate(ctx, T.min, options);
    expect(rangeCovers(loaded.policy.covers, loaded.policy.covers.min)).toBe(true);
    expect(() => loaded.policy.capabilities(loaded.policy.covers.min)).not.toThrow();
  });

  it(T.belowMax, (ctx) => {
    gate(ctx, T.belowMax, options);
    const { max } = loaded.policy.covers;
    if (max === undefined) return ctx.skip('the policy has no upper bound');
    expect(rangeCovers(loaded.policy.covers, max - 1)).toBe(true);
    expect(() => loaded.policy.capabilities(max - 1)).not.toThrow();
  });

  it(T.max, (ctx) => {
    gate(ctx, T.max, options);
    const { max } = loaded.policy.covers;
    if (max === undefined) return ctx.skip('the policy has no upper bound');
    expect(rangeCovers(loaded.policy.covers, max)).toBe(false);
  });

  it(T.consistent, (ctx) => {
    gate(ctx, T.consistent, options);
    const declaresIncremental = loaded.capabilities.includes(Capability.versionPolicy.incremental);
    const declaresFull = loaded.capabilities.includes(Capability.versionPolicy.fullCopy);
    for (const version of sampleVersions(loaded.policy)) {
      const caps = loaded.policy.capabilities(version);
      expect(caps.fullCopy, `fullCopy at ${version}`).toBe(declaresFull);
      expect(caps.incremental, `incremental at ${version}`).toBe(declaresIncremental);
      if (!caps.incremental) {
        expect(caps.incrementalUnavailableReason, `reason at ${version}`).toBeTypeOf('string');
        expect(caps.incrementalUnavailableReason!.length, `reason at ${version}`).toBeGreaterThan(0);
      }
    }
  });

  it(T.fullCopy, (ctx) => {
    gate(ctx, T.fullCopy, options, {
      capability: Capability.versionPolicy.fullCopy,
      declared: loaded.capabilities,
    });
    for (const version of sampleVersions(loaded.policy))
      expect(loaded.policy.capabilities(version).fullCopy, `at ${version}`).toBe(true);
  });

  it(T.incremental, (ctx) => {
    gate(ctx, T.incremental, options, {
      capability: Capability.versionPolicy.incremental,
      declared: loaded.capabilities,
    });
    for (const version of sampleVersions(loaded.policy)) {
      const caps = loaded.policy.capabilities(version);
      expect(caps.incremental, `at ${version}`).toBe(true);
      expect(caps.decoder, `decoder at ${version}`).toBeDefined();
      expect(caps.decoder!.outputPlugin.length).toBeGreaterThan(0);
      expect(['pgoutput', 'test_decoding', 'wal2json']).toContain(caps.decoder!.format);
      // pgoutput exists from 10 on and always needs a publication.
      if (caps.decoder!.format === 'pgoutput') {
        expect(version, 'pgoutput needs PostgreSQL 10').toBeGreaterThanOrEqual(100000);
        expect(caps.decoder!.publication).toBe(true);
      }
      // Logical decoding itself exists from 9.4; the option-list syntax from 15.
      expect(version, 'logical decoding needs PostgreSQL 9.4').toBeGreaterThanOrEqual(90400);
      if (caps.slotSnapshotSyntax === 'option-list')
        expect(version, 'option list').toBeGreaterThanOrEqual(150000);
      else if (caps.slotSnapshotSyntax === 'keyword')
        expect(version, 'EXPORT_SNAPSHOT keyword').toBeGreaterThanOrEqual(100000);
      else expect(caps.slotSnapshotSyntax).toBe('implicit');
    }
  });
}

async function tryDropSlot(server: SandboxServer, slot: string, database: string): Promise<void> {
  await server
    .query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
      [slot],
      database,
    )
    .catch(() => {});
}

/** Server-backed tests on one PostgreSQL major. */
export function describeVersionPolicyOnMajor(
  factory: VersionPolicyFactory,
  major: number,
  options: SuiteOptions = {},
): void {
  describe(`on PostgreSQL ${major}`, () => {
    const servers = new ConformanceServers(major);
    const loaded = new LoadedPolicy();
    const T = VERSION_POLICY_TESTS;
    beforeAll(() => loaded.load(factory));
    afterAll(() => servers.stopAll());

    it(T.slot, async (ctx) => {
      gate(ctx, T.slot, options, {
        capability: Capability.versionPolicy.incremental,
        declared: loaded.capabilities,
      });
      const server = await servers.server('source');
      const versionNum = await server.versionNum();
      if (!rangeCovers(loaded.policy.covers, versionNum))
        ctx.skip(
          `PostgreSQL ${major} (${versionNum}) is outside the policy's range (${rangeText(loaded.policy)})`,
        );
      const caps = loaded.policy.capabilities(versionNum);
      const plugin = caps.decoder!.outputPlugin;
      const slot = 'pgshift_conformance_snapshot';
      const syntax =
        caps.slotSnapshotSyntax === 'option-list'
          ? "(SNAPSHOT 'export')"
          : caps.slotSnapshotSyntax === 'keyword'
            ? 'EXPORT_SNAPSHOT'
            : '';
      const replication = await openClient({ ...server.connection(), replication: true });
      try {
        const result = await replication.query(
          `CREATE_REPLICATION_SLOT ${quoteIdent(slot)} LOGICAL ${quoteIdent(plugin)} ${syntax}`,
        );
        const row = (Array.isArray(result) ? result.at(-1) : result).rows[0] as { snapshot_name?: string };
        expect(row?.snapshot_name, 'the slot exports a snapshot').toMatch(/\S/);
        // The snapshot is importable while the replication session stays idle.
        const copy = await server.client();
        try {
          await copy.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
          await copy.query(`SET TRANSACTION SNAPSHOT '${row!.snapshot_name!.replaceAll("'", "''")}'`);
          await copy.query('COMMIT');
        } finally {
          await copy.end();
        }
      } finally {
        await replication.end().catch(() => {});
        await tryDropSlot(server, slot, 'postgres');
      }
    });

    it(T.decode, async (ctx) => {
      gate(ctx, T.decode, options, {
        capability: Capability.versionPolicy.incremental,
        declared: loaded.capabilities,
      });
      const server = await servers.server('source');
      const serverVersion = await server.versionNum();
      const { covers } = loaded.policy;
      // A policy for versions this sandbox lacks (9.x) is asked about a version it covers; its
      // output plugin then runs on this server as the stand-in for the old one.
      const asked = rangeCovers(covers, serverVersion)
        ? serverVersion
        : covers.max !== undefined
          ? covers.max - 1
          : covers.min;
      const decoder = loaded.policy.capabilities(asked).decoder!;
      const db = 'pgshift_conformance_decode';
      const slot = 'pgshift_conformance_decode';
      await servers.database(
        server,
        db,
        `CREATE TABLE public.items (id int PRIMARY KEY, label text);
         ${decoder.publication ? 'CREATE PUBLICATION pgshift_conformance FOR TABLE public.items;' : ''}`,
      );
      try {
        await server.query(
          'SELECT pg_create_logical_replication_slot($1, $2)',
          [slot, decoder.outputPlugin],
          db,
        );
      } catch (error) {
        if (/could not access file|No such file/i.test(String(error)))
          ctx.skip(`output plugin ${decoder.outputPlugin} is not installed on the sandbox server`);
        throw error;
      }
      try {
        // The sandbox commits asynchronously, and decoding reads only flushed WAL.
        await server.query(
          `SET synchronous_commit = on; INSERT INTO public.items VALUES (1, 'hello'), (2, 'it''s'), (3, NULL)`,
          undefined,
          db,
        );
        const client = await server.client(db);
        let rows: Array<{ data: string | Buffer }>;
        try {
          rows = (
            await client.query<{ data: string | Buffer }>(
              changesQuery(decoder.format, decoder.publication ? 'pgshift_conformance' : undefined),
              [slot],
            )
          ).rows;
        } finally {
          await client.end();
        }
        let changes: DecodedChange[];
        if (decoder.format === 'pgoutput') changes = parsePgoutput(rows.map((r) => r.data as Buffer));
        else if (decoder.format === 'wal2json') changes = rows.flatMap((r) => parseWal2json(String(r.data)));
        else changes = rows.flatMap((r) => parseTestDecoding(String(r.data)) ?? []);
        expect(changes.map((c) => [c.kind, c.table.replaceAll('"', ''), ...c.values])).toEqual([
          ['insert', 'public.items', '1', 'hello'],
          ['insert', 'public.items', '2', "it's"],
          ['insert', 'public.items', '3', null],
        ]);
      } finally {
        await tryDropSlot(server, slot, db);
      }
    });
  });
}

/**
 * The version policy conformance suite: coverage boundaries (min - 1 not covered, min covered,
 * max - 1 covered, max not covered), capabilities consistent with what the plugin declares, and,
 * for incremental policies, a real slot with an exported snapshot in the declared syntax and a
 * real decoding round trip through the chosen output plugin.
 */
export function describeVersionPolicy(factory: VersionPolicyFactory, options: SuiteOptions = {}): void {
  describe('version-policy conformance', () => {
    describeVersionPolicyCoverage(factory, options);
    for (const major of majorsOf(options)) describeVersionPolicyOnMajor(factory, major, options);
  });
}
