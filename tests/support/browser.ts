/**
 * A real browser for tests of the page (web/, served by shared/web/page.ts): the system's Chromium
 * (Debian's `chromium` package, as .ci/run installs it), driven by playwright-core. No
 * browser is ever downloaded; without /usr/bin/chromium the tests fail and say how to
 * install it.
 *
 * `watch(page)` collects what a page should never do: throw, log an error (a CSP
 * violation is logged as one) or fail a request it made.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { DynamoTokens } from '../../shared/adapters/dynamodb-tokens.ts';
import type { Principal } from '../../shared/auth/principals.ts';
import { issueToken } from '../../shared/auth/tokens.ts';
import type { StackHandle } from './stack.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go (gitignored): kept after the run as the tests' artefacts. */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the page's browser tests need the system's Chromium. Install it with \`apt-get install chromium\` (.ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A token issued straight into the stack's table, valid for 30 days from the stack's clock. */
export async function issueFor(stack: StackHandle, principal: Principal, now: Date): Promise<string> {
  const { token } = await issueToken(
    { principal, expiresAt: new Date(now.getTime() + 30 * 86_400_000), note: 'page browser test' },
    new DynamoTokens(stack.dynamodb, stack.table),
    now,
  );
  return token;
}

export interface Watched {
  /** Uncaught exceptions, console errors (CSP violations among them), failed requests. */
  readonly problems: string[];
}

export function watch(page: Page): Watched {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // An API answer of 4xx the page handles (a 404 of an unpublished summary) is logged by
    // Chromium as "Failed to load resource": not a problem of the page.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of 4'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // A download's blob: URL is revoked after the click; that is no failure.
    // A request cut short by a reload or a navigation (net::ERR_ABORTED) is no failure either.
    if (!request.url().startsWith('blob:') && request.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return { problems };
}

/**
 * Records in the page, from before its own script runs, every Content-Security-Policy
 * violation it raises (`securitypolicyviolation`); read them with cspViolations.
 */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(
    "window.cspViolations = []; document.addEventListener('securitypolicyviolation', function (e) { window.cspViolations.push(e.effectiveDirective + ' ' + (e.blockedURI || '')); });",
  );
}

/** The violations recorded so far, as `directive blocked-uri` (`style-src-attr inline`). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.cspViolations || []');
}

/** Saves a full-page screenshot under tests/artifacts/ and returns its path and size. */
export async function screenshot(page: Page, name: string): Promise<{ path: string; bytes: number }> {
  const path = join(ARTIFACTS, name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return { path, bytes: existsSync(path) ? statSync(path).size : 0 };
}

/** A phone (390 × 844, touch) and a desktop, both in Chinese: the two sizes every page test looks at. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
