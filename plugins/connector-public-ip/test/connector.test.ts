import { describeConnector } from '@pgshift/conformance';
import plugin from '../src/index.js';

describeConnector(
  { plugin },
  {
    validConfig: ({ server }) => ({
      access: 'public-ip',
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: 'postgres',
      tls: { sslmode: 'disable' },
    }),
    unreachableConfig: ({ server, closedPort }) => ({
      access: 'public-ip',
      host: server.host,
      port: closedPort,
      user: server.user,
      password: server.password,
    }),
  },
);
