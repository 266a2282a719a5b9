/** Remedy lines, each under a `-- in database ...` line naming where it runs. */
export function byDatabase(findings: readonly { database: string; remedy: string }[]): string[] {
  const lines: string[] = [];
  let database: string | undefined;
  for (const f of findings) {
    if (f.database !== database) lines.push(`-- in database ${f.database}:`);
    database = f.database;
    lines.push(f.remedy);
  }
  return lines;
}
