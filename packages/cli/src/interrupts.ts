import type { CliContext } from './context.js';

/**
 * The first SIGINT or SIGTERM asks the work to stop cleanly (through `controller`, saying
 * `message`); a second one exits at once with 130, for a user who cannot wait. Returns the
 * function that stops listening, to call when the work is over.
 */
export function stopOnInterrupt(ctx: CliContext, controller: AbortController, message: string): () => void {
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    ctx.warn(message);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
