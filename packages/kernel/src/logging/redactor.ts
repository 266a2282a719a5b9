import { REDACTED_TEXT } from '@pgshift/plugin-api';

/**
 * Collects every secret value the config resolved and masks it, and its URL-encoded form, in any
 * text before the text leaves the process.
 */
export class Redactor {
  readonly #needles = new Set<string>();

  add(value: string): void {
    // Very short values would mask ordinary words; a secret that short is not worth protecting.
    if (value.length < 3) return;
    this.#needles.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.#needles.add(encoded);
  }

  get size(): number {
    return this.#needles.size;
  }

  redact(text: string): string {
    if (this.#needles.size === 0) return text;
    let out = text;
    // Longest first, so a secret containing another is masked whole.
    for (const needle of [...this.#needles].sort((a, b) => b.length - a.length)) {
      if (out.includes(needle)) out = out.replaceAll(needle, REDACTED_TEXT);
    }
    return out;
  }
}
