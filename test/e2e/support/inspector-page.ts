/** Page object of the channel inspector (renderer/src/views/channels/inspector/InspectorPanel.tsx). */
import type { Locator, Page } from 'playwright-core';
import { textOf } from './console-pages.js';

export class InspectorPage {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('inspector');
  }

  /** Opens a channel by name from the Channels view's empty detail (it need not have subscribers). */
  async openByName(channel: string): Promise<void> {
    await this.page.locator('#open-by-name').fill(channel);
    await this.page.getByRole('button', { name: 'Open', exact: true }).click();
    await this.root.waitFor();
  }

  /** The offsets of the rows shown, newest first. */
  offsets(): Promise<number[]> {
    return this.root.getByTestId('inspector-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-offset'))));
  }

  /** The one-line payloads of the rows shown. */
  payloads(): Promise<string[]> {
    return this.root.getByTestId('inspector-rows').locator('code.data').allTextContents();
  }

  sampling(): Promise<string> {
    return textOf(this.root.getByTestId('inspector-sampling'));
  }

  newWhilePaused(): Promise<string> {
    return textOf(this.root.getByTestId('inspector-new'));
  }

  pauseButton(): Locator {
    return this.root.getByTestId('inspector-pause');
  }

  async filter(text: string): Promise<void> {
    await this.root.getByTestId('inspector-filter').fill(text);
  }

  filterHelp(): Promise<string> {
    return textOf(this.root.getByTestId('inspector-filter-help'));
  }

  async jumpTo(offset: number | string): Promise<void> {
    await this.root.getByTestId('inspector-jump-offset').fill(String(offset));
    await this.root.getByTestId('inspector-jump').click();
  }

  jumped(): Locator {
    return this.root.getByTestId('inspector-jumped');
  }

  /** The highlighted row of the history page, and its offset. */
  target(): Locator {
    return this.jumped().locator('[data-testid="inspector-jump-row"][aria-current="true"]');
  }
}
