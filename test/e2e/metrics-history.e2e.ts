/**
 * Issue 14, metrics history end to end: a cluster with a data directory runs with clients, one of
 * its nodes is killed, the cluster stops; a new cluster on the same directory serves the console,
 * whose Overview chart with the range "1 h" shows the seconds from before the restart and the kill
 * as a marker. A drag across the chart zooms in; "Export CSV" saves the range with ISO times and
 * says how many rows went to which file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { defaultClusterConfig, startCluster } from '../../embedded-server/index.js';
import type { ClusterConfig } from '../../embedded-server/index.js';
import { AdminClient } from '../support/admin-client.js';
import { TestCluster, waitFor } from '../support/test-cluster.js';
import { CHROMIUM, saveShot } from './support/console-session.js';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage'];
const dataDir = mkdtempSync(join(tmpdir(), 'sb-history-e2e-'));
const config = (): ClusterConfig => ({ ...defaultClusterConfig(), nodes: 3, statsIntervalMs: 250, restartBackoffMinMs: 100, autoRestart: false });

async function runCluster(): Promise<TestCluster> {
  const c = config();
  return new TestCluster(await startCluster(c, { dataDir }), c);
}

describe('the metrics history in the console', { timeout: 120_000 }, () => {
  let cluster: TestCluster | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let stoppedAt = 0;

  before(async () => {
    const first = await runCluster();
    try {
      const admin = first.track(await AdminClient.connect(first.handle));
      const clients = await Promise.all(['ann', 'bob', 'cid', 'dee'].map((u) => first.client(u)));
      for (const c of clients) {
        c.newSubscription('chat:e2e').subscribe();
        c.connect();
      }
      await admin.snapshotWhere((s) => s.totals.connections === 4, 10_000, 'four clients connected');
      // Five seconds and more of traffic: a publication every 50 ms to the four subscribers.
      const seen = admin.snapshots.length;
      for (let i = 0; i < 400 && admin.snapshots.length < seen + 6; i++) {
        await first.api('publish', { channel: 'chat:e2e', data: { i } });
        await new Promise((r) => setTimeout(r, 50));
      }
      await admin.request('node.kill', { node: 'node-2' });
      await admin.eventWhere((e) => e.type === 'node.down' && e.node === 'node-2', 10_000, 'node-2 down');
      const afterKill = admin.snapshots.length;
      await waitFor(() => admin.snapshots.length >= afterKill + 3, { timeoutMs: 10_000, what: 'snapshots after the kill' });
    } finally {
      await first.stop();
    }
    stoppedAt = Date.now();
    cluster = await runCluster();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(cluster.handle.consoleUrl);
    await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows live 5 minutes by default, as before', async () => {
    assert.equal(await page.getByTestId('range-live').getAttribute('aria-pressed'), 'true');
    await page.getByTestId('series-chart').first().waitFor();
    assert.equal(await page.getByTestId('history-chart').count(), 0);
  });

  it('shows the seconds from before the restart on the Overview with the range "1 h", and the kill as a marker', async () => {
    await page.getByTestId('range-1h').click();
    const chart = page.getByTestId('history-chart').first();
    await chart.waitFor();
    assert.equal(await chart.getAttribute('data-tier'), '1s');
    const firstAt = Number(await chart.getAttribute('data-first-at'));
    assert.ok(firstAt > 0 && firstAt < stoppedAt, `the first point (${new Date(firstAt).toISOString()}) is from before the restart`);
    const kill = page.getByTestId('history-marker-item').filter({ hasText: 'kill node-2' }).first();
    await kill.waitFor();
    assert.ok(await chart.locator('[data-testid="history-marker"][data-type="fault.injected"]').count() >= 1, 'the kill drawn on the time axis');
    await page.getByTestId('history-status').filter({ hasText: 'per point' }).waitFor();
    await saveShot(page, 'issue14-history');
  });

  it('zooms into the stretch dragged across the chart', async () => {
    const box = (await page.locator('[data-testid="history-chart"] .recharts-surface').first().boundingBox())!;
    const y = box.y + box.height / 2;
    // Across the plot (right of the 44 px y axis, left of the 14 px margin) from 3 % before its end
    // (about 2 minutes of the hour, before the first cluster started) to the end.
    const plotX = (share: number): number => box.x + 44 + (box.width - 58) * share;
    await page.mouse.move(plotX(0.97), y);
    await page.mouse.down();
    await page.mouse.move(plotX(0.985), y, { steps: 4 });
    await page.mouse.move(plotX(0.999), y, { steps: 4 });
    await page.mouse.up();
    await page.getByTestId('zoom-reset').waitFor();
    await page.locator('section.ov-chart').filter({ hasText: 'zoomed range' }).waitFor();
    const status = await page.getByTestId('history-status').innerText();
    assert.match(status, /1 s per point|[2-9] s per point/, `a finer step once zoomed: ${status}`);
    await page.getByTestId('history-chart').first().waitFor();
    await saveShot(page, 'issue14-history-zoom');
    await page.getByTestId('zoom-reset').click();
    await page.getByTestId('zoom-reset').waitFor({ state: 'detached' });
  });

  it('exports the shown range as CSV with ISO 8601 times, and says which file got how many rows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const name = download.suggestedFilename();
    assert.match(name, /^switchboard-metrics-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv$/);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split('\n');
    assert.match(lines[0]!, /^time,series,connections,messagesInPerSec,/);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,total,/);
    assert.ok(lines.some((l) => l.includes(',node-2,')), 'the killed node is in the export');
    const toast = page.getByTestId('toasts').getByText(/^Exported [\d,]+ rows to /);
    await toast.waitFor();
    const shown = (await toast.innerText()).match(/^Exported ([\d,]+) rows to (\S+)$/)!;
    assert.equal(Number(shown[1]!.replace(/,/g, '')), lines.length - 1);
    assert.equal(shown[2], name);
  });
});
