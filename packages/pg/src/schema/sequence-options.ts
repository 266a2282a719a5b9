import type { SequenceRow } from './catalog-rows.js';

/** The option list shared by CREATE SEQUENCE and identity columns. */
export function sequenceOptions(s: SequenceRow): string {
  return [
    `INCREMENT BY ${s.increment}`,
    `MINVALUE ${s.min}`,
    `MAXVALUE ${s.max}`,
    `START WITH ${s.start}`,
    `CACHE ${s.cache}`,
    s.cycle ? 'CYCLE' : 'NO CYCLE',
  ].join(' ');
}
