import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_REPLICATOR,
  builtInServices,
  CHECKER,
  type Checker,
  contractToken,
  createToken,
  definePlugin,
  extendLoader,
  instantiatePlugin,
  instantiatePluginNow,
  LOGGER,
  type LoadContext,
  type Loader,
  PLUGIN_API_VERSION,
  PluginLoadError,
  REPLICATOR,
  type Replicator,
  silentLogger,
  type Token,
} from '../src/index.js';

const meta = (name: string) => ({
  name,
  version: '0.0.0',
  kind: 'checker' as const,
  apiVersion: PLUGIN_API_VERSION,
});
const checker = (id: string): Checker => ({
  id,
  title: id,
  run: async () => ({ id, title: id, status: 'pass', message: '' }),
});

describe('instantiatePlugin', () => {
  it('keeps every registration of a token, and resolve gives the last', async () => {
    const plugin = definePlugin({
      meta: meta('two'),
      capabilities: [],
      register(r) {
        r.value(CHECKER, checker('a'));
        r.value(CHECKER, checker('b'));
      },
    });
    const instance = await instantiatePlugin(plugin);
    expect(instance.own(CHECKER).map((c) => c.id)).toEqual(['a', 'b']);
    expect(instance.resolver.resolve(CHECKER).id).toBe('b');
    expect(instance.resolver.resolveAll(CHECKER)).toHaveLength(2);
  });

  it('makes a factory value once, on first resolve, and answers the rest from the host', async () => {
    const THING = createToken<{ n: number }>('test.thing');
    let made = 0;
    const plugin = definePlugin({
      meta: meta('factory'),
      capabilities: [],
      register(r) {
        r.factory(THING, (resolver) => {
          expect(resolver.resolve(LOGGER)).toBe(silentLogger);
          made++;
          return { n: made };
        });
      },
    });
    const host = <T>(token: Token<T>) => (token === LOGGER ? (silentLogger as T) : undefined);
    const instance = await instantiatePlugin(plugin, { host });
    expect(made).toBe(0);
    expect(instance.resolver.resolve(THING)).toBe(instance.resolver.resolve(THING));
    expect(made).toBe(1);
    expect(() => instance.resolver.resolve(REPLICATOR)).toThrow(
      /pgshift\.replicator, which nothing provides/,
    );
  });

  it('hands out options frozen all the way down, copied from what the host gave', async () => {
    let seen: unknown;
    const plugin = definePlugin<{ limit: number; nested: { list: string[] } }>({
      meta: meta('options'),
      capabilities: [],
      defaultOptions: { limit: 1, nested: { list: ['a'] } },
      register(r) {
        seen = r.options;
      },
    });
    const given = { limit: 5, nested: { list: ['x', 'y'] } };
    await instantiatePlugin(plugin, { options: given });
    const options = seen as typeof given;
    expect(options).toEqual(given);
    expect(
      Object.isFrozen(options) && Object.isFrozen(options.nested) && Object.isFrozen(options.nested.list),
    ).toBe(true);
    expect(() => {
      options.nested.list.push('z');
    }).toThrow();
    given.nested.list.push('mine');
    expect(options.nested.list).toEqual(['x', 'y']);
  });

  it('names the plugin when register throws, and refuses an asynchronous register where it must wait for none', async () => {
    const throwing = definePlugin({
      meta: meta('throws'),
      capabilities: [],
      register() {
        throw new Error('boom');
      },
    });
    await expect(instantiatePlugin(throwing)).rejects.toThrow(/plugin throws failed to register: boom/);
    const waiting = definePlugin({ meta: meta('waits'), capabilities: [], register: async () => {} });
    expect(() => instantiatePluginNow(waiting)).toThrow(PluginLoadError);
  });

  it('contract tokens are the same symbol in every copy of plugin-api; private tokens are not', () => {
    expect(contractToken('pgshift.checker')).toBe(CHECKER);
    expect(createToken('pgshift.checker')).not.toBe(CHECKER);
  });
});

/** A loader keeping private state, as a class of pgshift's own does. */
class CountingLoader implements Loader {
  #calls: string[] = [];
  get calls() {
    return this.#calls;
  }
  async preData() {
    this.#calls.push('preData');
  }
  async copyData() {
    this.#calls.push('copyData');
    return { tables: 1, rows: 2, bytes: 3, skipped: 0, consistent: true };
  }
  async postData() {
    this.#calls.push('postData');
  }
  async syncSequences() {
    this.#calls.push('syncSequences');
  }
}

describe('extendLoader / extendReplicator', () => {
  it('delegates what is not overridden to the base (its private state intact) and hands overrides the base', async () => {
    const base = new CountingLoader();
    const extended = extendLoader(base, {
      async copyData(ctx, inner) {
        const summary = await inner.copyData(ctx);
        return { ...summary, rows: summary.rows * 10 };
      },
    });
    const ctx = {} as LoadContext;
    await extended.preData(ctx);
    expect((await extended.copyData(ctx)).rows).toBe(20);
    await extended.postData(ctx);
    expect(base.calls).toEqual(['preData', 'copyData', 'postData']);
    // The base has no finish: neither has the extension.
    expect(extended.finish).toBeUndefined();
  });

  it('builds on the built-in replicator the host provides, with the tuning given', () => {
    const made: Array<Readonly<Record<string, unknown>>> = [];
    const builtIn = definePlugin<{ groupMaxMs: number }>({
      meta: { ...meta('replicator-logical'), kind: 'replicator' },
      capabilities: [],
      defaultOptions: { groupMaxMs: 1000 },
      register(r) {
        made.push(r.options);
        r.value(REPLICATOR, { status: () => undefined } as unknown as Replicator);
      },
    });
    const host = builtInServices({ replicator: builtIn });
    const replicator = host(BUILT_IN_REPLICATOR)?.({ groupMaxMs: 100 });
    expect(replicator?.status()).toBeUndefined();
    expect(made).toEqual([{ groupMaxMs: 100 }]);
  });
});
