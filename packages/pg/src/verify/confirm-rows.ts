import type pg from 'pg';
import type { TableInfo } from '../copy/types.js';
import { markSource, waitApplied } from './applied-position.js';
import { commitsInFlight } from './commits-in-flight.js';
import { type KeyedRow, keyText, readKeyedRows } from './key-rows.js';
import type { RowDifference } from './report.js';

/** A row a pass found different; whether it really is, the confirmation says. */
export interface Candidate {
  key: string[];
  /** The range it was found in, as the report names ranges. */
  range: string;
}

/** A row whose difference is confirmed: the source's version then (undefined: no such row). */
export interface ConfirmedRow extends Candidate {
  problem: RowDifference['problem'];
  sourceVersion: string | undefined;
}

export interface Confirmation {
  confirmed: ConfirmedRow[];
  /** The source row kept changing: no verdict after every round. */
  unsettled: Candidate[];
}

export interface ConfirmContext {
  source: pg.Client;
  target: pg.Client;
  slotName: string;
  sourceVersionNum: number;
  waitMs: number;
  signal?: AbortSignal;
}

const ROUNDS = 5;
/** Keys read per statement. */
const BATCH = 500;

/**
 * Decides which candidates really differ while sync runs. Per round: read the source rows (one
 * statement, so one snapshot), then mark the source and wait until the target has applied
 * everything committed before the mark (so everything that read saw), read the target rows, and
 * read the source rows again. A row whose source version is the same in both reads had no
 * committed change in between, so the target, which lies between them, must hold it: a difference
 * then is real. A row whose version moved is in flight and tried again next round; after the last
 * round it is reported as unsettled, never guessed.
 */
export async function confirmRows(
  ctx: ConfirmContext,
  table: TableInfo,
  candidates: readonly Candidate[],
): Promise<Confirmation> {
  const confirmed: ConfirmedRow[] = [];
  let open = [...candidates];
  for (let round = 0; round < ROUNDS && open.length > 0; round++) {
    const moving: Candidate[] = [];
    for (let i = 0; i < open.length; i += BATCH) {
      const batch = open.slice(i, i + BATCH);
      const keys = batch.map((c) => c.key);
      const before = await readKeyedRows(ctx.source, table, keys);
      const mark = await markSource(ctx.source, ctx.slotName, ctx.sourceVersionNum);
      await waitApplied(ctx.target, ctx.slotName, mark, {
        timeoutMs: ctx.waitMs,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      const onTarget = await readKeyedRows(ctx.target, table, keys);
      const after = await readKeyedRows(ctx.source, table, keys);
      if (await commitsInFlight(ctx.source, ctx.sourceVersionNum)) {
        moving.push(...batch);
        continue;
      }
      for (const candidate of batch) {
        const k = keyText(candidate.key);
        const [s, t, s2] = [before.get(k), onTarget.get(k), after.get(k)];
        if (s?.version !== s2?.version) moving.push(candidate);
        else if (s?.hash !== t?.hash)
          confirmed.push({ ...candidate, problem: problemOf(s, t), sourceVersion: s?.version });
      }
    }
    open = moving;
  }
  return { confirmed, unsettled: open };
}

function problemOf(source: KeyedRow | undefined, target: KeyedRow | undefined): RowDifference['problem'] {
  if (!target) return 'missing';
  return source ? 'different' : 'extra';
}
