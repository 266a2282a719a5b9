/** What stopped a task, as `status` and `task show` print it: the error, its remedy, and where. */
export function errorLines(error: {
  code: string;
  message: string;
  remedy?: string;
  details?: Record<string, unknown>;
}): string[] {
  const lines = [`last error: ${error.code}: ${error.message}`];
  for (const [key, value] of Object.entries(error.details ?? {}))
    lines.push(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (error.remedy) lines.push(`remedy: ${error.remedy}`);
  return lines;
}
