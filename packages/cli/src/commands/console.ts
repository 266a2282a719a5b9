import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { stopOnInterrupt } from '../interrupts.js';
import { loadOptionsFor, openStoreFor } from './task.js';

/**
 * `pgshift console`: the web console over the task store, until Ctrl-C. On a network address
 * the first start prints the access token, once; only its hash is kept.
 */
export const consoleCommand: CliCommand = {
  register(program, run) {
    program.addCommand(
      new Command('console')
        .description('serve the web console over a task store (loopback by default; a token elsewhere)')
        .option(
          '--listen <host:port>',
          'address to listen on; any but loopback asks for a token',
          '127.0.0.1:7432',
        )
        .option(
          '--store <store>',
          'task store: a directory, or postgres://... (default $PGSHIFT_STORE or ./.pgshift-tasks)',
        )
        .action(
          run(async (ctx, globals, opts: { listen: string; store?: string }) => {
            // Loaded here: the console (Hono, its pages) only for this command.
            const { startConsole } = await import('@pgshift/console');
            const store = openStoreFor(ctx, opts.store);
            const loadOptions = loadOptionsFor(ctx, globals);
            try {
              const served = await startConsole({
                store,
                listen: opts.listen,
                loadOptions: () => loadOptions,
                log: (line) => ctx.warn(line),
              });
              ctx.print(`pgshift console: ${served.url} (task store ${store.description}); Ctrl-C stops it`);
              if (served.newToken)
                ctx.print(
                  `access token (label ${served.newToken.label}), shown this once, keep it: ${served.newToken.token}`,
                );
              else if (!served.listen.loopback)
                ctx.print('sign in with the access token printed when the console first started');
              const controller = new AbortController();
              const stopListening = stopOnInterrupt(ctx, controller, 'stopping the console');
              await new Promise<void>((resolve) =>
                controller.signal.addEventListener('abort', () => resolve()),
              );
              stopListening();
              await served.close();
              return 0;
            } finally {
              await store.close();
            }
          }),
        ),
    );
  },
};
