import { writeFileSync } from 'node:fs';
import { startPostgres } from '@pgshift/sandbox';

const src = await startPostgres({ major: 13 });
const dst = await startPostgres({ major: 17 });
await src.query('CREATE DATABASE shop');
await src.query(
  `CREATE TABLE customers (id bigserial primary key, name text not null, created timestamptz default now());
CREATE TABLE orders (id bigint generated always as identity primary key, customer_id bigint references customers(id), total numeric(12,2), note text);
INSERT INTO customers(name) SELECT 'c'||g FROM generate_series(1,5000) g;
INSERT INTO orders(customer_id,total,note) SELECT 1+(g%5000), g*1.5, repeat('x', g%50) FROM generate_series(1,20000) g;`,
  [],
  'shop',
);
writeFileSync('/tmp/e2e/ports.json', JSON.stringify({ src: src.port, dst: dst.port }));
console.log('ready', src.port, dst.port);
process.on('SIGTERM', async () => {
  await src.stop();
  await dst.stop();
  process.exit(0);
});
setInterval(() => {}, 1000);
