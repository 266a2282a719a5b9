import { frontendMessage } from '@pgshift/pg';
import { describe, expect, it } from 'vitest';
import { BackendMessageReader, errorFields } from '../src/backend-messages.js';

function collect() {
  const seen: [string, string][] = [];
  const reader = new BackendMessageReader((code, body) =>
    seen.push([String.fromCharCode(code), body.toString('latin1')]),
  );
  return { seen, reader };
}

const message = (code: string, body: string) => frontendMessage(code, Buffer.from(body, 'latin1'));

describe('backend message reader', () => {
  const stream = Buffer.concat([
    message('W', 'both'),
    message('d', 'first'),
    message('d', ''),
    message('d', 'x'.repeat(70_000)),
    message('E', 'err'),
  ]);
  const expected: [string, string][] = [
    ['W', 'both'],
    ['d', 'first'],
    ['d', ''],
    ['d', 'x'.repeat(70_000)],
    ['E', 'err'],
  ];

  it('reads every message whatever the chunk boundaries: in one piece, byte by byte, mid-header, mid-body', () => {
    for (const size of [stream.length, 1, 3, 7, 4096, 65_536]) {
      const { seen, reader } = collect();
      for (let i = 0; i < stream.length; i += size) reader.push(stream.subarray(i, i + size));
      expect(seen, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('waits for a message cut at the end, and reads it once the rest comes', () => {
    const { seen, reader } = collect();
    const whole = message('d', 'abcdef');
    reader.push(whole.subarray(0, 4));
    reader.push(whole.subarray(4, 8));
    expect(seen).toEqual([]);
    reader.push(whole.subarray(8));
    expect(seen).toEqual([['d', 'abcdef']]);
  });

  it('reads the severity, SQLSTATE and message of an ErrorResponse', () => {
    const body = Buffer.from('SFATAL\0C55006\0Mreplication slot "s" is active for PID 7\0\0', 'utf8');
    expect(errorFields(body)).toEqual({
      severity: 'FATAL',
      code: '55006',
      message: 'replication slot "s" is active for PID 7',
    });
    expect(errorFields(Buffer.from('\0')).message).toMatch(/without a message/);
  });
});
