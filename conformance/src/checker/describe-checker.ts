import {
  apiVersionSupported,
  Capability,
  CHECKER,
  type CheckContext,
  type Checker,
  type CheckResult,
  PLUGIN_API_VERSION,
  type PluginInstance,
  silentLogger,
} from '@pgshift/plugin-api';
import { freePort, type SandboxServer } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiateForSuite } from '../host.js';
import { gate, majorsOf, type SuiteOptions } from '../options.js';
import { checkedResults, summarize, worstStatus } from './assertions.js';
import { footprint, type ServerFootprint, settledFootprint } from './connections.js';
import { ConformanceServers, unreachableHandle } from './servers.js';
import { standInPolicy } from './stand-in-policy.js';
import type { CheckerFactory, CheckerSubject, Outcome } from './types.js';

/** The names of the checker suite's tests, for bypasses. */
export const CHECKER_TESTS = {
  meta: 'checker [meta] declares kind checker and the current plugin API, and registers a CHECKER',
  pass: 'checker [checker.report] reports Pass on a server arranged to pass',
  warn: 'checker [checker.report] reports Warning on a server arranged to warn',
  fail: 'checker [checker.report] reports Failed on a server arranged to fail',
  problem: 'checker [checker.report] is held to a server that does not pass',
  leaks: 'checker [checker.report] closes every connection and replication slot it opens',
  unreachable: 'checker [checker.report] reports Failed instead of throwing when the servers are unreachable',
  secrets: 'checker [checker.report] never shows the connection password in its results',
  incremental: 'checker [checker.incremental] applies only when following',
} as const;

const EXPECTED: Record<Outcome, CheckResult['status']> = { pass: 'pass', warn: 'warning', fail: 'failed' };

async function subjectOf(factory: CheckerFactory): Promise<CheckerSubject> {
  return typeof factory === 'function' ? factory() : factory;
}

/**
 * Loads the plugin once per suite and hands out every checker it registers: the kernel runs them
 * all, so the suite holds each of them to the contract.
 */
class Loaded {
  subject!: CheckerSubject;
  instance!: PluginInstance;
  checkers: Checker[] = [];

  async load(factory: CheckerFactory): Promise<void> {
    this.subject = await subjectOf(factory);
    this.instance = await instantiateForSuite(this.subject.plugin, this.subject.options ?? {});
    this.checkers = this.instance.own(CHECKER);
  }

  /** The checkers that apply to `ctx`, as the kernel picks them. */
  applying(ctx: CheckContext): Checker[] {
    return this.checkers.filter((checker) => checker.appliesTo?.(ctx) ?? true);
  }

  get capabilities(): readonly string[] {
    return this.subject.plugin.capabilities;
  }
}

/** Runs every checker and gathers their results, as one plugin's part of a check report. */
async function runCheckers(checkers: readonly Checker[], ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const checker of checkers) results.push(...(await runChecker(checker, ctx)));
  return results;
}

/** Runs a checker and fails the test, with the error, if it throws instead of reporting. */
async function runChecker(checker: Checker, ctx: CheckContext): Promise<CheckResult[]> {
  let output: unknown;
  try {
    output = await checker.run(ctx);
  } catch (error) {
    throw new Error(`checker ${checker.id} threw instead of reporting a result: ${String(error)}`);
  }
  return checkedResults(checker.id, output);
}

/** Fills what an arrangement left out and adds the plugin's options. */
async function completeContext(
  partial: Partial<CheckContext>,
  servers: ConformanceServers,
  loaded: Loaded,
): Promise<CheckContext> {
  const filled: Partial<CheckContext> = { ...partial };
  if (!filled.source || !filled.target || !filled.selection) {
    const base = await servers.context();
    filled.source ??= base.source;
    filled.target ??= base.target;
    filled.selection ??= base.selection;
    if (!filled.policy && !filled.capabilities) {
      filled.policy = base.policy;
      filled.capabilities = base.capabilities;
    }
  }
  // An arrangement that names neither gets pgshift's own 10+ rules.
  if (!filled.policy && !filled.capabilities) filled.policy = standInPolicy;
  if (!filled.capabilities && filled.policy)
    filled.capabilities = filled.policy.capabilities((await filled.source!.version()).num);
  return {
    mode: 'full+incremental',
    logger: silentLogger,
    ...filled,
    options: { ...loaded.instance.options, ...(partial.options ?? {}) },
  } as CheckContext;
}

/** Waits until no session is still going away, so the baseline holds only what stays open. */
async function stableFootprint(servers: readonly SandboxServer[]): Promise<ServerFootprint[]> {
  let last = await footprint(servers);
  let same = 0;
  for (let i = 0; i < 30 && same < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await footprint(servers);
    same = JSON.stringify(now) === JSON.stringify(last) ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** The metadata test, which needs no server. */
export function describeCheckerMeta(factory: CheckerFactory, options: SuiteOptions = {}): void {
  it(CHECKER_TESTS.meta, async (ctx) => {
    gate(ctx, CHECKER_TESTS.meta, options);
    const loaded = new Loaded();
    await loaded.load(factory);
    const { meta } = loaded.subject.plugin;
    expect(meta.kind).toBe('checker');
    expect(
      apiVersionSupported(meta.apiVersion),
      `apiVersion ${meta.apiVersion} runs on plugin API ${PLUGIN_API_VERSION}`,
    ).toBe(true);
    expect(loaded.checkers.length, 'register() must register at least one CHECKER').toBeGreaterThan(0);
    for (const checker of loaded.checkers) {
      expect(typeof checker.id).toBe('string');
      expect(checker.id.length).toBeGreaterThan(0);
      expect(checker.title.length, `title of ${checker.id}`).toBeGreaterThan(0);
      expect(typeof checker.run, `run of ${checker.id}`).toBe('function');
    }
    const ids = loaded.checkers.map((c) => c.id);
    expect(new Set(ids).size, `checker ids must differ: ${ids.join(', ')}`).toBe(ids.length);
  });
}

/** Tests against servers nobody listens on: the checker must report, not throw, and not leak secrets. */
export function describeCheckerUnreachable(factory: CheckerFactory, options: SuiteOptions = {}): void {
  const password = `conformance-${Math.random().toString(36).slice(2)}-secret`;
  // Each applying checker's own results: each must report, none may pass on servers it cannot reach.
  let results: Map<Checker, CheckResult[]> | undefined;
  const loaded = new Loaded();
  const run = async () => {
    if (results) return results;
    await loaded.load(factory);
    const port = await freePort();
    const ctx: CheckContext = {
      source: unreachableHandle('source', port, password),
      target: unreachableHandle('target', port, password),
      mode: 'full+incremental',
      selection: {
        wholeInstance: false,
        databases: [{ name: 'conformance', whole: false, tables: [{ schema: 'public', name: 'items' }] }],
      },
      policy: standInPolicy,
      capabilities: standInPolicy.capabilities(170000),
      options: { ...loaded.instance.options },
      logger: silentLogger,
    };
    results = new Map();
    for (const checker of loaded.applying(ctx)) results.set(checker, await runChecker(checker, ctx));
    return results;
  };
  const report = Capability.checker.report;

  it(CHECKER_TESTS.unreachable, async (ctx) => {
    await loaded.load(factory);
    gate(ctx, CHECKER_TESTS.unreachable, options, { capability: report, declared: loaded.capabilities });
    const each = await run();
    if (each.size === 0) return ctx.skip('no checker applies to a following migration of one database');
    for (const [checker, list] of each)
      expect(worstStatus(list), `${checker.id}: ${summarize(list)}`).not.toBe('pass');
  });

  it(CHECKER_TESTS.secrets, async (ctx) => {
    await loaded.load(factory);
    gate(ctx, CHECKER_TESTS.secrets, options, { capability: report, declared: loaded.capabilities });
    const each = await run();
    expect(JSON.stringify([...each.values()])).not.toContain(password);
  });
}

/** The server-backed tests for one PostgreSQL major. */
export function describeCheckerOnMajor(
  factory: CheckerFactory,
  major: number,
  options: SuiteOptions = {},
): void {
  describe(`on PostgreSQL ${major}`, () => {
    const servers = new ConformanceServers(major);
    const loaded = new Loaded();
    const contexts = new Map<Outcome, Promise<CheckContext>>();
    const report = Capability.checker.report;

    const arranged = (outcome: Outcome): Promise<CheckContext> | undefined => {
      const arrange = loaded.subject.arrange[outcome];
      if (!arrange) return undefined;
      let context = contexts.get(outcome);
      if (!context) {
        context = arrange(servers).then((partial) => completeContext(partial, servers, loaded));
        contexts.set(outcome, context);
      }
      return context;
    };

    beforeAll(async () => {
      await loaded.load(factory);
    });
    afterAll(async () => {
      await servers.stopAll();
    });

    for (const outcome of ['pass', 'warn', 'fail'] as const) {
      const name = CHECKER_TESTS[outcome];
      it(name, async (ctx) => {
        gate(ctx, name, options, { capability: report, declared: loaded.capabilities });
        const context = arranged(outcome);
        if (!context) return ctx.skip(`the plugin gives no arrangement that should ${outcome}`);
        const checkContext = await context;
        const applying = loaded.applying(checkContext);
        expect(applying.length, 'a checker must apply to the arrangement').toBeGreaterThan(0);
        const results = await runCheckers(applying, checkContext);
        expect(worstStatus(results), summarize(results)).toBe(EXPECTED[outcome]);
        await loaded.subject.verify?.[outcome]?.(results);
      });
    }

    it(CHECKER_TESTS.problem, (ctx) => {
      gate(ctx, CHECKER_TESTS.problem, options, { capability: report, declared: loaded.capabilities });
      const { warn, fail } = loaded.subject.arrange;
      expect(warn ?? fail, 'give a warn or fail arrangement: a check must be able to fail').toBeDefined();
    });

    it(CHECKER_TESTS.leaks, async (ctx) => {
      gate(ctx, CHECKER_TESTS.leaks, options, { capability: report, declared: loaded.capabilities });
      for (const outcome of ['pass', 'warn', 'fail'] as const) {
        const context = arranged(outcome);
        if (!context) continue;
        const checkContext = await context;
        const started = await servers.started();
        const before = await stableFootprint(started);
        await runCheckers(loaded.applying(checkContext), checkContext);
        const after = await settledFootprint(started, before);
        after.forEach((seen, i) => {
          const where = `PostgreSQL on port ${started[i]?.port} after the ${outcome} arrangement`;
          expect(seen.sessions, `sessions left open on ${where}`).toBeLessThanOrEqual(
            before[i]?.sessions ?? 0,
          );
          expect(seen.slots, `replication slots left on ${where}`).toBeLessThanOrEqual(before[i]?.slots ?? 0);
        });
      }
    });

    it(CHECKER_TESTS.incremental, async (ctx) => {
      gate(ctx, CHECKER_TESTS.incremental, options, {
        capability: Capability.checker.incremental,
        declared: loaded.capabilities,
      });
      const checkContext = await arranged('pass');
      for (const checker of loaded.checkers) {
        expect(
          checker.appliesTo,
          `${checker.id}: a following-only checker must implement appliesTo`,
        ).toBeTypeOf('function');
        expect(checker.appliesTo?.({ ...checkContext!, mode: 'full' }), checker.id).toBe(false);
        expect(checker.appliesTo?.({ ...checkContext!, mode: 'full+incremental' }), checker.id).toBe(true);
      }
    });
  });
}

/**
 * The checker conformance suite: metadata, Pass / Warning / Failed on arranged servers, no throw
 * and no leaked secret on unreachable servers, no leaked connection or slot, and `appliesTo` for
 * following-only checkers.
 */
export function describeChecker(factory: CheckerFactory, options: SuiteOptions = {}): void {
  describe('checker conformance', () => {
    describeCheckerMeta(factory, options);
    describeCheckerUnreachable(factory, options);
    for (const major of majorsOf(options)) describeCheckerOnMajor(factory, major, options);
  });
}
