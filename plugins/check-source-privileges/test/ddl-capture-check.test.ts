import { ConformanceServers } from '@pgshift/conformance';
import { type CheckContext, type DdlPolicy, silentLogger } from '@pgshift/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DdlCaptureChecker } from '../src/ddl-capture-check.js';

/** The source.ddl-capture item for each policy, as a superuser and as a role that is not one. */
const servers = new ConformanceServers(17);
let asSuperuser: Partial<CheckContext>;
let asReader: Partial<CheckContext>;

beforeAll(async () => {
  const source = await servers.server('source');
  await servers.database(source, 'shop', 'CREATE TABLE items (id int PRIMARY KEY)');
  await servers.role(source, 'reader', 'LOGIN REPLICATION');
  const spec = { source, target: source, databases: ['shop'], mode: 'full+incremental' as const };
  asSuperuser = await servers.context(spec);
  asReader = await servers.context({ ...spec, sourceUser: 'reader' });
});
afterAll(async () => {
  await servers.stopAll();
});

/** The item for `policy`; the arranged context lacks only what the kernel adds (options, logger). */
async function item(ctx: Partial<CheckContext>, policy: DdlPolicy, defaulted = false) {
  const { source, target, selection } = ctx;
  if (!source || !target || !selection) throw new Error('the arranged context has no servers');
  const results = await new DdlCaptureChecker().run({
    options: {},
    logger: silentLogger,
    mode: 'full+incremental',
    ...ctx,
    source,
    target,
    selection,
    ddl: { policy, defaulted },
  });
  const [result] = Array.isArray(results) ? results : [results];
  return result!;
}

describe('source.ddl-capture', () => {
  it('passes where a superuser may capture, for replicate and stop', async () => {
    expect((await item(asSuperuser, 'replicate', true)).status).toBe('pass');
    expect((await item(asSuperuser, 'stop')).message).toContain('sync stops before each schema change');
  });

  it('fails an explicit replicate without a superuser, naming the ways out', async () => {
    const result = await item(asReader, 'replicate');
    expect(result.status).toBe('failed');
    expect(result.message).toContain('reader is not a superuser');
    expect(result.remedy).toContain('superuser');
    expect(result.remedy).toContain('options.ddl: stop');
  });

  it('warns under the default and under stop without a superuser, saying what still stops sync', async () => {
    for (const result of [await item(asReader, 'replicate', true), await item(asReader, 'stop')]) {
      expect(result.status).toBe('warning');
      expect(result.message).toContain('cannot be captured');
    }
  });

  it('passes ignore, saying the changes are the user’s to make', async () => {
    const result = await item(asReader, 'ignore');
    expect(result.status).toBe('pass');
    expect(result.message).toContain('not followed');
  });
});
