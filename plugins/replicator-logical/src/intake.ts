import { lsnToBigInt } from '@pgshift/pg';
import type { Decoder } from './decoders/decoder.js';
import { CODES, ReplicationError, STREAM_REMEDY } from './errors.js';
import type { LagTracker } from './lag-tracker.js';
import type { ReceiveQueue } from './receive-queue.js';
import type { StreamHandlers } from './stream.js';

export interface IntakeParts {
  decoder: Decoder;
  queue: ReceiveQueue;
  tracker: LagTracker;
  /** Answers a keepalive that asks for a reply: with the durable apply position, nothing else. */
  answer(): void;
  /** Something arrived: wake the follow loop. */
  wake(): void;
  fail(error: unknown): void;
}

/**
 * The decode stage: what the replication stream hands over, each message decoded as it arrives
 * and queued for apply in arrival order. A keepalive is answered at once and queued too, so its
 * position is seen in order with the data.
 */
export function intakeHandlers(parts: IntakeParts): StreamHandlers {
  const { decoder, queue, tracker, answer, wake, fail } = parts;
  return {
    data: (payload, lsn) => {
      try {
        const changes = decoder.decode(payload, lsn);
        // Per commit, not per message: the source position only matters between transactions.
        const last = changes[changes.length - 1];
        if (last?.kind === 'commit') tracker.seeSource(last.endPosition ?? lsnToBigInt(last.endLsn));
        queue.pushChanges(changes, payload.length);
        wake();
      } catch (error) {
        fail(error);
      }
    },
    keepalive: (lsn, shouldRespond) => {
      if (shouldRespond) answer();
      queue.pushKeepalive(lsnToBigInt(lsn));
      wake();
    },
    error: (error) =>
      fail(
        new ReplicationError(CODES.stream, `replication stream failed: ${error.message}`, {
          cause: error,
          remedy: STREAM_REMEDY,
        }),
      ),
    ended: () =>
      fail(
        new ReplicationError(CODES.stream, 'the source ended the replication stream', {
          remedy: STREAM_REMEDY,
        }),
      ),
  };
}
