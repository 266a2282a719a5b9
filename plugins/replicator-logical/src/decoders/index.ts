import type { DecoderChoice } from '@pgshift/plugin-api';
import { CODES, ReplicationError } from '../errors.js';
import type { Decoder } from './decoder.js';
import { PgoutputDecoder } from './pgoutput.js';
import { TestDecodingDecoder } from './test-decoding.js';
import { Wal2jsonDecoder } from './wal2json.js';

/** The decoder for a choice's format; pgoutput reads `publicationName`. */
export function decoderFor(choice: DecoderChoice, publicationName: string): Decoder {
  switch (choice.format) {
    case 'pgoutput':
      return new PgoutputDecoder([publicationName]);
    case 'test_decoding':
      return new TestDecodingDecoder();
    case 'wal2json':
      return new Wal2jsonDecoder();
    default:
      throw new ReplicationError(
        CODES.unsupportedFormat,
        `no decoder for the format ${String(choice.format)}`,
      );
  }
}

export type { Decoder } from './decoder.js';
export { JsonNumber, parseLosslessJson } from './lossless-json.js';
export { PgoutputDecoder } from './pgoutput.js';
export { parsePgTimestamp, parseTestDecodingLine, TestDecodingDecoder } from './test-decoding.js';
export { decodeWal2jsonMessage, Wal2jsonDecoder } from './wal2json.js';
