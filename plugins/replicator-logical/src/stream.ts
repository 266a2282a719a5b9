import { bigIntToLsn, clientConfig, quoteIdent } from '@pgshift/pg';
import type { ConnectionParams } from '@pgshift/plugin-api';
import type pg from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';

type OutputPlugin = Parameters<LogicalReplicationService['subscribe']>[0];

/**
 * Settings of the walsender session: output functions run there, so these fix the text form of
 * values (all float digits on servers before 12, ISO dates, UTC, hex bytea).
 */
const WALSENDER_OPTIONS = [
  '-c datestyle=ISO,MDY',
  '-c intervalstyle=postgres',
  '-c timezone=UTC',
  '-c extra_float_digits=3',
  '-c bytea_output=hex',
].join(' ');

/** Hands START_REPLICATION our options and passes payloads through for our own decoders. */
class PassThroughPlugin {
  constructor(readonly options: { options: string[] }) {}

  get name(): string {
    return 'pgshift';
  }

  start(client: pg.Client, slotName: string, lastLsn: string): Promise<unknown> {
    const options = this.options.options.length > 0 ? ` (${this.options.options.join(', ')})` : '';
    return client.query(`START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${lastLsn}${options}`);
  }

  parse(buffer: Buffer): Buffer {
    // Valid only during the synchronous 'data' callback (pg reuses its read buffer); decoded there.
    return buffer;
  }
}

export interface StreamHandlers {
  data(lsn: string, payload: Buffer): void;
  keepalive(lsn: string, shouldRespond: boolean): void;
  error(error: Error): void;
  /** The stream ended without being asked to. */
  ended(): void;
}

interface SocketLike {
  pause(): void;
  resume(): void;
}

/**
 * One START_REPLICATION session through pg-logical-replication. The service never acknowledges
 * on its own (auto off, no timer): only `sendStatus` reports a position, and the caller passes
 * the durable apply position only.
 */
export class ReplicationStream {
  readonly #service: LogicalReplicationService;
  #stopping = false;
  #paused = false;

  constructor(params: ConnectionParams) {
    const config = {
      ...clientConfig({ ...params, replication: true }, 'pgshift-stream'),
      options: WALSENDER_OPTIONS,
    };
    this.#service = new LogicalReplicationService(config, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
      flowControl: { enabled: false },
    });
  }

  start(slotName: string, fromLsn: string, options: string[], handlers: StreamHandlers): void {
    const service = this.#service;
    service.on('data', (lsn: string, payload: Buffer) => handlers.data(lsn, payload));
    service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) =>
      handlers.keepalive(lsn, shouldRespond),
    );
    service.on('error', (error: Error) => {
      if (!this.#stopping) handlers.error(error);
    });
    service
      .subscribe(new PassThroughPlugin({ options }) as unknown as OutputPlugin, slotName, fromLsn)
      .then(() => {
        if (!this.#stopping) handlers.ended();
      })
      .catch((error: Error) => {
        if (!this.#stopping) handlers.error(error);
      });
  }

  /**
   * Standby status update saying `position` is written, flushed and applied. The library reports
   * its argument + 1 (it takes the last byte received), so it is given position - 1.
   */
  async sendStatus(position: bigint, requestReply = false): Promise<void> {
    if (this.#stopping || position <= 0n) return;
    await this.#service.acknowledge(bigIntToLsn(position - 1n), requestReply);
  }

  #socket(): SocketLike | undefined {
    // The library keeps the pg connection private; its own flow control pauses the same stream.
    const connection = (this.#service as unknown as { _connection?: { stream?: SocketLike } })._connection;
    return connection?.stream;
  }

  /** Backpressure: stop reading from the server until resumed (TCP then holds the walsender). */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#socket()?.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#socket()?.resume();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.resume();
    await this.#service.destroy().catch(() => {});
  }
}
