import {
  CHECKER,
  CONNECTOR,
  INVENTORIES,
  INVENTORY,
  LOADER,
  LOGGER,
  type PluginMeta,
  REPLICATOR,
  type Registrar,
  type Resolver,
  type Token,
  VERSION_POLICY,
} from '@pgshift/plugin-api';
import { type DependencyContainer, injectable, Lifecycle } from 'tsyringe';

const WELL_KNOWN = new Map<string, symbol>(
  [CONNECTOR, CHECKER, VERSION_POLICY, LOADER, REPLICATOR, LOGGER, INVENTORY, INVENTORIES].map((t) => [
    t.description ?? '',
    t,
  ]),
);

/**
 * A plugin built against its own copy of @pgshift/plugin-api holds different symbols for the
 * well-known tokens; they are mapped to ours by description so its registrations still count.
 */
function canonical<T>(token: Token<T>): Token<T> {
  const known = token.description === undefined ? undefined : WELL_KNOWN.get(token.description);
  return (known ?? token) as Token<T>;
}

/** Resolution from one container, with nothing of the container library showing. */
export function resolverOf(container: DependencyContainer): Resolver {
  return {
    resolve<T>(token: Token<T>): T {
      return container.resolve<T>(canonical(token));
    },
    isRegistered<T>(token: Token<T>): boolean {
      return container.isRegistered(canonical(token), true);
    },
  };
}

/** Every value registered under `token` in this container itself (not its parents). */
export function resolveOwn<T>(container: DependencyContainer, token: Token<T>): T[] {
  return container.isRegistered(token, false) ? container.resolveAll<T>(token) : [];
}

/** The facade a plugin's register() receives: its own child container, behind plugin-api's Registrar. */
export function createRegistrar(
  container: DependencyContainer,
  plugin: PluginMeta,
  options: Readonly<Record<string, unknown>>,
): Registrar {
  const resolver = resolverOf(container);
  return {
    plugin,
    options,
    resolve: resolver.resolve,
    isRegistered: resolver.isRegistered,
    value<T>(token: Token<T>, value: T) {
      container.register<T>(canonical(token), { useValue: value });
    },
    factory<T>(token: Token<T>, factory: (r: Resolver) => T) {
      container.register<T>(canonical(token), { useFactory: (c) => factory(resolverOf(c)) });
    },
    singleton<T>(token: Token<T>, ctor: new (...args: never[]) => T) {
      // Plugins decorate parameters with @inject only; injectable() makes tsyringe read those.
      injectable()(ctor as unknown as new (...args: unknown[]) => T);
      container.register<T>(
        canonical(token),
        { useClass: ctor as unknown as new (...args: unknown[]) => T },
        { lifecycle: Lifecycle.Singleton },
      );
    },
  };
}
