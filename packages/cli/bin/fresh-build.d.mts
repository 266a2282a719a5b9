/** Whether the build in `dist` may run: no file it was made from is gone or newer than the build. */
export function freshBuild(dist: URL): boolean;
