import { type EndpointView, formatBytes, formatDuration, type TaskEndpoints } from '@pgshift/kernel';

/** A duration or ETA, `-` when unknown (the kernel's format, as the CLI prints it). */
export function formatSeconds(seconds: number | undefined): string {
  return seconds === undefined ? '-' : formatDuration(seconds);
}

/** A lag: seconds behind the source, and bytes when known. */
export function formatLag(seconds: number | undefined, bytes: number | undefined): string {
  const parts: string[] = [];
  if (seconds !== undefined) parts.push(`${seconds.toFixed(1)}s`);
  if (bytes !== undefined) parts.push(formatBytes(bytes));
  return parts.length > 0 ? parts.join(', ') : '-';
}

/** `status` or `status (stage)`, as the list and the detail show it. */
export function statusText(status: string, stage: string | undefined): string {
  return stage ? `${status} (${stage})` : status;
}

/**
 * Where an endpoint is: `host:port`, or its access mode when the connector finds the server itself
 * (an instance id); `?` when the config does not say (a config module).
 */
export function endpointText(endpoint: EndpointView | undefined): string {
  if (!endpoint) return '?';
  if (!endpoint.host) return endpoint.access;
  return endpoint.port === undefined ? endpoint.host : `${endpoint.host}:${endpoint.port}`;
}

/** `source → target`, as the list and the detail page show a task's two servers. */
export function endpointsText(task: TaskEndpoints): string {
  return `${endpointText(task.source)} → ${endpointText(task.target)}`;
}
