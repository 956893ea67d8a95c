/** The Audit view as a user sees it: the search box, the action filter, the rows and the exports. */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { textOf } from './console-pages.js';

export interface AuditRowText {
  action: string;
  time: string;
  /** The ISO 8601 time the row carries (its `<time dateTime>`). */
  iso: string;
  who: string;
  target: string;
  reach: string;
  result: string;
}

export class AuditPage {
  constructor(private readonly page: Page) {}

  rows(): Locator {
    return this.page.getByTestId('audit-row');
  }

  /** The rows shown, top (newest) first, read in one go (the list may re-render between reads). */
  rendered(): Promise<AuditRowText[]> {
    return this.rows().evaluateAll((trs) => trs.map((tr) => {
      // No named helpers in here: the bundler would wrap them in a __name() the page does not have.
      const cells = Array.from(tr.querySelectorAll('td')).map((td) => ((td as { textContent: string | null }).textContent ?? '').replace(/\s+/g, ' ').trim());
      return {
        action: tr.getAttribute('data-action') ?? '',
        time: cells[0] ?? '',
        iso: tr.querySelector('time')?.getAttribute('datetime') ?? '',
        who: cells[1] ?? '',
        target: cells[3] ?? '',
        reach: cells[4] ?? '',
        result: cells[5] ?? '',
      };
    }));
  }

  async search(text: string): Promise<void> {
    await this.page.getByTestId('audit-search').fill(text);
  }

  async filterAction(action: string): Promise<void> {
    await this.page.getByTestId('audit-action').selectOption(action);
  }

  count(): Promise<string> {
    return textOf(this.page.getByTestId('audit-count'));
  }

  /** Clicks an export button and answers the downloaded file's name and text. */
  async export(kind: 'csv' | 'ndjson'): Promise<{ name: string; text: string }> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId(`audit-export-${kind}`).click();
    const file = await download;
    const path = await file.path();
    return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
  }
}
