import { userInfo } from 'node:os';

/**
 * Who the CLI acts for, as the task history records it: `cli:<OS user name>`. userInfo() throws
 * for a uid without a passwd entry (some containers); $USER is the next best name.
 */
export function cliOrigin(): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = undefined;
  }
  return `cli:${user || process.env.USER || 'unknown'}`;
}
