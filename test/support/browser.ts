// Debian's chromium driven by playwright-core, for tests of pages descent writes (reports).
// No browser download: the system binary is used; when it is missing, tests skip with the install hint.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.DESCENT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM_PATH) ? false : 'install with: apt-get install -y chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context on a fresh, throwaway user-data-dir (removed on close). */
export async function launchChromium(): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'descent-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export type { Browser };
