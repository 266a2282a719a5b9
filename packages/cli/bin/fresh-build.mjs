// Whether the build in `dist` (a directory URL) may run: its build-info.json lists every file it
// was made from, and none of them may be gone or newer than the build's start.
import { readFileSync, statSync } from 'node:fs';

export function freshBuild(dist) {
  let info;
  try {
    info = JSON.parse(readFileSync(new URL('build-info.json', dist), 'utf8'));
  } catch {
    return false;
  }
  if (typeof info?.startedAt !== 'number' || !Array.isArray(info.inputs)) return false;
  for (const file of info.inputs) {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs >= info.startedAt) return false;
  }
  return true;
}
