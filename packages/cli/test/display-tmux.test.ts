import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, DEMO_ARGS, sleep } from './demo-support.js';
import { REPO } from './run-cli.js';

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SOCKET = `pgshift-test-${process.pid}`;
const SESSION = 'demo';
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', SESSION);

// tmux gives the demo a real terminal; CI installs it with scripts/ci-prerequisites.sh.
describe.skipIf(!hasTmux())(
  'live display in a terminal (tmux; install with scripts/ci-prerequisites.sh)',
  () => {
    afterAll(() => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    });

    it('shows the stage list and progress bars while running and the finished state at the end', async () => {
      const command = `cd ${REPO} && ${process.execPath} ${CLI} ${DEMO_ARGS.join(' ')}; echo "EXIT=$?"; sleep 600`;
      tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '60', command);
      const during: string[] = [];
      let screen = '';
      for (let i = 0; i < 1200 && !screen.includes('EXIT='); i++) {
        await sleep(100);
        screen = capture();
        if (/ running /.test(screen)) during.push(screen);
      }
      expect(screen, screen).toContain('EXIT=0');

      // While running: the stage list with one stage running and others pending, drawn in place.
      expect(during.length).toBeGreaterThan(0);
      const running =
        during.find((s) => /full-copy\s+running/.test(s) || /syncing\s+running/.test(s)) ?? during[0];
      expect(running).toMatch(/checking\s+(done|running)/);
      expect(running).toMatch(/verifying\s+pending/);
      // A progress bar of the copy, or the sync line, appeared while running.
      expect(during.join('\n')).toMatch(
        /copy\s+\[[#.]{24}\]\s+\d+%.*rows.*tables \d+\/5|sync\s+\[shop\]\s+lag/,
      );

      // At the end: every stage done, the copy bar full, the sync line and the summary.
      for (const stage of ['checking', 'schema', 'full-copy', 'post-data', 'syncing', 'verifying'])
        expect(screen).toMatch(new RegExp(`✓ ${stage}\\s+done`));
      expect(screen).toMatch(/copy\s+\[#{24}\]\s+100%/);
      expect(screen).toMatch(/sync\s+\[shop\]\s+lag .* apply \d+ tx\/s/);
      expect(screen).toContain('demo completed: source and target verified identical');
      // Redrawn in place: the stage list appears once on the final screen, not once per frame.
      expect(screen.match(/verifying\s+done/g)?.length).toBe(1);
    }, 240_000);
  },
);
