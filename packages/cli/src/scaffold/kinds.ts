/** Plugin kinds `pgshift create-plugin` scaffolds. */
export const PLUGIN_KINDS = ['connector', 'checker', 'version-policy', 'loader', 'replicator'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** What one kind's scaffold contains beyond the common files. */
export interface KindTemplate {
  /** src/index.ts */
  source(name: string): string;
  /** test/conformance.test.ts */
  test(name: string): string;
  /** A sentence for the README: what the scaffold does and where to take it. */
  about: string;
}
