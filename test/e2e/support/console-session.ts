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
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
      const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: colorScheme ?? 'light' });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await page.goto(cluster.handle.consoleUrl);
      await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
      return new ConsoleSession(cluster, browser, page);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  /** Opens a view through the sidebar, as a user would. */
  async open(view: 'Overview' | 'Nodes' | 'Connections' | 'Channels' | 'Broadcast' | 'Events'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view, exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: view }).waitFor();
  }

  /** Saves a full-page screenshot under test-results/screenshots/. */
  async shot(name: string): Promise<string> {
    mkdirSync(SHOTS, { recursive: true });
    const path = `${SHOTS}/${name}.png`;
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.cluster.stop();
  }
}
