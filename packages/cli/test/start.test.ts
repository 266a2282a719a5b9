import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshBuild } from '../bin/fresh-build.mjs';
import { COMMANDS, commandsFor } from '../src/commands/index.js';

describe('commands loaded for a command line', () => {
  it('loads the command named, past global options and their values', async () => {
    expect(await commandsFor(['run', '-c', 'task.yaml'])).toHaveLength(1);
    expect(await commandsFor(['--log-level', 'debug', '-v', 'status', '-c', 'x'])).toHaveLength(1);
  });

  it('loads none for a bare --version, every one for help or a name it does not know', async () => {
    expect(await commandsFor(['--version'])).toHaveLength(0);
    expect(await commandsFor(['-V'])).toHaveLength(0);
    for (const argv of [[], ['--help'], ['help', 'run'], ['runn']])
      expect(await commandsFor(argv)).toHaveLength(COMMANDS.length);
  });
});

describe('a checkout build runs only while fresh', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(startedAt: number, inputs: string[]): URL {
    const dist = join(dir, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'build-info.json'), JSON.stringify({ startedAt, inputs }));
    return pathToFileURL(`${dist}/`);
  }

  it('runs when no input changed since the build, not when one did or is gone, nor without a build', () => {
    dir = mkdtempSync(join(tmpdir(), 'pgshift-fresh-'));
    const source = join(dir, 'main.ts');
    writeFileSync(source, 'export {};');
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);
    expect(freshBuild(build(Date.now(), [source]))).toBe(true);
    expect(freshBuild(build(past.getTime() - 1000, [source]))).toBe(false);
    expect(freshBuild(build(Date.now(), [source, join(dir, 'gone.ts')]))).toBe(false);
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(freshBuild(pathToFileURL(`${join(dir, 'dist')}/`))).toBe(false);
  });
});
