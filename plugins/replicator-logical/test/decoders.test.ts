import { describe, expect, it } from 'vitest';
import {
  decodeWal2jsonMessage,
  JsonNumber,
  parseLosslessJson,
  parsePgTimestamp,
  parseTestDecodingLine,
  Wal2jsonDecoder,
} from '../src/index.js';

const LSN = '0/16B3748';

describe('test_decoding lines', () => {
  it('reads BEGIN and COMMIT with xid and timestamp; the commit ends at the message LSN', () => {
    expect(parseTestDecodingLine('BEGIN 529', LSN)).toEqual({ kind: 'begin', xid: 529 });
    expect(parseTestDecodingLine('COMMIT 529 (at 2026-11-21 22:21:37.123456+00)', LSN)).toEqual({
      kind: 'commit',
      endLsn: LSN,
      commitTimeUs: BigInt(Date.UTC(2026, 10, 21, 22, 21, 37)) * 1000n + 123456n,
    });
  });

  it('keeps values as text: quotes doubled, bare numbers, NaN, booleans, bit strings, NULL', () => {
    const change = parseTestDecodingLine(
      "table public.t: INSERT: id[bigint]:12345678901234567890 v[text]:'it''s a [x]:y' f[double precision]:NaN ok[boolean]:true b[bit varying]:B'0101' n[numeric]:null s[text]:'null'",
      LSN,
    );
    expect(change).toMatchObject({ kind: 'insert', relation: { schema: 'public', name: 't' } });
    expect({ ...(change as { new: object }).new }).toEqual({
      id: '12345678901234567890',
      v: "it's a [x]:y",
      f: 'NaN',
      ok: 't',
      b: '0101',
      n: null,
      s: 'null',
    });
  });

  it('reads quoted identifiers, array types, old-key / new-tuple and unchanged TOAST', () => {
    const change = parseTestDecodingLine(
      `table "My ""Schema""".odd: UPDATE: old-key: "Key Col"[integer]:1 new-tuple: "Key Col"[integer]:2 arr[integer[]]:'{1,2}' big[text]:unchanged-toast-datum "t y"["My Type"]:'v'`,
      LSN,
    );
    expect(change).toMatchObject({ kind: 'update', relation: { schema: 'My "Schema"', name: 'odd' } });
    const update = change as { old: object; new: Record<string, unknown> };
    expect({ ...update.old }).toEqual({ 'Key Col': '1' });
    expect(Object.hasOwn(update.new, 'big')).toBe(true);
    expect({ ...update.new }).toEqual({ 'Key Col': '2', arr: '{1,2}', big: undefined, 't y': 'v' });
  });

  it('reads multi-line text values and deletes by key', () => {
    const change = parseTestDecodingLine(
      "table public.t: DELETE: id[integer]:7 note[text]:'a\nb new-tuple: c'",
      LSN,
    );
    expect(change).toMatchObject({ kind: 'delete' });
    expect({ ...(change as { old: object }).old }).toEqual({ id: '7', note: 'a\nb new-tuple: c' });
  });

  it('reads TRUNCATE of several tables with its flags', () => {
    expect(parseTestDecodingLine('table public.a, "B".c: TRUNCATE: restart_seqs cascade', LSN)).toEqual({
      kind: 'truncate',
      relations: [
        { schema: 'public', name: 'a' },
        { schema: 'B', name: 'c' },
      ],
      cascade: true,
      restartIdentity: true,
    });
    expect(parseTestDecodingLine('table public.a: TRUNCATE: (no-flags)', LSN)).toMatchObject({
      cascade: false,
      restartIdentity: false,
    });
  });

  it('refuses a DELETE without key data with a coded error', () => {
    expect(() => parseTestDecodingLine('table public.t: DELETE: (no-tuple-data)', LSN)).toThrow(
      expect.objectContaining({ code: 'PGSHIFT_REPL_NO_IDENTITY' }),
    );
    expect(() => parseTestDecodingLine('table public.t: INSERT: id[integer]', LSN)).toThrow(
      expect.objectContaining({ code: 'PGSHIFT_REPL_DECODE' }),
    );
  });

  it('parses timestamps with offsets', () => {
    expect(parsePgTimestamp('2026-01-01 02:00:00+02')).toBe(BigInt(Date.UTC(2026, 0, 1)) * 1000n);
    expect(parsePgTimestamp('not a time')).toBeUndefined();
  });
});

describe('wal2json format 2', () => {
  it('parses numbers without rounding them', () => {
    const value = parseLosslessJson(
      '{"a":[12345678901234567890.123456789,-1e400,"x\\"y"],"b":true,"c":null}',
    );
    expect(value).toEqual({
      a: [new JsonNumber('12345678901234567890.123456789'), new JsonNumber('-1e400'), 'x"y'],
      b: true,
      c: null,
    });
  });

  // Recorded from wal2json 2.6 with format-version 2, include-lsn, include-timestamp, include-xids.
  const recorded = [
    '{"action":"B","xid":744,"timestamp":"2026-11-21 22:00:00.5+00","lsn":"0/1A2B3C8","nextlsn":"0/1A2B400"}',
    '{"action":"I","xid":744,"timestamp":"2026-11-21 22:00:00.5+00","schema":"public","table":"items","columns":[{"name":"id","type":"bigint","value":9007199254740993},{"name":"n","type":"numeric","value":"0.1000000000000000000001"},{"name":"ok","type":"boolean","value":false},{"name":"b","type":"bytea","value":"deadbeef"},{"name":"j","type":"jsonb","value":"{\\"k\\": [1, 2]}"},{"name":"z","type":"text","value":null}]}',
    '{"action":"U","xid":744,"schema":"public","table":"docs","columns":[{"name":"id","type":"integer","value":2},{"name":"small","type":"integer","value":5}],"identity":[{"name":"id","type":"integer","value":1}]}',
    '{"action":"D","xid":744,"schema":"public","table":"docs","identity":[{"name":"id","type":"integer","value":2}]}',
    '{"action":"T","xid":744,"schema":"public","table":"trunc_me"}',
    '{"action":"M","transactional":false,"prefix":"p","content":"c"}',
    '{"action":"C","xid":744,"timestamp":"2026-11-21 22:00:00.5+00","lsn":"0/1A2B3C8","nextlsn":"0/1A2B400"}',
  ];

  it('decodes a recorded transaction into the change model', () => {
    const decoder = new Wal2jsonDecoder();
    const changes = recorded.flatMap((line) => decoder.decode(Buffer.from(line), () => '0/1A2B400'));
    expect(changes.map((c) => c.kind)).toEqual(['begin', 'insert', 'update', 'delete', 'truncate', 'commit']);
    const [begin, insert, update, remove, truncate, commit] = changes as unknown as Record<string, unknown>[];
    expect(begin).toMatchObject({ xid: 744, commitLsn: '0/1A2B3C8' });
    expect({ ...(insert?.new as object) }).toEqual({
      id: '9007199254740993',
      n: '0.1000000000000000000001',
      ok: 'f',
      b: '\\xdeadbeef',
      j: '{"k": [1, 2]}',
      z: null,
    });
    // `small` changed, `big` (unchanged TOAST) is absent: it is left alone.
    expect({ ...(update?.new as object) }).toEqual({ id: '2', small: '5' });
    expect({ ...(update?.old as object) }).toEqual({ id: '1' });
    expect({ ...(remove?.old as object) }).toEqual({ id: '2' });
    expect(truncate).toMatchObject({ relations: [{ schema: 'public', name: 'trunc_me' }] });
    expect(commit).toEqual({
      kind: 'commit',
      commitLsn: '0/1A2B3C8',
      endLsn: '0/1A2B400',
      commitTimeUs: BigInt(Date.UTC(2026, 10, 21, 22, 0, 0)) * 1000n + 500000n,
    });
  });

  it('asks wal2json for format 2 with LSNs and numbers as strings', () => {
    const options = new Wal2jsonDecoder().startOptions().join(' ');
    expect(options).toContain(`"format-version" '2'`);
    expect(options).toContain(`"include-lsn" '1'`);
    expect(options).toContain(`"numeric-data-types-as-string" '1'`);
    expect(decodeWal2jsonMessage({ action: 'C' }, '0/5')).toEqual([{ kind: 'commit', endLsn: '0/5' }]);
  });
});
