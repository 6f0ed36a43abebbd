// Debian's Chromium driven by playwright-core, for browser tests. Nothing is downloaded: .ci/run
// installs the chromium package, and a missing browser fails the test rather than skipping it.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots kept by test runs, for people to look at (git-ignored). */
export const ARTIFACTS_DIR = path.resolve('artifacts', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine's network is closed: background networking would only fail, noisily.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, name);
}
