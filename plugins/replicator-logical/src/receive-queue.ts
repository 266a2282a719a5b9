import type { Change } from './model.js';

/** Received data: the changes of one or more consecutive messages, and how many and how big. */
export interface DataItem {
  type: 'data';
  changes: Change[];
  messages: number;
  bytes: number;
}

/** A keepalive's WAL position, kept in order with the data around it. */
export interface KeepaliveItem {
  type: 'keepalive';
  lsn: bigint;
}

export type QueueItem = DataItem | KeepaliveItem;

/** Changes of consecutive messages share a queue item up to this many: fewer items, less overhead. */
const ITEM_MAX_CHANGES = 256;

export interface QueueLimits {
  /** Messages waiting before reading from the source pauses. */
  maxMessages: number;
  /** Payload bytes waiting before reading from the source pauses. */
  maxBytes: number;
}

/** What pauses and resumes reading from the source (the replication stream). */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * What was received and decoded and waits to be applied, in the order it arrived. Its bound is the
 * memory bound of following: past a limit reading from the source pauses (TCP then holds the
 * walsender), and it resumes once the queue is down to a quarter of both limits.
 */
export class ReceiveQueue {
  readonly #items: QueueItem[] = [];
  readonly #limits: QueueLimits;
  readonly #flow: FlowControl;
  #bytes = 0;
  #messages = 0;
  #paused = false;

  constructor(limits: QueueLimits, flow: FlowControl) {
    this.#limits = limits;
    this.#flow = flow;
  }

  get length(): number {
    return this.#items.length;
  }

  shift(): QueueItem | undefined {
    return this.#items.shift();
  }

  /** The changes of one message of `bytes` bytes. */
  pushChanges(changes: Change[], bytes: number): void {
    const tail = this.#items[this.#items.length - 1];
    if (tail?.type === 'data' && tail.changes.length < ITEM_MAX_CHANGES) {
      for (const change of changes) tail.changes.push(change);
      tail.messages++;
      tail.bytes += bytes;
    } else this.#items.push({ type: 'data', changes, messages: 1, bytes });
    this.#bytes += bytes;
    this.#messages++;
    if (this.#messages >= this.#limits.maxMessages || this.#bytes >= this.#limits.maxBytes) {
      this.#paused = true;
      this.#flow.pause();
    }
  }

  pushKeepalive(lsn: bigint): void {
    this.#items.push({ type: 'keepalive', lsn });
  }

  /** A data item was handled: its room is free again. */
  release(item: DataItem): void {
    this.#bytes -= item.bytes;
    this.#messages -= item.messages;
    if (
      this.#paused &&
      this.#messages <= this.#limits.maxMessages / 4 &&
      this.#bytes <= this.#limits.maxBytes / 4
    ) {
      this.#paused = false;
      this.#flow.resume();
    }
  }
}
