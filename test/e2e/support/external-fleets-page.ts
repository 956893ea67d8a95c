/**
 * The Simulator view's "Fleets started elsewhere" section: one row per fleet started with
 * `switchboard simulate`, found by the CLI process's pid. Every read is of what a user sees.
 */
import type { Locator, Page } from 'playwright-core';
import { leadingNumber, textOf } from './console-pages.js';

export interface FleetRowView {
  state: string;
  connected: number;
  sent: number;
  received: number;
  lost: number;
  /** "3 s ago", "lost contact 7 s ago", "final · 2 s ago". */
  age: string;
  /** Greyed: the cluster has not heard from the fleet for over 5 s. */
  lostContact: boolean;
}

export class ExternalFleetsPage {
  constructor(readonly page: Page) {}

  section(): Locator {
    return this.page.getByRole('region', { name: 'Fleets started elsewhere' });
  }

  /** The row of the fleet whose CLI process is `pid` (its key is `<host>/<pid>/<id>`). */
  row(pid: number): Locator {
    return this.section().locator(`[data-testid="sim-external-fleet"][data-key*="/${pid}/"]`);
  }

  /** What the row shows, or null while there is none. */
  async read(pid: number): Promise<FleetRowView | null> {
    const row = this.row(pid);
    if ((await row.count()) === 0) return null;
    const cell = (id: string) => textOf(row.getByTestId(`sim-external-${id}`));
    return {
      state: await cell('state'),
      connected: leadingNumber(await cell('connected')),
      sent: leadingNumber(await cell('sent')),
      received: leadingNumber(await cell('received')),
      lost: leadingNumber(await cell('lost')),
      age: await cell('age'),
      lostContact: (await row.getAttribute('data-lost')) === 'true',
    };
  }

  /** The section's words about stopping a fleet. */
  stopHint(): Promise<string> {
    return textOf(this.section().locator('.sim-external-stop'));
  }

  /** Whether the section offers any button at all (it is read-only). */
  buttons(): Promise<number> {
    return this.section().getByRole('button').count();
  }
}
