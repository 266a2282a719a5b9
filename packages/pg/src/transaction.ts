/** Anything that runs SQL text: a pg client, or a plugin-facing session (OpenSession). */
interface SqlSession {
  query(text: string): Promise<unknown>;
}

/**
 * Runs `body` inside BEGIN ... COMMIT on `client`; on any error the transaction is rolled back
 * (a failed ROLLBACK, on a lost session, is left to the error being thrown) and the error goes on.
 */
export async function inTransaction<T>(client: SqlSession, body: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
