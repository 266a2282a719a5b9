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

/**
 * Runs `body` under a savepoint on each session, so that a failed query in it leaves the enclosing
 * transactions usable: released when `body` succeeds, rolled back to when it throws (and the error
 * goes on). The sessions must already be inside a transaction.
 */
export async function inSavepoint<T>(
  sessions: readonly SqlSession[],
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  await Promise.all(sessions.map((s) => s.query(`SAVEPOINT ${name}`)));
  try {
    const result = await body();
    await Promise.all(sessions.map((s) => s.query(`RELEASE SAVEPOINT ${name}`)));
    return result;
  } catch (error) {
    await Promise.all(sessions.map((s) => s.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => {})));
    throw error;
  }
}
