import type { Applier, GroupEnd } from './applier.js';
import { isDdlLog } from './ddl-command.js';
import type { DdlReplay } from './ddl-replay.js';
import type { FollowedTables } from './followed-tables.js';
import type { GroupBuilder } from './group-builder.js';
import type { Change, CommitChange, DeleteChange, InsertChange, UpdateChange } from './model.js';
import type { SourceIdentities } from './source-identity.js';
import type { TargetCatalog } from './target-catalog.js';
import { isCaptureLog, TruncateCollector } from './truncate-capture.js';

/**
 * Where a group's commit goes once sent: the acknowledger, or with several apply sessions the
 * session's lane (apply-lane.ts). `position` decides which transactions are applied already.
 */
export interface GroupCommits {
  readonly position: bigint;
  committing(done: Promise<void>, end: GroupEnd, transactions: number): void;
}

export interface RouterParts {
  applier: Applier;
  catalog: TargetCatalog;
  identities: SourceIdentities;
  groups: GroupBuilder;
  ack: GroupCommits;
  /** The tables whose changes are applied; others' rows are passed over. */
  followed: FollowedTables;
  /** Schema changes captured on the source; absent: their log rows are passed over. */
  ddl?: DdlReplay;
  /** pgoutput announces a table's new definition; the text formats only show it in the rows. */
  relationsAnnounced: boolean;
}

/**
 * Takes each decoded change where it belongs: transaction boundaries to the group builder, row
 * changes to the applier (folded at once when nothing needs waiting for), captured truncates
 * (sources before 11) gathered and applied as one TRUNCATE, and a group's commit to the target and
 * then the acknowledger.
 */
export class ChangeRouter {
  readonly #applier: Applier;
  readonly #catalog: TargetCatalog;
  readonly #identities: SourceIdentities;
  readonly #groups: GroupBuilder;
  readonly #ack: GroupCommits;
  readonly #relationsAnnounced: boolean;
  readonly #followed: FollowedTables;
  readonly #ddl: DdlReplay | undefined;
  readonly #truncates = new TruncateCollector();

  constructor(parts: RouterParts) {
    this.#applier = parts.applier;
    this.#catalog = parts.catalog;
    this.#identities = parts.identities;
    this.#groups = parts.groups;
    this.#ack = parts.ack;
    this.#relationsAnnounced = parts.relationsAnnounced;
    this.#followed = parts.followed;
    this.#ddl = parts.ddl;
  }

  /**
   * Handles a change; returns a promise only when it had to wait for something. Most changes are
   * rows folded into the group at once, and not awaiting them keeps the loop fast.
   */
  handle(change: Change): Promise<void> | undefined {
    if (!this.#truncates.pending) {
      if (change.kind === 'begin') {
        this.#groups.begin(change, this.#ack.position);
        return undefined;
      }
      if (change.kind === 'commit') return this.#end(change);
    }
    if (change.kind === 'insert' || change.kind === 'update' || change.kind === 'delete') {
      if (
        !this.#followed.follows(change.relation) &&
        !isCaptureLog(change.relation) &&
        !isDdlLog(change.relation)
      )
        return undefined;
      if (!this.#relationsAnnounced) this.#noticeNewColumns(change);
      if (this.#groups.applying && !this.#truncates.pending && !isCaptureLog(change.relation)) {
        const identity = change.identity ?? this.#identities.cached(change.relation);
        if (identity && this.#applier.tryFold(change, identity)) {
          this.#groups.countChange();
          return undefined;
        }
      }
    }
    return this.#handleInOrder(change);
  }

  /** Ends a source transaction in the group; returns a promise only when the group commits. */
  #end(change: CommitChange): Promise<void> | undefined {
    return this.#groups.end(change) ? this.commitGroup() : undefined;
  }

  /**
   * A column the target's table had not when it was read means the table changed (added on the
   * target, then on the source, as docs/incremental-sync.md says): read it again before applying.
   */
  #noticeNewColumns(change: InsertChange | UpdateChange | DeleteChange): void {
    const table = this.#catalog.cached(change.relation);
    if (!table) return;
    const rows =
      change.kind === 'insert'
        ? [change.new]
        : change.kind === 'delete'
          ? [change.old]
          : [change.new, change.old];
    for (const row of rows)
      if (row)
        for (const name in row)
          if (!table.columns.has(name)) {
            this.#catalog.forget(change.relation);
            return;
          }
  }

  async #handleInOrder(change: Change): Promise<void> {
    // Captured truncates are gathered and applied before the next change.
    if (this.#truncates.take(change)) return;
    const truncate = this.#truncates.flush();
    if (truncate && this.#groups.applying) {
      await this.#applier.apply(truncate, undefined);
      this.#groups.countChange();
    }
    if (
      change.kind !== 'begin' &&
      change.kind !== 'commit' &&
      change.kind !== 'relation' &&
      change.kind !== 'truncate'
    )
      if (isDdlLog(change.relation)) {
        if (this.#ddl && this.#groups.wantsRow()) await this.#ddl.take(change);
        return;
      }
    switch (change.kind) {
      case 'begin':
        this.#groups.begin(change, this.#ack.position);
        return;
      case 'relation':
        // pgoutput announces a relation again after its definition changed: re-read the target's.
        this.#catalog.forget(change.relation);
        if (this.#ddl && this.#followed.follows(change.relation)) await this.#ddl.checkDefinition(change);
        return;
      case 'commit':
        await this.#end(change);
        return;
      default: {
        if (!this.#groups.wantsRow()) return;
        // Inserts need it too: the applier folds a table's changes per key when it may.
        const identity =
          change.kind === 'truncate'
            ? undefined
            : (change.identity ?? (await this.#identities.of(change.relation)));
        await this.#applier.apply(change, identity);
        this.#groups.countChange();
      }
    }
  }

  /** Commits what the group holds now, and waits until the target has (a stop before a change). */
  async commitNow(): Promise<void> {
    const group = this.#groups.take();
    if (!group) return;
    const { done } = await this.#applier.startCommit(group.last);
    this.#ack.committing(done, group.last, group.transactions);
    await done;
  }

  /**
   * Sends the group's COMMIT and goes on with the next group while the target runs it; the
   * acknowledger moves the position once the COMMIT succeeded.
   */
  async commitGroup(): Promise<void> {
    const group = this.#groups.take();
    if (!group) return;
    const { done } = await this.#applier.startCommit(group.last);
    this.#ack.committing(done, group.last, group.transactions);
  }
}
