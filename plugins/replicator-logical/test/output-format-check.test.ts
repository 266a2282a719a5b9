import { createServerHandle, directRoute } from '@pgshift/pg';
import { type CheckContext, type DecoderChoice, silentLogger } from '@pgshift/plugin-api';
import { type SandboxServer, sourceBuiltBinaries, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputFormatChecker } from '../src/index.js';

const old = sourceBuiltBinaries(9.5);
const majors = [17, ...(old.missing ? [] : [9.5])];
const started = new Map<number, SandboxServer>();
beforeAll(async () => {
  for (const major of majors) started.set(major, await startPostgres({ major }));
});
afterAll(() => Promise.all([...started.values()].map((s) => s.stop())));

async function contextFor(major: number, database: string, decoder: DecoderChoice): Promise<CheckContext> {
  const server = started.get(major)!;
  await server.query(`CREATE DATABASE ${database}`);
  const handle = createServerHandle('source', directRoute(server.connection()));
  return {
    source: handle,
    target: handle,
    mode: 'full+incremental',
    selection: { wholeInstance: false, databases: [{ name: database, whole: true, tables: [] }] },
    options: {},
    logger: silentLogger,
    capabilities: {
      fullCopy: true,
      incremental: true,
      decoder,
      slotSnapshotSyntax: major >= 15 ? 'option-list' : 'implicit',
    },
  };
}

const leftovers = async (major: number, database: string) => {
  const source = started.get(major)!;
  return [
    ...(await source.query(
      "SELECT slot_name AS n FROM pg_replication_slots WHERE slot_name LIKE 'pgshift_probe_%'",
    )),
    ...(await source.query(
      "SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'pgshift_sample_%'",
      [],
      database,
    )),
  ];
};

for (const major of [17, 9.5]) {
  describe.skipIf(!majors.includes(major))(
    `source.output-format on ${major}${majors.includes(major) ? '' : ` (skipped: ${old.missing})`}`,
    () => {
      it('passes when the plugin writes the declared format, and leaves no slot or sample behind', async () => {
        const database = `fmt_ok_${String(major).replace('.', '')}`;
        const ctx = await contextFor(major, database, {
          outputPlugin: 'test_decoding',
          format: 'test_decoding',
          publication: false,
        });
        const checker = new OutputFormatChecker();
        expect(checker.appliesTo(ctx)).toBe(true);
        const [result] = [await checker.run(ctx)].flat();
        expect(result).toMatchObject({ status: 'pass', message: expect.stringContaining('values exact') });
        expect(await leftovers(major, database)).toEqual([]);
      });

      it('fails, naming the plugin, when it does not take the declared format', async () => {
        const database = `fmt_bad_${String(major).replace('.', '')}`;
        // test_decoding's text declared as wal2json: what a dts_decoding build of another format does.
        const ctx = await contextFor(major, database, {
          outputPlugin: 'test_decoding',
          format: 'wal2json',
          publication: false,
        });
        const [result] = [await new OutputFormatChecker().run(ctx)].flat();
        expect(result).toMatchObject({
          status: 'failed',
          message: expect.stringMatching(
            /output plugin test_decoding refuses the options of the wal2json format: .*format-version/,
          ),
          remedy: expect.stringContaining('policy-pg95'),
        });
        expect(await leftovers(major, database)).toEqual([]);
      });
    },
  );
}
