import type { Page, SandboxServer } from '@pgshift/sandbox';
import { runCli } from '../run-cli.js';

/** The source's database: three tables, orders referencing customers and products. */
export const SHOP = `
  CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL);
  CREATE TABLE products (id int PRIMARY KEY, title text NOT NULL, price numeric(10,2) NOT NULL);
  CREATE TABLE orders (id bigserial PRIMARY KEY,
                       customer_id bigint NOT NULL REFERENCES customers,
                       product_id int NOT NULL REFERENCES products,
                       quantity int NOT NULL, placed_at timestamptz NOT NULL);
  INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 3000) i;
  INSERT INTO products SELECT i, 'product ' || i, (i % 500) / 10.0 + 1 FROM generate_series(1, 200) i;
  INSERT INTO orders (customer_id, product_id, quantity, placed_at)
    SELECT 1 + i % 3000, 1 + i % 200, 1 + i % 7, timestamptz '2024-01-01' + i * interval '1 minute'
    FROM generate_series(1, 20000) i;
`;
export const SHOP_TABLES = ['customers', 'products', 'orders'];

/**
 * Keeps changing the source (new orders, renamed customers) one statement after another until
 * stopped, so a following task has changes to apply. `stop()` waits for the statement in flight.
 */
export function startWriter(source: SandboxServer, database: string) {
  let running = true;
  let writes = 0;
  const loop = (async () => {
    for (let i = 1; running; i++) {
      await source
        .query(
          i % 3 === 0
            ? `UPDATE customers SET name = 'renamed ' || ${i} WHERE id = ${1 + (i % 3000)}`
            : `INSERT INTO orders (customer_id, product_id, quantity, placed_at) VALUES (${1 + (i % 3000)}, ${1 + (i % 200)}, 1, now())`,
          [],
          database,
        )
        .then(() => writes++)
        // A failed write only means fewer changes; the comparison reads what the source holds.
        .catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    get writes() {
      return writes;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

/**
 * Reads the console's event stream (/events) the way the page's EventSource does, keeping all it
 * received: the no-secret check covers the live updates too, not only the pages.
 */
export function recordEvents(base: string) {
  const controller = new AbortController();
  let text = '';
  const done = fetch(new URL('/events', base), {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  })
    .then(async (response) => {
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) return;
        text += decoder.decode(chunk.value, { stream: true });
      }
    })
    .catch(() => {});
  return {
    get text() {
      return text;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}

export interface Listed {
  name: string;
  status: string;
  stage?: string;
}

/** `pgshift task list --json --store STORE`: what the CLI shows. */
export async function cliList(store: string): Promise<Listed[]> {
  const result = await runCli(['task', 'list', '--json', '--store', store]);
  if (result.code !== 0) throw new Error(`task list exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Listed[];
}

/** The rows of the console's task list page as the browser shows them (name, data-status, cell). */
export function listRows(page: Page) {
  return page.locator('table.tasks tr[data-task]').evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.getAttribute('data-task') ?? '',
      status: row.getAttribute('data-status') ?? '',
      cell: row.querySelector('td[data-field="status"]')?.textContent ?? '',
    })),
  );
}

/**
 * Polls until `probe` gives a value; on a timeout the error shows what it saw last, which says
 * more on a slow machine than "timed out".
 */
export async function until<T>(
  what: string,
  probe: () => Promise<{ value?: T; seen: unknown }>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  for (;;) {
    const result = await probe();
    if (result.value !== undefined) return result.value;
    seen = result.seen;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
