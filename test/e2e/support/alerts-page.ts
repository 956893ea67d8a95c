/** The Alerts view as a user sees it: the firing list, the history, the rules editor; and the banner over every view. */
import type { Locator, Page } from 'playwright-core';
import { textOf } from './console-pages.js';

export class AlertsPage {
  constructor(private readonly page: Page) {}

  /** Opens the view through the sidebar and waits for its heading. */
  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Alerts', exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
  }

  firingRows(): Locator {
    return this.page.getByTestId('alert-firing-row');
  }

  historyRows(): Locator {
    return this.page.getByTestId('alert-history-row');
  }

  /** The rows' cells as text, one array per row (read in one go: the list re-renders). */
  static cells(rows: Locator): Promise<string[][]> {
    return rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => ((td as { textContent: string | null }).textContent ?? '').replace(/\s+/g, ' ').trim())));
  }

  banner(): Locator {
    return this.page.getByTestId('alert-banner');
  }

  /** Types into a rule's hold ("for") field. */
  async setFor(kind: string, seconds: string): Promise<void> {
    await this.page.getByTestId(`alert-rule-${kind}-for`).fill(seconds);
  }

  problem(kind: string): Locator {
    return this.page.getByTestId(`alert-rule-${kind}-problem`);
  }

  saveButton(): Locator {
    return this.page.getByTestId('alert-rules-save');
  }

  status(): Promise<string> {
    return textOf(this.page.getByTestId('alert-rules-status'));
  }
}
