import { randomBytes } from 'node:crypto';
import {
  checkResult,
  describeError,
  errorCode,
  follows,
  guardCheck,
  hasFeature,
  quoteIdent,
  withProbeSlot,
  withSession,
} from '@pgshift/pg';
import type { CheckContext, Checker, CheckResult, OpenSession } from '@pgshift/plugin-api';
import { decoderFor } from './decoders/index.js';
import { Wal2jsonDecoder } from './decoders/wal2json.js';
import type { Change } from './model.js';

const SAMPLE_NOTE = 'pgshift sample ☃';

const REMEDY = [
  'configure the version policy with the format the plugin writes (test_decoding or wal2json), or an output plugin whose format pgshift reads, for example:',
  'plugins:',
  '  - use: policy-pg95',
  '    options: { outputPlugin: test_decoding, format: test_decoding }',
].join('\n');

/** `"include-xids" '1'` (the replication command's option list) as SQL function arguments. */
function sqlOptionArgs(options: string[]): string[] {
  return options.flatMap((option) => {
    const match = /^"([^"]+)" '((?:[^']|'')*)'$/.exec(option);
    return match ? [match[1]!, match[2]!.replaceAll("''", "'")] : [];
  });
}

/**
 * The replicator reads the output plugin the policy chose: on a short-lived slot, one sample row
 * written by the check (in a schema of its own, dropped again) must decode through pgshift's
 * decoder for the declared format into exactly that row. An output plugin that is installed but
 * writes another format (a dts_decoding build that differs from test_decoding's text, say) is
 * refused here, before the copy, with the plugin and the first line it wrote. pgoutput is built
 * into the server and needs no such test.
 */
export class OutputFormatChecker implements Checker {
  readonly id = 'source.output-format';
  readonly title = 'Changes decode in the output plugin format';

  appliesTo(ctx: CheckContext): boolean {
    const format = ctx.capabilities?.decoder?.format;
    return follows(ctx) && format !== undefined && format !== 'pgoutput';
  }

  async run(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    return guardCheck(this, async () => {
      const choice = ctx.capabilities!.decoder!;
      const database = ctx.selection.databases[0]?.name ?? ctx.source.maintenanceDatabase;
      const { num } = await ctx.source.version();
      const schema = `pgshift_sample_${randomBytes(4).toString('hex')}`;
      return withSession(ctx.source, { database }, async (session) => {
        try {
          return await withProbeSlot(session, num, choice.outputPlugin, async (slot) => {
            if (!(await writeSample(session, schema)))
              return checkResult(
                this,
                'warning',
                `could not write a sample change in ${database} to decode (no CREATE privilege there); the format of ${choice.outputPlugin} is first read when following starts`,
                `GRANT CREATE ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(ctx.source.route.connection().user)};  -- or run the check as the database owner`,
              );
            // The sample holds no NaN, so wal2json's plain numbers do (source.output-plugin asks
            // about the numbers option; a refused option would end a temporary slot here).
            const decoder =
              choice.format === 'wal2json' ? new Wal2jsonDecoder(false) : decoderFor(choice, '');
            const args = sqlOptionArgs(decoder.startOptions());
            let rows: { lsn: string; data: string }[];
            try {
              ({ rows } = await session.query<{ lsn: string; data: string }>(
                `SELECT ${hasFeature(num, 'walFunctionNames') ? 'lsn' : 'location'}::text AS lsn, data
                   FROM pg_catalog.pg_logical_slot_peek_changes($1, NULL, NULL${args.map((_, i) => `, $${i + 2}`).join('')})`,
                [slot, ...args],
              ));
            } catch (error) {
              if (errorCode(error) !== '22023') throw error;
              return checkResult(
                this,
                'failed',
                `output plugin ${choice.outputPlugin} refuses the options of the ${choice.format} format: ${describeError(error)}`,
                REMEDY,
                { plugin: choice.outputPlugin, format: choice.format },
              );
            }
            return this.#judge(
              rows,
              decoder.decode.bind(decoder),
              choice.outputPlugin,
              choice.format,
              schema,
            );
          });
        } finally {
          await session.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => {});
        }
      });
    });
  }

  #judge(
    lines: { lsn: string; data: string }[],
    decode: (payload: Buffer, lsn: () => string) => Change[],
    plugin: string,
    format: string,
    schema: string,
  ): CheckResult {
    const changes: Change[] = [];
    for (const line of lines) {
      try {
        changes.push(...decode(Buffer.from(line.data, 'utf8'), () => line.lsn));
      } catch (error) {
        return checkResult(
          this,
          'failed',
          `output plugin ${plugin} writes something pgshift cannot read as ${format}: ${describeError(error)}; the line was: ${line.data.slice(0, 200)}`,
          REMEDY,
          { plugin, format },
        );
      }
    }
    const sample = changes.find(
      (c) => c.kind === 'insert' && c.relation.schema === schema && c.relation.name === 'sample',
    );
    if (sample?.kind === 'insert' && sample.new.id === '1' && sample.new.note === SAMPLE_NOTE)
      return checkResult(
        this,
        'pass',
        `a sample change written through output plugin ${plugin} decoded as ${format}, values exact`,
      );
    return checkResult(
      this,
      'failed',
      `output plugin ${plugin} did not carry the sample row as ${format} expects (${changes.length} changes decoded${lines[0] ? `; first line: ${lines[0].data.slice(0, 200)}` : ', no output at all'})`,
      `check which format ${plugin} writes and configure the version policy with it, or use test_decoding`,
      { plugin, format },
    );
  }
}

/** One committed row in a table of the check's own; false when the role may not create a schema. */
async function writeSample(session: OpenSession, schema: string): Promise<boolean> {
  try {
    await session.query('BEGIN');
    // A peek reads only what is flushed: wait for this commit to be.
    await session.query('SET LOCAL synchronous_commit = on');
    await session.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await session.query(`CREATE TABLE ${quoteIdent(schema)}.sample (id int PRIMARY KEY, note text)`);
    await session.query(`INSERT INTO ${quoteIdent(schema)}.sample VALUES (1, $1)`, [SAMPLE_NOTE]);
    await session.query('COMMIT');
    return true;
  } catch (error) {
    await session.query('ROLLBACK').catch(() => {});
    if (errorCode(error) === '42501') return false;
    throw error;
  }
}
