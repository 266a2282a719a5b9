import type { Access } from './transaction-keys.js';

/** Where a transaction went: an apply session (lane) and the number of its group there. */
export interface Placement {
  lane: number;
  group: number;
}

interface KeyState {
  /** The last transaction that wrote the key. */
  writer: Placement | undefined;
  /** Per lane, the latest group that read it since. */
  readers: Map<number, number> | undefined;
}

/**
 * Which not yet committed transactions each key was last written or read by, so a new
 * transaction learns the lanes it conflicts with. A lane commits its groups in order, so a
 * placement is settled once its lane committed that group (`committed(lane)` says up to which);
 * settled placements no longer constrain anything and are swept away now and then, which keeps
 * the map as large as the keys of the transactions in flight.
 */
export class ConflictTracker {
  readonly #keys = new Map<string, KeyState>();
  readonly #committed: (lane: number) => number;
  #sweepAt = 100_000;

  constructor(committed: (lane: number) => number) {
    this.#committed = committed;
  }

  #live(lane: number, group: number): boolean {
    return group > this.#committed(lane);
  }

  /** The lanes holding uncommitted transactions that these accesses must follow. */
  conflicts(accesses: readonly Access[]): Set<number> {
    const lanes = new Set<number>();
    for (const access of accesses) {
      const state = this.#keys.get(access.key);
      if (!state) continue;
      const writer = state.writer;
      if (writer && this.#live(writer.lane, writer.group)) lanes.add(writer.lane);
      if (access.exclusive && state.readers)
        for (const [lane, group] of state.readers) if (this.#live(lane, group)) lanes.add(lane);
    }
    return lanes;
  }

  /** The transaction with these accesses was placed in `at`. */
  record(accesses: readonly Access[], at: Placement): void {
    for (const access of accesses) {
      let state = this.#keys.get(access.key);
      if (!state) {
        state = { writer: undefined, readers: undefined };
        this.#keys.set(access.key, state);
      }
      if (access.exclusive) {
        state.writer = at;
        state.readers = undefined;
      } else {
        state.readers ??= new Map();
        state.readers.set(at.lane, at.group);
      }
    }
    if (this.#keys.size >= this.#sweepAt) this.#sweep();
  }

  /** Drops keys whose every placement is committed. */
  #sweep(): void {
    for (const [key, state] of this.#keys) {
      const writerLive = state.writer !== undefined && this.#live(state.writer.lane, state.writer.group);
      let readersLive = false;
      if (state.readers)
        for (const [lane, group] of state.readers) if (this.#live(lane, group)) readersLive = true;
      if (!writerLive && !readersLive) this.#keys.delete(key);
    }
    this.#sweepAt = Math.max(100_000, this.#keys.size * 2);
  }

  /** Everything is committed (all lanes settled): nothing constrains the next transaction. */
  clear(): void {
    this.#keys.clear();
  }

  get size(): number {
    return this.#keys.size;
  }
}
