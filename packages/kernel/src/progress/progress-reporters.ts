import type { ProgressEvent, ProgressEventInput, ProgressSink } from '@pgshift/plugin-api';
import { copyFraction } from './copy-fraction.js';
import { formatBytes, formatCount, formatDuration } from './format.js';

type Write = (line: string) => void;

function stamp(event: ProgressEventInput): ProgressEvent {
  return { ...event, at: new Date().toISOString() } as ProgressEvent;
}

/** One JSON object per line, for automation. Every event is written; none are throttled. */
export function jsonLinesReporter(write: Write): ProgressSink {
  return {
    emit(event) {
      write(JSON.stringify(stamp(event)));
    },
  };
}

/** Fans one event stream out to several sinks (reporter, metrics, live status file). */
export function teeProgress(...sinks: ProgressSink[]): ProgressSink {
  return {
    emit(event) {
      for (const sink of sinks) sink.emit(event);
    },
  };
}

type SchemaChangeEvent = Extract<ProgressEventInput, { type: 'schema-change' }>;

/** How a schema change followed during sync reads in the output, live or plain. */
export function schemaChangeText(event: SchemaChangeEvent): string {
  return `schema change ${event.outcome} in ${event.database} (${event.id}): ${event.statement}`;
}

/** A change found already made on the target is worth a look: someone made it there by hand. */
export function schemaChangeWarns(event: SchemaChangeEvent): boolean {
  return event.outcome === 'already on the target';
}

/**
 * Plain log lines for a person or a log file: stages as they change, copy progress with rate and
 * ETA every few seconds, lag while syncing every few seconds.
 */
export function plainReporter(write: Write, options: { intervalMs?: number } = {}): ProgressSink {
  const interval = options.intervalMs ?? 3000;
  let lastCopyLine = 0;
  const lastLagLine = new Map<string, number>();
  let copyStarted: { at: number; bytes: number } | undefined;
  const time = () => new Date().toISOString().slice(11, 19);
  return {
    emit(event) {
      const now = Date.now();
      switch (event.type) {
        case 'stage':
          write(`${time()} ${event.stage}${event.database ? ` [${event.database}]` : ''}: ${event.state}`);
          return;
        case 'message':
          write(`${time()} ${event.level === 'warn' ? 'warning: ' : ''}${event.text}`);
          return;
        case 'schema-change':
          write(`${time()} ${schemaChangeWarns(event) ? 'warning: ' : ''}${schemaChangeText(event)}`);
          return;
        case 'table-progress':
          if (event.done)
            write(
              `${time()} copied ${event.database}.${event.table}: ${formatCount(event.rows)} rows, ${formatBytes(event.bytes)}`,
            );
          return;
        case 'copy-progress': {
          copyStarted ??= { at: now, bytes: event.bytes };
          if (now - lastCopyLine < interval && event.tablesDone < event.tablesTotal) return;
          lastCopyLine = now;
          const elapsed = (now - copyStarted.at) / 1000;
          const rate = elapsed > 0 ? (event.bytes - copyStarted.bytes) / elapsed : 0;
          const percent = copyFraction(event) * 100;
          const finished = percent === 100;
          const eta = finished
            ? '0s'
            : rate > 0
              ? formatDuration(Math.max(0, event.totalBytes - event.bytes) / rate)
              : '?';
          write(
            `${time()} copy: ${percent.toFixed(0)}% ${formatBytes(event.bytes)} of ~${formatBytes(event.totalBytes)}, ` +
              `${formatCount(event.rows)} rows, tables ${event.tablesDone}/${event.tablesTotal}, ` +
              `${formatBytes(rate)}/s, ETA ${eta}`,
          );
          return;
        }
        case 'lag': {
          if (now - (lastLagLine.get(event.database) ?? 0) < interval) return;
          lastLagLine.set(event.database, now);
          write(
            `${time()} sync [${event.database}]: applied ${event.appliedLsn}, lag ${formatBytes(Number(event.lagBytes))} / ` +
              `${event.lagSeconds.toFixed(1)}s, ${event.applyRate.toFixed(0)} tx/s`,
          );
          return;
        }
      }
    },
  };
}
