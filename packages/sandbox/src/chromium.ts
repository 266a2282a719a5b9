/**
 * A headless Chromium for the console's browser tests and screenshots: Debian's package
 * (scripts/ci-prerequisites.sh installs it) driven through playwright-core, which never downloads
 * a browser of its own. playwright-core is a dev dependency, imported only when a browser is
 * launched, so nothing that ships (the CLI's demo uses this package) needs it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export type { Browser, BrowserContext, Page } from 'playwright-core';

/** The environment variable naming another Chromium executable than Debian's. */
export const CHROMIUM_VARIABLE = 'PGSHIFT_CHROMIUM';
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags this machine needs. Without the background-networking ones Chromium keeps dialling
 * Google's services, and this closed network refuses those connections (slow starts, log noise);
 * QUIC is refused the same way. There is no GPU. Playwright passes several of these already; they
 * are spelled out so the list does not depend on its defaults. The fresh profile is Playwright's
 * own: each launch gets a new temporary --user-data-dir, removed on close (it refuses the flag
 * in `args`).
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The Chromium to launch: $PGSHIFT_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumExecutable(): string {
  return process.env[CHROMIUM_VARIABLE] || DEBIAN_CHROMIUM;
}

/**
 * Why no Chromium can be launched, in one line a skipped test shows, or undefined when one can.
 * A variable that names nothing usable is reported as such, not replaced by Debian's.
 */
export function chromiumMissing(): string | undefined {
  const given = process.env[CHROMIUM_VARIABLE];
  if (given) return executable(given) ? undefined : `${CHROMIUM_VARIABLE}=${given} is not an executable file`;
  if (executable(DEBIAN_CHROMIUM)) return undefined;
  return `no ${DEBIAN_CHROMIUM}: install Debian's chromium (bash scripts/ci-prerequisites.sh as root) or set ${CHROMIUM_VARIABLE} to a Chromium executable`;
}

export class MissingChromiumError extends Error {
  readonly code = 'PGSHIFT_SANDBOX_NO_CHROMIUM';
}

/** A headless Chromium; `browser.close()` ends it and removes its temporary profile. */
export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing) throw new MissingChromiumError(missing);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_FLAGS],
  });
}
