import {
  jsonLinesReporter,
  type MetricsServer,
  ProgressMetrics,
  plainReporter,
  startMetricsServer,
  teeProgress,
} from '@pgshift/kernel';
import type { ProgressSink, Stage } from '@pgshift/plugin-api';
import type { CliContext } from '../context.js';
import { LiveDisplay } from './live-display.js';

export type OutputKind = 'json' | 'live' | 'plain';

export interface ProgressOutput {
  kind: OutputKind;
  sink: ProgressSink;
  /** The metrics endpoint, when --metrics-port was given. */
  metrics?: { server: MetricsServer; registry: ProgressMetrics };
  /** A line for the person watching: above the live frame, or a plain line (never in --json). */
  note(text: string): void;
  /** Ends the live frame (failed marks running stages failed) and closes the metrics server. */
  close(options?: { failed?: boolean }): Promise<void>;
}

export interface ProgressOutputOptions {
  json: boolean;
  metricsPort?: number;
  task?: string;
  stages?: Stage[];
  plainIntervalMs?: number;
  /** Force the choice between live and plain (tests); default: live when stdout is a terminal. */
  live?: boolean;
}

/** Live frames on a terminal (unless TERM=dumb or PGSHIFT_NO_LIVE is set), plain lines otherwise. */
export function wantsLive(stdout: NodeJS.WritableStream): boolean {
  return (
    (stdout as NodeJS.WriteStream).isTTY === true &&
    process.env.TERM !== 'dumb' &&
    !process.env.PGSHIFT_NO_LIVE
  );
}

/** Picks the reporter for a run (JSON lines, live display or plain lines) and tees in metrics. */
export async function createProgressOutput(
  ctx: CliContext,
  options: ProgressOutputOptions,
): Promise<ProgressOutput> {
  const kind: OutputKind = options.json ? 'json' : (options.live ?? wantsLive(ctx.stdout)) ? 'live' : 'plain';
  let metrics: ProgressOutput['metrics'];
  if (options.metricsPort !== undefined) {
    const registry = new ProgressMetrics(options.task === undefined ? {} : { task: options.task });
    const server = await startMetricsServer(registry, { port: options.metricsPort });
    metrics = { server, registry };
    // On stderr so --json stdout stays one event per line.
    ctx.warn(`metrics: ${server.url}`);
  }
  let live: LiveDisplay | undefined;
  let reporter: ProgressSink;
  if (kind === 'live') {
    live = new LiveDisplay({
      stream: ctx.stdout as NodeJS.WriteStream,
      shared: ctx.stderr === ctx.stdout ? [] : [ctx.stderr as NodeJS.WriteStream],
      redact: (t) => ctx.redact(t),
      ...(options.stages ? { stages: options.stages } : {}),
    }).start();
    reporter = live;
  } else if (kind === 'json') reporter = jsonLinesReporter((l) => ctx.print(l));
  else reporter = plainReporter((l) => ctx.print(l), { intervalMs: options.plainIntervalMs ?? 3000 });
  const sink = metrics ? teeProgress(reporter, metrics.registry) : reporter;
  let closed = false;
  return {
    kind,
    sink,
    ...(metrics ? { metrics } : {}),
    note(text) {
      if (kind === 'json') return;
      if (live) live.log(text);
      else ctx.print(text);
    },
    async close(closeOptions = {}) {
      if (closed) return;
      closed = true;
      if (closeOptions.failed) metrics?.registry.recordError();
      live?.stop(closeOptions);
      await metrics?.server.close();
    },
  };
}
