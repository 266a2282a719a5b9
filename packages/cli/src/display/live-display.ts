import { formatBytes, formatCount, schemaChangeText, schemaChangeWarns } from '@pgshift/kernel';
import type { ProgressEventInput, ProgressSink, Stage } from '@pgshift/plugin-api';
import { clearDown, hideCursor, showCursor, up, yellow } from './ansi.js';
import { DisplayState } from './display-state.js';
import { renderFrame } from './render-frame.js';

export interface LiveDisplayOptions {
  /** The terminal the frame is drawn on (stdout). */
  stream: NodeJS.WriteStream;
  /** Other streams sharing the terminal (stderr, where logs go): their writes go above the frame. */
  shared?: NodeJS.WriteStream[];
  /** Frames per second at most; default 4. */
  fps?: number;
  stages?: Stage[];
  color?: boolean;
  redact?: (text: string) => string;
  now?: () => number;
}

type Write = NodeJS.WriteStream['write'];

/**
 * The live terminal view of a run: the stage list, copy bars and sync lag, redrawn in place at
 * most `fps` times a second. Messages, finished tables and any other output (log lines on stderr)
 * are written above the frame, so they scroll normally while the frame stays at the bottom.
 */
export class LiveDisplay implements ProgressSink {
  readonly state: DisplayState;
  readonly #options: LiveDisplayOptions;
  readonly #now: () => number;
  readonly #redact: (text: string) => string;
  readonly #originals = new Map<NodeJS.WriteStream, Write>();
  #frameLines = 0;
  #lastDraw = 0;
  #timer: NodeJS.Timeout | undefined;
  #pending: NodeJS.Timeout | undefined;
  #drawing = false;
  #stopped = true;
  readonly #restoreOnExit = () => this.#write(showCursor);

  constructor(options: LiveDisplayOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#redact = options.redact ?? ((t) => t);
    this.state = new DisplayState(options.stages);
  }

  start(): this {
    if (!this.#stopped) return this;
    this.#stopped = false;
    for (const stream of [this.#options.stream, ...(this.#options.shared ?? [])]) this.#intercept(stream);
    this.#write(hideCursor);
    process.once('exit', this.#restoreOnExit);
    // Keeps the spinner, durations and ETA moving between events.
    this.#timer = setInterval(() => this.#draw(), 1000 / this.#fps()).unref();
    this.#draw();
    return this;
  }

  emit(event: ProgressEventInput): void {
    const now = this.#now();
    this.state.apply(event, now);
    if (event.type === 'message')
      this.log(event.level === 'warn' ? yellow(`warning: ${event.text}`) : event.text);
    else if (event.type === 'schema-change')
      this.log(
        schemaChangeWarns(event) ? yellow(`warning: ${schemaChangeText(event)}`) : schemaChangeText(event),
      );
    else if (event.type === 'table-progress' && event.done)
      this.log(
        `copied ${event.database}.${event.table}: ${formatCount(event.rows)} rows, ${formatBytes(event.bytes)}`,
      );
    else if (event.type === 'stage' && event.state === 'failed')
      this.log(`${event.stage}${event.database ? ` [${event.database}]` : ''} failed`);
    this.#schedule();
  }

  /** A permanent line above the frame. */
  log(text: string): void {
    if (this.#stopped) {
      this.#write(`${this.#redact(text)}\n`);
      return;
    }
    this.#clear();
    this.#write(`${this.#redact(text)}\n`);
    this.#draw(true);
  }

  /** Draws the last frame, leaves it on screen and gives the terminal back. */
  stop(options: { failed?: boolean } = {}): void {
    if (this.#stopped) return;
    if (options.failed) this.state.failRunning(this.#now());
    clearInterval(this.#timer);
    clearTimeout(this.#pending);
    this.#draw(true);
    this.#frameLines = 0;
    this.#write(showCursor);
    this.#stopped = true;
    process.off('exit', this.#restoreOnExit);
    for (const [stream, original] of this.#originals) stream.write = original;
    this.#originals.clear();
  }

  #fps() {
    return Math.max(1, this.#options.fps ?? 4);
  }

  #schedule() {
    if (this.#stopped || this.#pending) return;
    const wait = Math.max(0, this.#lastDraw + 1000 / this.#fps() - this.#now());
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#draw();
    }, wait);
    this.#pending.unref();
  }

  #draw(force = false) {
    if (this.#stopped && !force) return;
    const now = this.#now();
    if (!force && now - this.#lastDraw < 1000 / this.#fps() - 5) return;
    this.#lastDraw = now;
    const lines = renderFrame(this.state, {
      width: Math.max(20, (this.#options.stream.columns ?? 100) - 1),
      now,
      color: this.#options.color ?? true,
    }).map(this.#redact);
    this.#write(`${up(this.#frameLines)}${clearDown}${lines.join('\n')}\n`);
    this.#frameLines = lines.length;
  }

  #clear() {
    if (this.#frameLines > 0) this.#write(`${up(this.#frameLines)}${clearDown}`);
    this.#frameLines = 0;
  }

  #write(text: string) {
    const original = this.#originals.get(this.#options.stream);
    this.#drawing = true;
    try {
      if (original) original.call(this.#options.stream, text);
      else this.#options.stream.write(text);
    } finally {
      this.#drawing = false;
    }
  }

  /** Other writers to the terminal: clear the frame, let the text through, redraw below it. */
  #intercept(stream: NodeJS.WriteStream) {
    const original = stream.write;
    this.#originals.set(stream, original);
    const display = this;
    stream.write = function (this: NodeJS.WriteStream, ...args: Parameters<Write>) {
      if (display.#drawing) return original.apply(stream, args);
      display.#clear();
      const result = original.apply(stream, args);
      display.#draw(true);
      return result;
    } as Write;
  }
}
