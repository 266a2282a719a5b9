import { clientConfig, quoteIdent } from '@pgshift/pg';
import type { ConnectionParams } from '@pgshift/plugin-api';
import pg from 'pg';

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

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01), for status update times. */
const PG_EPOCH_OFFSET_US = 946_684_800_000_000n;

export interface StreamHandlers {
  /**
   * One XLogData message: its payload (valid during the call only) and its WAL start as `X/X`,
   * formatted only if asked for (most decoders never need it).
   */
  data(payload: Buffer, lsn: () => string): void;
  keepalive(lsn: string, shouldRespond: boolean): void;
  error(error: Error): void;
  /** The stream ended without being asked to. */
  ended(): void;
}

interface CopyConnection {
  on(event: 'copyData', listener: (message: { chunk: Buffer }) => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
  stream: { pause(): void; resume(): void };
}

/** The position at `offset` (two big-endian 32-bit halves), written as PostgreSQL does. */
function readLsn(buffer: Buffer, offset: number): string {
  const high = buffer.readUInt32BE(offset);
  const low = buffer.readUInt32BE(offset + 4);
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/**
 * One START_REPLICATION ... LOGICAL session on a pg.Client in replication mode, read straight
 * from the connection's CopyData messages. It never acknowledges on its own: only `sendStatus`
 * reports a position, and the caller passes the durable apply position only.
 */
export class ReplicationStream {
  readonly #config: pg.ClientConfig;
  #client: pg.Client | undefined;
  #connection: CopyConnection | undefined;
  #stopping = false;
  #paused = false;

  constructor(params: ConnectionParams) {
    this.#config = {
      ...clientConfig({ ...params, replication: true }, 'pgshift-stream'),
      options: WALSENDER_OPTIONS,
    };
  }

  start(slotName: string, fromLsn: string, options: string[], handlers: StreamHandlers): void {
    this.#run(slotName, fromLsn, options, handlers).catch((error: Error) => {
      if (!this.#stopping) handlers.error(error);
    });
  }

  async #run(slotName: string, fromLsn: string, options: string[], handlers: StreamHandlers): Promise<void> {
    const client = new pg.Client(this.#config);
    this.#client = client;
    client.on('error', (error) => {
      if (!this.#stopping) handlers.error(error);
    });
    await client.connect();
    if (this.#stopping) {
      await client.end();
      return;
    }
    const connection = (client as unknown as { connection: CopyConnection }).connection;
    this.#connection = connection;
    connection.on('copyData', ({ chunk }) => {
      if (this.#stopping) return;
      const kind = chunk[0];
      if (kind === 0x77) {
        // XLogData: 'w', data start, WAL end, send time (8 bytes each), then the payload.
        handlers.data(chunk.subarray(25), () => readLsn(chunk, 1));
      } else if (kind === 0x6b) {
        // Primary keepalive: 'k', WAL end, send time, reply requested.
        handlers.keepalive(readLsn(chunk, 1), chunk[17] === 1);
      }
    });
    const list = options.length > 0 ? ` (${options.join(', ')})` : '';
    // Settles only when the stream ends: the server stopped, or we ended the client.
    await client.query(`START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${fromLsn}${list}`);
    if (!this.#stopping) handlers.ended();
  }

  /** Standby status update saying `position` is written, flushed and applied. */
  async sendStatus(position: bigint, requestReply = false): Promise<void> {
    const connection = this.#connection;
    if (this.#stopping || !connection || position <= 0n) return;
    const message = Buffer.alloc(34);
    message[0] = 0x72; // 'r'
    message.writeBigUInt64BE(position, 1);
    message.writeBigUInt64BE(position, 9);
    message.writeBigUInt64BE(position, 17);
    message.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_OFFSET_US, 25);
    message[33] = requestReply ? 1 : 0;
    connection.sendCopyFromChunk(message);
  }

  /** Backpressure: stop reading from the server until resumed (TCP then holds the walsender). */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#connection?.stream.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#connection?.stream.resume();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.resume();
    await this.#client?.end().catch(() => {});
  }
}
