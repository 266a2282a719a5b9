import { connectClient, fixedSettingsOptions, frontendMessage, MESSAGE, quoteIdent } from '@pgshift/pg';
import type { ConnectionParams } from '@pgshift/plugin-api';
import type pg from 'pg';
import { BackendMessageReader, errorFields, lsnAt, PG_EPOCH_OFFSET_US } from './backend-messages.js';

/**
 * Settings of the walsender session: output functions run there, so pgshift's fixed session
 * settings fix the text form of values (all float digits on servers before 12, ISO dates, UTC,
 * hex bytea). Given at startup: the session runs no SQL before START_REPLICATION.
 */
const WALSENDER_OPTIONS = fixedSettingsOptions();

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

/** The socket pg connected (a TCP, TLS or tunnel stream), as much of it as the stream uses. */
type SessionSocket = Pick<
  pg.Client['connection']['stream'],
  'on' | 'once' | 'removeAllListeners' | 'write' | 'pause' | 'resume'
>;

const { copyData: COPY_DATA, copyDone: COPY_DONE, errorResponse: ERROR_RESPONSE } = MESSAGE;

/**
 * One START_REPLICATION ... LOGICAL session. pg opens it (authentication, TLS, tunnels), then
 * pgshift reads the session's messages itself: pg's parser would build an object and emit two
 * events for each of the many small CopyData messages. It never acknowledges on its own: only
 * `sendStatus` reports a position, and the caller passes the durable apply position only.
 */
export class ReplicationStream {
  readonly #params: ConnectionParams;
  #client: pg.Client | undefined;
  #socket: SessionSocket | undefined;
  #stopping = false;
  #paused = false;
  #ended = false;

  constructor(params: ConnectionParams) {
    this.#params = { ...params, replication: true };
  }

  start(slotName: string, fromLsn: string, options: string[], handlers: StreamHandlers): void {
    this.#run(slotName, fromLsn, options, handlers).catch((error: Error) => {
      if (!this.#stopping) handlers.error(error);
    });
  }

  async #run(slotName: string, fromLsn: string, options: string[], handlers: StreamHandlers): Promise<void> {
    // TLS as the route's sslmode says, like every other connection (connectClient).
    const client = await connectClient(this.#params, 'pgshift-stream', { options: WALSENDER_OPTIONS });
    this.#client = client;
    client.on('error', (error) => {
      if (!this.#stopping) handlers.error(error);
    });
    if (this.#stopping) {
      await client.end();
      return;
    }
    // pg's connection and its socket: typed by pg's declarations, though not its documented API.
    const socket: SessionSocket = client.connection.stream;
    this.#socket = socket;
    // From here the session's bytes are ours; pg keeps the socket only to close it.
    socket.removeAllListeners('data');
    const reader = new BackendMessageReader((code, body) => this.#onMessage(code, body, handlers));
    socket.on('data', (chunk) => reader.push(chunk));
    socket.once('close', () => this.#end(handlers));
    const list = options.length > 0 ? ` (${options.join(', ')})` : '';
    const command = `START_REPLICATION SLOT ${quoteIdent(slotName)} LOGICAL ${fromLsn}${list}`;
    socket.write(frontendMessage('Q', Buffer.from(`${command}\0`, 'utf8')));
  }

  #onMessage(code: number, body: Buffer, handlers: StreamHandlers): void {
    if (this.#stopping || this.#ended) return;
    if (code === COPY_DATA) {
      const kind = body[0];
      if (kind === 0x77) {
        // XLogData: 'w', data start, WAL end, send time (8 bytes each), then the payload.
        handlers.data(body.subarray(25), () => lsnAt(body, 1));
      } else if (kind === 0x6b) {
        // Primary keepalive: 'k', WAL end, send time, reply requested.
        handlers.keepalive(lsnAt(body, 1), body[17] === 1);
      }
    } else if (code === ERROR_RESPONSE) {
      const fields = errorFields(body);
      this.#ended = true;
      handlers.error(Object.assign(new Error(fields.message), fields.code ? { code: fields.code } : {}));
    } else if (code === COPY_DONE) {
      this.#end(handlers);
    }
    // CopyBothResponse, notices and parameter reports need nothing.
  }

  #end(handlers: StreamHandlers): void {
    if (this.#stopping || this.#ended) return;
    this.#ended = true;
    handlers.ended();
  }

  /** Standby status update saying `position` is written, flushed and applied. */
  async sendStatus(position: bigint, requestReply = false): Promise<void> {
    const socket = this.#socket;
    if (this.#stopping || this.#ended || !socket || position <= 0n) return;
    const message = Buffer.alloc(34);
    message[0] = 0x72; // 'r'
    message.writeBigUInt64BE(position, 1);
    message.writeBigUInt64BE(position, 9);
    message.writeBigUInt64BE(position, 17);
    message.writeBigInt64BE(BigInt(Date.now()) * 1000n - PG_EPOCH_OFFSET_US, 25);
    message[33] = requestReply ? 1 : 0;
    socket.write(frontendMessage('d', message));
  }

  /** Backpressure: stop reading from the server until resumed (TCP then holds the walsender). */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#socket?.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#socket?.resume();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.resume();
    await this.#client?.end().catch(() => {});
  }
}
