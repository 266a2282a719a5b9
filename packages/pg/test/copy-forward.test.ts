import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyOutForward, forwardCopy } from '../src/copy/copy-forward.js';
import { openClient } from '../src/index.js';
import { freshDatabase, run } from './copy-fixtures.js';

/** One protocol message: code, int32 length (itself included), body. */
function message(code: string, body: Buffer | string = Buffer.alloc(0)): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([head, payload]);
}

const ROWS = ['1\tone\n', '2\t\\t tab and ünïcode\n', '', `3\t${'x'.repeat(70_000)}\n`, '4\t\\N\n'];
const DATA = ROWS.map((r) => message('d', r));
const [D0, D1] = DATA as [Buffer, Buffer, ...Buffer[]];
const COPY_OUT_RESPONSE = message('H', Buffer.from([0, 0, 2, 0, 0, 0, 0]));
const NOTICE = message('N', 'SNOTICE\0Mhello\0\0');
const TAIL = Buffer.concat([message('C', 'COPY 5\0'), message('Z', 'T')]);

/** A sink that records what it is given and reports itself full when told to. */
class Sink extends EventEmitter {
  written: Buffer[] = [];
  full = false;
  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    return !this.full;
  }
  bytes(): Buffer {
    return Buffer.concat(this.written);
  }
}

/** A source socket with pg's data listener on it, and a forwarder submitted on it. */
function rig() {
  const stream = new PassThrough();
  const seenByPg: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => seenByPg.push(chunk));
  const sink = new Sink();
  let counted = 0;
  const forward = new CopyOutForward('COPY t TO STDOUT', sink as never, (n) => {
    counted += n;
  });
  const sent: string[] = [];
  forward.submit({ stream, query: (text: string) => sent.push(text) });
  return { stream, sink, forward, seenByPg, sent, counted: () => counted };
}

/** Feeds `bytes` to the socket cut at `cuts`, one 'data' event per piece. */
async function feed(stream: PassThrough, bytes: Buffer, cuts: number[]): Promise<void> {
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > from) stream.write(bytes.subarray(from, cut));
    from = cut;
  }
  await new Promise((resolve) => setImmediate(resolve));
}

describe('CopyOutForward (protocol framing, no server)', () => {
  const stream = Buffer.concat([COPY_OUT_RESPONSE, D0, NOTICE, ...DATA.slice(1), message('c'), TAIL]);
  const payload = ROWS.reduce((n, r) => n + Buffer.byteLength(r), 0);

  it('writes exactly the CopyData frames to the sink, wherever the socket cuts the stream', async () => {
    const cutSets: number[][] = [[]];
    // Every single cut point in the short messages, and cuts inside every header.
    for (let i = 1; i < 200; i++) cutSets.push([i]);
    for (const f of [3, 7, 11])
      cutSets.push(Array.from({ length: Math.ceil(stream.length / f) }, (_, i) => i * f));
    for (const cuts of cutSets) {
      const r = rig();
      await feed(r.stream, stream, cuts);
      expect(r.sink.bytes().equals(Buffer.concat(DATA)), `cuts ${cuts.slice(0, 5)}`).toBe(true);
      // pg reads the command's end (CommandComplete, ReadyForQuery) and nothing of the copy.
      expect(Buffer.concat(r.seenByPg).equals(TAIL), `cuts ${cuts.slice(0, 5)}`).toBe(true);
      expect(r.counted()).toBe(payload);
      expect(r.sent).toEqual(['COPY t TO STDOUT']);
    }
  });

  it('gives the socket back to pg at an ErrorResponse, without forwarding it', async () => {
    const error = Buffer.concat([message('E', 'SERROR\0C22012\0Mdivision by zero\0\0'), message('Z', 'E')]);
    for (const cut of [0, 3, D0.length + 2]) {
      const r = rig();
      await feed(r.stream, Buffer.concat([COPY_OUT_RESPONSE, D0, D1, error]), [
        COPY_OUT_RESPONSE.length + cut,
      ]);
      expect(r.sink.bytes().equals(Buffer.concat([D0, D1]))).toBe(true);
      expect(Buffer.concat(r.seenByPg).equals(error)).toBe(true);
      expect(r.forward.atFrameBoundary).toBe(true);
    }
  });

  it('pauses the source socket while the sink is full and resumes it on drain', async () => {
    const r = rig();
    r.sink.full = true;
    await feed(r.stream, Buffer.concat([COPY_OUT_RESPONSE, D0]), []);
    expect(r.stream.isPaused()).toBe(true);
    // A half-forwarded frame: the forwarder knows the target is mid-message.
    await feed(r.stream, D1.subarray(0, 8), []);
    r.sink.full = false;
    r.sink.emit('drain');
    expect(r.stream.isPaused()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.forward.atFrameBoundary).toBe(false);
    await feed(r.stream, Buffer.concat([D1.subarray(8), message('c'), TAIL]), []);
    expect(r.sink.bytes().equals(Buffer.concat([D0, D1]))).toBe(true);
    expect(r.forward.atFrameBoundary).toBe(true);
  });
});

describe('forwardCopy (PostgreSQL 17)', () => {
  let pg: SandboxServer;
  beforeAll(async () => {
    pg = await startPostgres({ major: 17 });
    await freshDatabase(pg, 'fwd_src');
    await freshDatabase(pg, 'fwd_dst');
    await run(pg, 'fwd_dst', 'CREATE TABLE t (n int, s text)');
    await run(
      pg,
      'fwd_src',
      `CREATE TABLE solo (id int PRIMARY KEY, s text);
       CREATE TABLE parent (id int PRIMARY KEY);
       INSERT INTO solo SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 3000) g;
       INSERT INTO parent SELECT generate_series(1, 3000);`,
    );
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('a source error mid-COPY rejects with that error and leaves both sessions usable', async () => {
    const source = await openClient({ ...pg.connection('fwd_src') });
    const target = await openClient({ ...pg.connection('fwd_dst') });
    try {
      await target.query('BEGIN');
      // Rows go out before row 40000 divides by zero: the target has received part of the copy.
      const copy = forwardCopy(
        source,
        target,
        `COPY (SELECT g, 1 / (40000 - g) || repeat('y', 50) FROM generate_series(1, 50000) g) TO STDOUT`,
        'COPY t FROM STDIN',
        () => {},
      );
      await expect(copy).rejects.toThrow(/division by zero/);
      await target.query('ROLLBACK');
      expect((await target.query('SELECT count(*)::text AS n FROM t')).rows[0]?.n).toBe('0');
      expect((await source.query('SELECT 41 + 1 AS n')).rows[0]?.n).toBe(42);
      // And the pair copies again afterwards.
      await target.query('BEGIN');
      const ok = await forwardCopy(
        source,
        target,
        'COPY (SELECT g, g::text FROM generate_series(1, 1000) g) TO STDOUT',
        'COPY t FROM STDIN',
        () => {},
      );
      await target.query('COMMIT');
      expect(ok).toMatchObject({ sourceRows: 1000, targetRows: 1000 });
      expect((await target.query('SELECT sum(n)::text AS s FROM t')).rows[0]?.s).toBe('500500');
    } finally {
      await source.end();
      await target.end();
    }
  });
});
