/**
 * The Overview's Proxies card as a page object: its rows as the user reads them (every cell's
 * text), and the bucket bound of a p99 cell ("≤ 50 ms" → 50).
 */
import type { Locator, Page } from 'playwright-core';
import { textOf } from './console-pages.js';

export interface ProxyPanelRow {
  name: string;
  endpoint: string;
  /** "12.5/s" */
  calls: string;
  errors: string;
  /** "20%", or "—" without calls in the period. */
  share: string;
  p99: string;
  /** Since start: "1,204 calls", "3 failed". */
  totalCalls: string;
  totalFailed: string;
}

export class ProxyPanel {
  constructor(private readonly page: Page) {}

  card(): Locator {
    return this.page.getByTestId('proxy-health');
  }

  emptyText(): Promise<string> {
    return textOf(this.page.getByTestId('proxy-health-empty'));
  }

  /** Every row, top to bottom. */
  async rows(): Promise<ProxyPanelRow[]> {
    // Cells by test id; no named function inside (the page has no helpers of the test's transpiler).
    const cells = await this.card().locator('[data-testid^="proxy-row-"]').evaluateAll((trs) => trs.map((tr) => Object.fromEntries(
      [...tr.querySelectorAll('[data-testid^="proxy-"]')].map((el) => [el.getAttribute('data-testid'), (el.textContent ?? '').replace(/\s+/g, ' ').trim()]),
    )));
    return cells.map((c) => ({
      name: c['proxy-name'] ?? '', endpoint: c['proxy-endpoint'] ?? '', calls: c['proxy-calls'] ?? '', errors: c['proxy-errors'] ?? '',
      share: c['proxy-share'] ?? '', p99: c['proxy-p99'] ?? '', totalCalls: c['proxy-total-calls'] ?? '', totalFailed: c['proxy-total-failed'] ?? '',
    }));
  }

  /**
   * Cells whose text does not fit their width (clipped or spilling), as "test-id: text"; the name
   * and endpoint may end in an ellipsis, which is not counted. Empty when everything fits.
   */
  overflowing(): Promise<string[]> {
    return this.card().locator('td [data-testid^="proxy-"], td[data-testid^="proxy-"], th').evaluateAll((els) => els
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && !['proxy-name', 'proxy-endpoint'].includes(el.getAttribute('data-testid') ?? ''))
      .map((el) => `${el.getAttribute('data-testid') ?? el.tagName}: ${el.textContent ?? ''}`));
  }

  async row(name: string): Promise<ProxyPanelRow | undefined> {
    return (await this.rows()).find((r) => r.name === name);
  }
}

/** "12.5/s" → 12.5, "1,250/s" → 1250. */
export const perSecond = (text: string): number => Number(text.replace(/\/s$/, '').replace(/,/g, ''));

/** "20%" → 20, "<0.1%" → 0.1; NaN for "—". */
export const sharePercent = (text: string): number => Number(text.replace(/[<%]/g, ''));

/** "≤ 200 ms" → 200, "> 5,000 ms" → 5000 (any spaces); null for "—". */
export function p99Bound(text: string): number | null {
  const m = /^[≤>]\s([\d,]+)\sms$/.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : null;
}

/** A row's "Since start" as numbers: "1,204 calls", "3 failed" → { calls: 1204, failures: 3 }. */
export function totals(row: ProxyPanelRow): { calls: number; failures: number } {
  const calls = /^([\d,]+) calls?$/.exec(row.totalCalls);
  const failed = /^([\d,]+) failed$/.exec(row.totalFailed);
  if (!calls || !failed) throw new Error(`not a proxy total: ${JSON.stringify([row.totalCalls, row.totalFailed])}`);
  return { calls: Number(calls[1]!.replace(/,/g, '')), failures: Number(failed[1]!.replace(/,/g, '')) };
}
