import { fixedSettingsSql, openClient } from '@pgshift/pg';
import type { ReplicationContext } from '@pgshift/plugin-api';
import type pg from 'pg';
import type { Acknowledger } from './acknowledger.js';
import { CREATE_BEYOND_TABLE } from './applied-beyond.js';
import { Applier } from './applier.js';
import { ApplyLane } from './apply-lane.js';
import { APPLY_SETTINGS } from './apply-session.js';
import { ChangeRouter } from './change-router.js';
import type { DdlReplay } from './ddl-replay.js';
import type { FollowedTables } from './followed-tables.js';
import { readForeignKeys } from './foreign-keys.js';
import { GroupBuilder } from './group-builder.js';
import type { LagTracker } from './lag-tracker.js';
import type { FollowOptions } from './options.js';
import { ParallelApply } from './parallel-apply.js';
import { PrefixPosition } from './prefix-position.js';
import type { SourceIdentities } from './source-identity.js';
import { TargetCatalog } from './target-catalog.js';

/** Why a run applies with one session although more were asked for; undefined when it may not. */
export function parallelRefusal(
  options: FollowOptions,
  format: string,
  copiedSnapshot: boolean,
  folding: boolean,
): string | undefined {
  if (options.applySessions <= 1) return undefined;
  if (format !== 'pgoutput') return `the output plugin's format is ${format}; parallel apply needs pgoutput`;
  if (copiedSnapshot) return 'the copy read a snapshot of its own (a source before 10)';
  if (!folding)
    return 'the target session cannot reorder changes (no replica role, or triggers that fire in it)';
  return undefined;
}

export interface ParallelSetup {
  ctx: ReplicationContext;
  options: FollowOptions;
  tracker: LagTracker;
  position: bigint;
  appliedBeyond: ReadonlySet<bigint>;
  /** The session already opened: lane 0 (which replays schema changes). */
  first: { client: pg.Client; applier: Applier; catalog: TargetCatalog };
  identities: SourceIdentities;
  followed: FollowedTables;
  ack: Acknowledger;
  ddl:
    | ((parts: {
        applier: Applier;
        catalog: TargetCatalog;
        groups: GroupBuilder;
        commitNow: () => Promise<void>;
      }) => DdlReplay)
    | undefined;
  /** Connections opened here, for the caller to close however the run ends. */
  opened: pg.Client[];
  /** A connection's error ends the follow loop (then the reconnect policy takes over). */
  fail: (error: Error) => void;
}

/** Opens the extra apply sessions and the position session, and builds the coordinator. */
export async function setUpParallelApply(s: ParallelSetup): Promise<ParallelApply> {
  const { ctx, options } = s;
  const database = ctx.database.name;
  const connect = async (name: string) => {
    const client = await openClient(ctx.target.route.connection({ database }), name);
    s.opened.push(client);
    client.on('error', s.fail);
    return client;
  };
  const positionClient = await connect('pgshift-apply-position');
  const version = s.first.catalog.serverVersion;
  await positionClient.query(fixedSettingsSql(APPLY_SETTINGS, version));
  await positionClient.query(CREATE_BEYOND_TABLE);
  const position = new PrefixPosition(positionClient, ctx.slotName, s.ack);
  const lanes: ApplyLane[] = [];
  for (let index = 0; index < options.applySessions; index++) {
    const client = index === 0 ? s.first.client : await connect(`pgshift-apply-${index}`);
    const catalog = index === 0 ? s.first.catalog : new TargetCatalog(client, version);
    const applier =
      index === 0 ? s.first.applier : new Applier(client, catalog, ctx.slotName, options, ctx.logger);
    if (index > 0) await applier.open();
    const groups = new GroupBuilder(options, s.tracker, {
      position: s.position,
      copied: undefined,
      recordCommits: true,
    });
    const lane: ApplyLane = new ApplyLane({
      index,
      client,
      catalog,
      applier,
      groups,
      onCommitted: () => position.advance(),
      router: (self) => {
        const ddl =
          index === 0 && s.ddl
            ? s.ddl({ applier, catalog, groups, commitNow: () => self.router.commitNow() })
            : undefined;
        return new ChangeRouter({
          applier,
          catalog,
          identities: s.identities,
          groups,
          ack: self,
          followed: s.followed,
          ...(ddl ? { ddl } : {}),
          relationsAnnounced: true,
        });
      },
    });
    lanes.push(lane);
  }
  return new ParallelApply({
    lanes,
    catalog: new TargetCatalog(positionClient, version),
    identities: s.identities,
    followed: s.followed,
    foreignKeys: () => readForeignKeys(positionClient),
    position,
    ack: s.ack,
    appliedBeyond: s.appliedBeyond,
    limits: {
      maxTransactionChanges: options.parallelMaxTransactionChanges,
      maxTransactionBytes: options.parallelMaxTransactionBytes,
    },
  });
}
