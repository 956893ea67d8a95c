/**
 * End-to-end fixture: a real cluster (test-cluster.ts) serving the built console, and Debian's
 * Chromium driven by playwright-core. `stop()` closes the browser and the cluster.
 */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startTestCluster } from '../../support/test-cluster.js';
import type { TestCluster, TestClusterOptions } from '../../support/test-cluster.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = 'test-results/screenshots';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export class ConsoleSession {
  private constructor(readonly cluster: TestCluster, readonly browser: Browser, readonly page: Page) {}

  /** Starts a cluster and opens its console (the URL with the token, as `serve` prints it). */
  static async start(opts: TestClusterOptions & { colorScheme?: 'light' | 'dark' } = {}): Promise<ConsoleSession> {
    const { colorScheme, ...clusterOpts } = opts;
    const cluster = await startTestCluster(clusterOpts);
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: colorScheme ?? 'light' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(cluster.handle.consoleUrl);
      await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
      return new ConsoleSession(cluster, browser, page);
    } catch (e) {
      // A browser left open would keep the test process alive until its timeout.
      await browser?.close().catch(() => undefined);
      await cluster.stop();
      throw e;
    }
  }

  /** Opens a view through the sidebar, as a user would. */
  async open(view: 'Overview' | 'Nodes' | 'Connections' | 'Channels' | 'Broadcast' | 'Events' | 'Simulator'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: view }).waitFor();
  }

  /** Saves a screenshot of the whole view under test-results/screenshots/. */
  shot(name: string): Promise<string> {
    return saveShot(this.page, name);
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.cluster.stop();
  }
}

/**
 * Saves a screenshot of the page with the whole of the current view: the shell scrolls its
 * `.content` pane rather than the document, so `fullPage` alone would stop at the window's
 * height. The window grows to the pane's content for the shot, then gets its size back.
 */
export async function saveShot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  const size = page.viewportSize();
  const hidden = await page.locator('main.content').evaluate((el) => el.scrollHeight - el.clientHeight).catch(() => 0);
  if (size && hidden > 0) {
    await page.setViewportSize({ width: size.width, height: size.height + hidden });
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))'); // laid out again
  }
  try {
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  } finally {
    if (size && hidden > 0) await page.setViewportSize(size);
  }
  return path;
}
