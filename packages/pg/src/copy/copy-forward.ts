import type { Duplex } from 'node:stream';
import type { Throttle } from '@pgshift/plugin-api';
import type pg from 'pg';
import { frontendMessage, MESSAGE } from '../protocol-messages.js';

/*
 * COPY from one server to another without re-framing the rows in JavaScript.
 *
 * A backend's CopyData message ('d', int32 length, bytes) is byte for byte the CopyData message a
 * frontend sends in COPY FROM STDIN, so the source socket's bytes can be written to the target
 * socket as they arrive: only the 5-byte message headers are read, to skip what is not CopyData
 * (CopyOutResponse, notices) and to find the CopyDone that ends the stream. A row is never copied
 * into a buffer of its own (pg-copy-streams parses every row into a new Buffer and frames it again).
 * Backpressure: when the target socket's buffer is full the source socket is paused until it
 * drains, so memory stays bounded by the two sockets' buffers whatever the table size.
 * A throttle (the task's copy limit) is charged with each read's CopyData messages (one per row)
 * and bytes, and the source socket stays paused while it says to wait.
 */

const { copyData: COPY_DATA, copyDone: COPY_DONE, errorResponse: ERROR_RESPONSE } = MESSAGE;
const COPY_DONE_MESSAGE = frontendMessage('c', Buffer.alloc(0));

/** What a submittable uses of the connection pg hands it: its socket and its query. */
type Connection = Pick<pg.Connection, 'stream' | 'query'>;

type DataListener = (chunk: Buffer) => void;

function copyRowCount(msg: unknown): number | undefined {
  const match = /COPY (\d+)/.exec((msg as { text?: string } | undefined)?.text ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A pending outcome that settles once. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  return { promise, resolve, reject };
}

/**
 * What both sides of a forwarded COPY are to pg: a submittable that sends its text, counts the
 * rows CommandComplete reports, and settles `done` when the session is ready again (or failed).
 */
abstract class CopyCommand implements pg.Submittable {
  protected readonly finished = deferred<number>();
  protected connection: Connection | undefined;
  #rows = 0;

  constructor(readonly text: string) {}

  get done(): Promise<number> {
    return this.finished.promise;
  }

  abstract submit(connection: Connection): Error | undefined;

  /** pg replaces this with its query_timeout hook when one is configured. */
  callback(): void {}

  handleCommandComplete(msg: unknown): void {
    this.#rows = copyRowCount(msg) ?? this.#rows;
  }
  handleReadyForQuery(): void {
    this.callback();
    this.finished.resolve(this.#rows);
  }
  handleError(error: unknown): void {
    this.callback();
    this.failedWith(error);
    this.finished.reject(error);
  }

  /** What the side does when its server answers with an error, before `done` rejects. */
  protected abstract failedWith(error: unknown): void;
}

/**
 * Target side: `COPY ... FROM STDIN`. Once `ready` resolves the caller writes CopyData frames to
 * `socket` itself, then `finish()`; `done` resolves with the rows the target stored.
 */
class CopyIn extends CopyCommand {
  readonly #ready = deferred<void>();
  /** The target answered with an error (or its connection was lost). */
  failed = false;

  get ready(): Promise<void> {
    return this.#ready.promise;
  }
  get socket(): Duplex {
    return (this.connection as Connection).stream;
  }

  submit(connection: Connection): undefined {
    this.connection = connection;
    connection.query(this.text);
    return undefined;
  }

  handleCopyInResponse(): void {
    this.#ready.resolve();
  }

  protected failedWith(error: unknown): void {
    this.failed = true;
    this.#ready.reject(error);
  }

  finish(): void {
    this.socket.write(COPY_DONE_MESSAGE);
  }

  /** CopyFail: the target rolls the COPY back and answers with an error (which `done` carries). */
  fail(reason: string): void {
    this.socket.write(frontendMessage('f', Buffer.from(`${reason}\0`, 'utf8')));
  }
}

/**
 * Source side: `COPY ... TO STDOUT`, its CopyData messages written to `sink` as they arrive. It
 * takes over the socket's 'data' listener from pg for the duration of the copy and gives it back,
 * with the bytes after CopyDone (or from an ErrorResponse on), so pg reads the command's end.
 */
export class CopyOutForward extends CopyCommand {
  #pgListener: DataListener | undefined;
  #listener: DataListener = (chunk) => this.#onData(chunk);
  #stopped = false;
  /** Current message: its code (0 = at a message boundary), length bytes read, body bytes left. */
  #code = 0;
  #lengthRead = 0;
  #length = 0;
  #bodyLeft = 0;
  /** Reasons the source socket is paused: the sink is full, the throttle says to wait. */
  #holds = 0;
  #resume = () => {
    if (--this.#holds === 0 && !this.#stopped) this.connection?.stream.resume();
  };

  constructor(
    text: string,
    private readonly sink: Duplex,
    private readonly onBytes: (bytes: number) => void,
    private readonly throttle?: Throttle,
  ) {
    super(text);
  }

  #hold(): void {
    if (this.#holds++ === 0) this.connection?.stream.pause();
  }

  /** Counts what was read; `waiting`: hold the socket while the throttle says to wait. */
  #read(rows: number, bytes: number, waiting: boolean): void {
    this.onBytes(bytes);
    const wait = this.throttle?.take(rows, bytes);
    if (!wait || !waiting) return;
    this.#hold();
    void wait.then(this.#resume);
  }

  /** An Error returned here is handed by pg to handleError, and the session stays usable. */
  submit(connection: Connection): Error | undefined {
    this.connection = connection;
    const stream = connection.stream;
    const listeners = stream.listeners('data') as DataListener[];
    if (listeners.length !== 1)
      return new Error(`expected one data listener on the source socket, found ${listeners.length}`);
    this.#pgListener = listeners[0];
    stream.removeListener('data', this.#pgListener as DataListener);
    stream.on('data', this.#listener);
    connection.query(this.text);
    return undefined;
  }

  protected failedWith(): void {
    this.#detach();
  }

  /** No frame is half written to the sink: the next byte it receives may start a message. */
  get atFrameBoundary(): boolean {
    return this.#code !== COPY_DATA;
  }

  /** Stops forwarding (the target failed); the caller ends the source session. */
  stop(): void {
    // Once the socket is back with pg (the copy ended or failed on the source), it is pg's to run.
    if (!this.#pgListener) return;
    this.#stopped = true;
    this.sink.removeListener('drain', this.#resume);
    this.connection?.stream.pause();
  }

  #onData(chunk: Buffer): void {
    if (this.#stopped) return;
    const end = chunk.length;
    let pos = 0;
    let bytes = 0;
    let rows = 0;
    // Start of the run of CopyData bytes in this chunk still to be written (-1: none).
    let run = this.#code === COPY_DATA ? 0 : -1;
    let writable = true;
    const flush = (to: number) => {
      if (run >= 0 && to > run) writable = this.sink.write(chunk.subarray(run, to));
      run = -1;
    };
    while (pos < end) {
      if (this.#code === 0) {
        const code = chunk[pos] as number;
        if (code === COPY_DATA) {
          if (run < 0) run = pos;
        } else {
          flush(pos);
          if (code === ERROR_RESPONSE) {
            // pg parses the error and calls handleError; nothing after it belongs to the copy.
            this.#handBack(chunk.subarray(pos));
            this.#read(rows, bytes, false);
            return;
          }
        }
        this.#code = code;
        this.#lengthRead = 0;
        this.#length = 0;
        if (pos + 5 <= end) {
          this.#length = chunk.readUInt32BE(pos + 1);
          this.#lengthRead = 4;
          pos += 5;
        } else {
          pos += 1;
          continue;
        }
      } else if (this.#lengthRead < 4) {
        this.#length = this.#length * 256 + (chunk[pos] as number);
        this.#lengthRead++;
        pos++;
        if (this.#lengthRead < 4) continue;
      } else {
        const n = Math.min(this.#bodyLeft, end - pos);
        pos += n;
        this.#bodyLeft -= n;
        if (this.#bodyLeft > 0) continue;
        if (this.#messageEnded(chunk, pos, flush)) {
          this.#read(rows, bytes, false);
          return;
        }
        continue;
      }
      // The length was just read: the body follows.
      this.#bodyLeft = this.#length - 4;
      if (this.#code === COPY_DATA) {
        bytes += this.#bodyLeft;
        rows++;
      }
      if (this.#bodyLeft === 0 && this.#messageEnded(chunk, pos, flush)) {
        this.#read(rows, bytes, false);
        return;
      }
    }
    flush(end);
    if (!writable) {
      this.#hold();
      this.sink.once('drain', this.#resume);
    }
    this.#read(rows, bytes, true);
  }

  /** At the end of a message: true when it was CopyDone and the socket went back to pg. */
  #messageEnded(chunk: Buffer, pos: number, flush: (to: number) => void): boolean {
    const code = this.#code;
    this.#code = 0;
    if (code !== COPY_DONE) return false;
    flush(pos);
    this.#handBack(chunk.subarray(pos));
    return true;
  }

  /** Gives the socket back to pg with the bytes it has not seen (CommandComplete, ReadyForQuery). */
  #handBack(rest: Buffer): void {
    const pgListener = this.#detach();
    if (pgListener && rest.length > 0) pgListener(rest);
  }

  #detach(): DataListener | undefined {
    const pgListener = this.#pgListener;
    const stream = this.connection?.stream;
    if (!pgListener || !stream) return undefined;
    this.#pgListener = undefined;
    this.#stopped = true;
    this.sink.removeListener('drain', this.#resume);
    stream.removeListener('data', this.#listener);
    stream.on('data', pgListener);
    stream.resume();
    return pgListener;
  }
}

export interface ForwardedCopy {
  /** Rows the source sent (its CommandComplete). */
  sourceRows: number;
  /** Rows the target stored (its CommandComplete). */
  targetRows: number;
  /** COPY text bytes forwarded, without the protocol's framing. */
  bytes: number;
}

/**
 * Runs `sourceSql` (COPY ... TO STDOUT) on `source` into `targetSql` (COPY ... FROM STDIN) on
 * `target`. Resolves once both servers confirmed their command; rejects on either side's error,
 * leaving the target's transaction failed (the caller rolls it back) and, when the target failed
 * first, the source session mid-COPY (the caller ends it).
 */
export async function forwardCopy(
  source: pg.Client,
  target: pg.Client,
  sourceSql: string,
  targetSql: string,
  onBytes: (bytes: number) => void,
  throttle?: Throttle,
): Promise<ForwardedCopy> {
  const copyIn = new CopyIn(targetSql);
  target.query(copyIn);
  await copyIn.ready;
  let bytes = 0;
  const copyOut = new CopyOutForward(
    sourceSql,
    copyIn.socket,
    (n) => {
      bytes += n;
      if (n > 0) onBytes(n);
    },
    throttle,
  );
  source.query(copyOut);
  // The target may fail mid-stream (a value it rejects): stop reading the source then.
  const targetFailed = copyIn.done.then(
    () => new Promise<never>(() => {}),
    (error: unknown) => {
      copyOut.stop();
      throw error;
    },
  );
  let sourceRows: number;
  try {
    sourceRows = await Promise.race([copyOut.done, targetFailed]);
  } catch (error) {
    if (copyIn.failed) throw error;
    // The source failed. At a frame boundary the target is told with CopyFail (its session stays
    // usable for the caller's ROLLBACK); in the middle of a forwarded frame nothing can end that
    // frame honestly, so the target's connection is dropped, which rolls its transaction back.
    if (copyOut.atFrameBoundary) {
      copyIn.fail('the source of this COPY failed');
      await copyIn.done.catch(() => {});
    } else {
      copyIn.socket.destroy();
      await copyIn.done.catch(() => {});
    }
    throw error;
  }
  copyIn.finish();
  const targetRows = await copyIn.done;
  return { sourceRows, targetRows, bytes };
}
