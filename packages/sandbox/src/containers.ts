/**
 * Other PostgreSQL images (9.x, for example) through testcontainers, where a Docker engine is
 * reachable. Without one, `dockerAvailability()` explains why, so tests can skip with that reason.
 */
export interface ContainerServer {
  image: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  stop(): Promise<void>;
}

export async function dockerAvailability(): Promise<
  { available: true } | { available: false; reason: string }
> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { available: false, reason: `no Docker engine is reachable (${why})` };
  }
}

export async function startContainerPostgres(options: {
  image: string;
  command?: string[];
  password?: string;
}): Promise<ContainerServer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const password = options.password ?? 'sandbox';
  const container = await new GenericContainer(options.image)
    .withEnvironment({ POSTGRES_PASSWORD: password })
    .withExposedPorts(5432)
    .withCommand(options.command ?? ['postgres', '-c', 'wal_level=logical'])
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    image: options.image,
    host: container.getHost(),
    port: container.getMappedPort(5432),
    user: 'postgres',
    password,
    database: 'postgres',
    stop: async () => {
      await container.stop();
    },
  };
}
