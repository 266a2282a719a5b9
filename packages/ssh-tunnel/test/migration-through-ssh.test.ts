import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SandboxServer, startPostgres } from '@pgshift/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBastion, type TestBastion } from '../src/index.js';

/**
 * The whole product path with the source behind an SSH jump host: the real CLI runs full+incremental
 * from a source whose name only the jump host can resolve, so every connection — catalog reads,
 * COPY, the replication slot and the stream — must travel through the tunnel.
 */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(REPO, 'packages/cli/bin/pgshift.mjs');
const PRIVATE_NAME = 'db.private.example';

let source: SandboxServer;
let target: SandboxServer;
let bastion: TestBastion;
let run: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), 'pgshift-ssh-e2e-'));

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, timeout: 120_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: stdout + stderr }),
    );
  });
}

async function waitFor(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Row count and an md5 over every row's text, computed on the server. */
async function fingerprint(server: SandboxServer) {
  const [row] = await server.query<{ n: string; md5: string }>(
    "SELECT count(*)::text AS n, md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS md5 FROM items t",
    [],
    'shop',
  );
  return row;
}

beforeAll(async () => {
  [source, target, bastion] = await Promise.all([
    startPostgres({ major: 17 }),
    startPostgres({ major: 17 }),
    startTestBastion({ aliases: { [PRIVATE_NAME]: '127.0.0.1' } }),
  ]);
  await source.query('CREATE DATABASE shop');
  await source.query(
    `CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(14,4), at timestamptz);
     INSERT INTO items SELECT g, 'item ' || g, g * 1.0001, '2026-01-01 00:00:00+00'::timestamptz + g * interval '1 minute'
       FROM generate_series(1, 2000) g;`,
    [],
    'shop',
  );
});

afterAll(async () => {
  run?.kill();
  await Promise.all([source?.stop(), target?.stop(), bastion?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('migration with the source behind an SSH jump host', () => {
  it('runs full+incremental through the tunnel, rides out a dropped tunnel and finishes with zero differences', async () => {
    writeFileSync(join(dir, 'jump_key'), bastion.clientPrivateKey, { mode: 0o600 });
    const stateDir = join(dir, 'state');
    const config = join(dir, 'task.yaml');
    writeFileSync(
      config,
      `task:
  name: through-ssh
source:
  access: public-ip
  host: ${PRIVATE_NAME}
  port: ${source.port}
  user: postgres
  password: not-needed-with-trust
  via:
    ssh:
      host: ${bastion.host}
      port: ${bastion.port}
      user: ${bastion.user}
      privateKeyFile: jump_key
      hostKey: "${bastion.hostKeyFingerprint}"
target:
  access: public-ip
  host: ${target.host}
  port: ${target.port}
  user: postgres
  password: not-needed-with-trust
objects:
  databases: [shop]
mode: full+incremental
options:
  jobs: 2
  stateDir: ${stateDir}
`,
    );

    let output = '';
    run = spawn(process.execPath, [CLI, 'run', '-c', config], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    run.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    run.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((done) => run?.once('exit', (code) => done(code)));
    const phase = () => {
      const file = join(stateDir, 'state.json');
      if (!existsSync(file)) return undefined;
      try {
        return JSON.parse(readFileSync(file, 'utf8')).databases?.shop?.phase as string | undefined;
      } catch {
        return undefined;
      }
    };
    let early: number | null | undefined;
    void exited.then((code) => {
      early = code;
    });
    await waitFor('following', () => phase() === 'following' || early !== undefined, 120_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      },
    );
    expect(phase(), output).toBe('following');
    expect(bastion.forwardsOpened).toBeGreaterThan(1);

    // Changes made while following must arrive through the tunnel's replication channel.
    await source.query(
      `INSERT INTO items SELECT g, 'late ' || g, g / 7.0, now() FROM generate_series(2001, 2100) g;
       UPDATE items SET price = price * 3, name = name || ' (changed)' WHERE id % 10 = 0;
       DELETE FROM items WHERE id BETWEEN 500 AND 520;`,
      [],
      'shop',
    );

    // Once those are applied the follower streams through the tunnel; then the jump host drops
    // every SSH connection: the run reopens the tunnel and goes on following.
    await waitFor(
      'the changes made while following on the target',
      async () =>
        (
          await target.query<{ n: string }>(
            'SELECT count(*) AS n FROM items WHERE id BETWEEN 2001 AND 2100',
            [],
            'shop',
          )
        )[0]?.n === '100',
      120_000,
    );
    const sessionsBefore = bastion.connectionsOpened;
    bastion.dropConnections();
    await source.query(
      "INSERT INTO items SELECT g, 'after the drop ' || g, g, now() FROM generate_series(3001, 3010) g",
      [],
      'shop',
    );
    await waitFor(
      'the rows written after the tunnel drop on the target',
      async () =>
        (await target.query<{ n: string }>('SELECT count(*) AS n FROM items WHERE id > 3000', [], 'shop'))[0]
          ?.n === '10',
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    expect(early, output).toBeUndefined();
    expect(bastion.connectionsOpened).toBeGreaterThan(sessionsBefore);
    expect(output).toMatch(/following database shop: connection lost/);

    const finish = await cli(['finish', '-c', config]);
    const code = await exited;
    expect(finish.code, `${finish.out}\n${output}`).toBe(0);
    expect(code, output).toBe(0);
    const [onSource, onTarget] = await Promise.all([fingerprint(source), fingerprint(target)]);
    expect(onSource?.n).toBe('2089');
    expect(onTarget).toEqual(onSource);
    // The run closed its tunnel when it finished.
    await expect.poll(() => bastion.connections).toBe(0);
  });
});
