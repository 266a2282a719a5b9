/** The few ANSI sequences the live display needs; no dependency for five escape codes. */
export const ESC = '\x1b[';
export const hideCursor = `${ESC}?25l`;
export const showCursor = `${ESC}?25h`;
/** Moves the cursor to column 1, `n` lines up. */
export const up = (n: number) => (n > 0 ? `${ESC}${n}A\r` : '\r');
/** Clears from the cursor to the end of the screen. */
export const clearDown = `${ESC}J`;

export const bold = (s: string) => `${ESC}1m${s}${ESC}22m`;
export const dim = (s: string) => `${ESC}2m${s}${ESC}22m`;
export const green = (s: string) => `${ESC}32m${s}${ESC}39m`;
export const red = (s: string) => `${ESC}31m${s}${ESC}39m`;
export const yellow = (s: string) => `${ESC}33m${s}${ESC}39m`;
export const cyan = (s: string) => `${ESC}36m${s}${ESC}39m`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The printed width of a string, escape sequences excluded. */
export function visibleLength(s: string): number {
  return s.replace(SEQUENCE, '').length;
}

/**
 * Cuts a line to `width` printed characters so it never wraps (a wrapped line would break the
 * count of lines to move up on the next redraw). Escape sequences are kept; a reset ends a cut line.
 */
export function truncate(s: string, width: number): string {
  if (visibleLength(s) <= width) return s;
  let out = '';
  let shown = 0;
  for (let i = 0; i < s.length && shown < width - 1; ) {
    SEQUENCE.lastIndex = i;
    const m = s[i] === '\x1b' ? SEQUENCE.exec(s) : null;
    if (m && m.index === i) {
      out += m[0];
      i += m[0].length;
    } else {
      out += s[i];
      shown++;
      i++;
    }
  }
  return `${out}…${ESC}0m`;
}
