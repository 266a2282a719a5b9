import { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { stopOnInterrupt } from '../interrupts.js';
import { table } from '../table.js';
import { loadOptionsFor, openStoreFor, STORE_HELP } from './task.js';

interface ConsoleOptions {
  listen: string;
  store?: string;
  addToken?: string;
  revokeToken?: string;
  listTokens?: boolean;
}

/**
 * `pgshift console`: the web console over the task store, until Ctrl-C. On a network address
 * the first start prints the access token, once; only its hash is kept. `--add-token`,
 * `--revoke-token` and `--list-tokens` manage the tokens (a running console sees the change).
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
        .option('--store <store>', STORE_HELP)
        .option('--add-token <label>', 'make another access token, print it once, and exit')
        .option('--revoke-token <label>', 'remove an access token (its sessions are signed out) and exit')
        .option('--list-tokens', 'list the access tokens by label and exit')
        .action(
          run(async (ctx, globals, opts: ConsoleOptions) => {
            // Loaded here: the console (Hono, its pages) only for this command.
            const { startConsole, TokenBook, consoleStateDir } = await import('@pgshift/console');
            if (opts.addToken !== undefined || opts.revokeToken !== undefined || opts.listTokens) {
              const tokens = new TokenBook(consoleStateDir());
              if (opts.addToken !== undefined) {
                const token = tokens.create(opts.addToken);
                ctx.print(`access token (label ${opts.addToken}), shown this once, keep it: ${token}`);
              }
              if (opts.revokeToken !== undefined) {
                tokens.revoke(opts.revokeToken);
                ctx.print(`token ${opts.revokeToken} revoked; its sessions are signed out`);
              }
              if (opts.listTokens)
                ctx.print(
                  tokens.size === 0
                    ? 'no access tokens (the first start on a network address makes one)'
                    : table(
                        ['LABEL', 'CREATED'],
                        tokens.list().map((t) => [t.label, t.createdAt]),
                      ),
                );
              return 0;
            }
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
