/**
 * Capability flags a plugin declares. The conformance suite runs a group of tests only where the
 * plugin declares the capability the group tests.
 */
export const Capability = {
  connector: {
    /** Opens ordinary SQL connections. */
    normal: 'connector.normal',
    /** Opens walsender connections for logical replication. */
    replication: 'connector.replication',
    /** Can reach private addresses through an SSH jump host. */
    sshTunnel: 'connector.ssh-tunnel',
    /** Supports TLS settings. */
    tls: 'connector.tls',
    /** Resolves cloud resources through an inventory. */
    inventory: 'connector.inventory',
  },
  checker: {
    /** Reports Pass, Warning and Failed according to the servers it inspects. */
    report: 'checker.report',
    /** Relevant only when following. */
    incremental: 'checker.incremental',
  },
  versionPolicy: {
    fullCopy: 'version-policy.full-copy',
    incremental: 'version-policy.incremental',
  },
  loader: {
    schema: 'loader.schema',
    data: 'loader.data',
    parallel: 'loader.parallel',
    resume: 'loader.resume',
  },
  replicator: {
    pgoutput: 'replicator.pgoutput',
    testDecoding: 'replicator.test_decoding',
    wal2json: 'replicator.wal2json',
    resume: 'replicator.resume',
  },
  inventory: {
    resolve: 'inventory.resolve',
  },
} as const;

type Values<T> = T extends Record<string, infer V> ? (V extends string ? V : Values<V>) : never;
export type CapabilityFlag = Values<typeof Capability>;
