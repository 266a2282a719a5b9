/**
 * Whether a process with this pid lives on this machine: signal 0 checks without signalling.
 * EPERM means it lives under another user. The one owner of this rule: run locks, store locks and
 * worker claims all ask here.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
