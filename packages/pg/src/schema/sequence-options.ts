import type { SequenceRow } from './catalog-rows.js';

/** What a sequence counts by and between (text, int8 exactly). */
export type SequenceSettings = Pick<SequenceRow, 'increment' | 'min' | 'max' | 'start' | 'cache' | 'cycle'>;

/** The option list shared by CREATE SEQUENCE, ALTER SEQUENCE and identity columns. */
export function sequenceOptions(s: SequenceSettings): string {
  return [
    `INCREMENT BY ${s.increment}`,
    `MINVALUE ${s.min}`,
    `MAXVALUE ${s.max}`,
    `START WITH ${s.start}`,
    `CACHE ${s.cache}`,
    s.cycle ? 'CYCLE' : 'NO CYCLE',
  ].join(' ');
}
