import { GuardedChecker } from '@pgshift/pg';
import type { CheckContext, CheckResult } from '@pgshift/plugin-api';
import {
  type LabelProvider,
  labelProviders,
  type NativeFunction,
  nativeFunctions,
  probeLibraries,
  targetIsSuperuser,
} from './function-libraries.js';
import { librariesItem } from './libraries-item.js';
import { type MajorFinding, majorFindings } from './major-findings.js';
import { majorItem } from './major-item.js';
import { type PlanFindings, planFindings } from './plan-findings.js';
import { skippedItem } from './skipped-item.js';

/**
 * Everything the schema copy would not carry, or could not create on the target, named before the
 * run: objects the plan leaves out and databases it cannot plan (`source.schema-objects`), objects
 * the target's later major cannot hold (`target.major-compatibility`), and functions whose code
 * or security label providers the target has not loaded (`target.function-libraries`).
 */
export class SchemaObjectsChecker extends GuardedChecker {
  readonly id = 'source.schema-objects';
  readonly title = 'Schema objects the copy creates';

  protected async check(ctx: CheckContext): Promise<CheckResult | CheckResult[]> {
    const versions = { source: (await ctx.source.version()).num, target: (await ctx.target.version()).num };
    const plans: PlanFindings[] = [];
    const major: MajorFinding[] = [];
    const functions: NativeFunction[] = [];
    const providers: LabelProvider[] = [];
    for (const database of ctx.selection.databases) {
      plans.push(await planFindings(ctx, database));
      major.push(...(await majorFindings(ctx, database, versions)));
      functions.push(...(await nativeFunctions(ctx, database, versions.source)));
      providers.push(...(await labelProviders(ctx, database)));
    }
    const targetSuperuser = await targetIsSuperuser(ctx);
    return [
      skippedItem(this, plans, { options: ctx.options, targetSuperuser }),
      majorItem(major, versions),
      librariesItem(functions, await probeLibraries(ctx, functions, targetSuperuser, providers)),
    ];
  }
}
